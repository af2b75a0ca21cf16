// The digests' figures on both databases: seeded history with a fixed clock, against counts
// worked out by hand; then the use case over them (a manager's line, a rep's own funnel).
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { loadOrgFile } from '../../src/config/org-file.ts';
import { buildDigest } from '../../src/core/digests/build-digest.ts';
import { batchedDigestSource } from '../../src/core/digests/batch-figures.ts';
import type { DigestSource } from '../../src/core/digests/digest.ts';
import { conversionRate } from '../../src/core/digests/figures.ts';
import { weekPeriod } from '../../src/core/digests/period.ts';
import type { Database } from '../../src/db/client.ts';
import { createDigestSettingsStore, createDigestSource } from '../../src/db/repositories/digest.repository.ts';
import { TEST_ORG_FILE } from '../support/test-org.ts';
import { describeEachDatabase } from './databases.ts';

const directory = loadOrgFile(TEST_ORG_FILE);
const TZ = 'Asia/Shanghai';
// Monday 2026-01-12 09:00 Shanghai: the digest of the week 2026-01-05 … 2026-01-11.
const NOW = new Date('2026-01-12T01:00:00.000Z');
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY);
const WEEK = weekPeriod('2026-01-05', TZ);
const WEEKS = [weekPeriod('2025-12-29', TZ), WEEK];

/** Seeds the history of tom.reed and wu.hao; returns nothing: the counts are in the test. */
async function seed(db: Database) {
  const p = db.prisma;
  let n = 0;
  const customer = async (ownerId: string | null, stage: number, o: { lastTouch?: number; releaseIn?: number; lost?: boolean } = {}) => {
    const id = randomUUID();
    n++;
    await p.customer.create({
      data: {
        id, name: `客户${n}`, nameKey: `key${n}`, pinyin: `kehu${n}`, initials: 'kh', ownerId, stage,
        lastTouchAt: daysAgo(o.lastTouch ?? 1), releaseAt: o.releaseIn === undefined ? daysAgo(-20) : daysAgo(-o.releaseIn), lostAt: o.lost ? daysAgo(2) : null,
      },
    });
    return id;
  };
  // tom.reed: 3 at 0% (one untouched 40 days), 2 at 25%, 1 at 50% (untouched 20 days: stale), 1 at 100%, 1 lost.
  const t0 = await customer('tom.reed', 0, { lastTouch: 40, releaseIn: 3 });
  await customer('tom.reed', 0);
  await customer('tom.reed', 0);
  const t25 = await customer('tom.reed', 25);
  await customer('tom.reed', 25);
  await customer('tom.reed', 50, { lastTouch: 20 });
  const t100 = await customer('tom.reed', 100);
  await customer('tom.reed', 0, { lost: true });
  // wu.hao: 1 at 75%.
  const w75 = await customer('wu.hao', 75);
  const change = (customerId: string, by: string, from: number, to: number, at: Date, evidence = '{}') =>
    p.stageChange.create({ data: { id: randomUUID(), customerId, byPersonId: by, fromStage: from, toStage: to, evidence, at } });
  // This week: tom 0→25, 75→100 (amount 5000), 0→lost; wu 50→75. Earlier (within 90 days): tom 25→50, 0→25; 100 days ago: not counted.
  await change(t25, 'tom.reed', 0, 25, daysAgo(3));
  await change(t100, 'tom.reed', 75, 100, daysAgo(2), JSON.stringify({ deal: 'signed', amount: 5000 }));
  await change(t0, 'tom.reed', 0, -1, daysAgo(4));
  await change(w75, 'wu.hao', 50, 75, daysAgo(5));
  await change(t25, 'tom.reed', 25, 50, daysAgo(30));
  await change(t25, 'tom.reed', 0, 25, daysAgo(60));
  await change(t25, 'tom.reed', 0, 25, daysAgo(100));
  const own = (kind: string, at: Date, to?: string, from?: string) =>
    p.ownershipEvent.create({ data: { id: randomUUID(), customerId: t0, kind, toPersonId: to, fromPersonId: from, at } });
  // This week: tom 2 claims (one a near-duplicate) and 1 pool claim; wu 1 release. Last week: a claim (not counted).
  await own('claim', daysAgo(3), 'tom.reed');
  await own('near_duplicate_claim', daysAgo(2), 'tom.reed');
  await own('pool_claim', daysAgo(1), 'tom.reed');
  await own('release', daysAgo(2), undefined, 'wu.hao');
  await own('claim', daysAgo(9), 'tom.reed');
  const follow = (personId: string, kind: string, at: Date) => p.followUp.create({ data: { id: randomUUID(), customerId: t0, personId, kind, note: 'x', at } });
  // tom: this week 2 calls + 1 visit; 20 days ago 1 call; 40 days ago 1 call (outside 30 days).
  await follow('tom.reed', 'call', daysAgo(2));
  await follow('tom.reed', 'call', daysAgo(3));
  await follow('tom.reed', 'visit', daysAgo(4));
  await follow('tom.reed', 'call', daysAgo(20));
  await follow('tom.reed', 'call', daysAgo(40));
  await p.contest.create({ data: { id: randomUUID(), customerId: t0, challengerId: 'wu.hao', ownerId: 'tom.reed', arbiterId: 'mei.lin', status: 'kept', createdAt: daysAgo(3), decidedAt: daysAgo(2) } });
}

describeEachDatabase('digest figures', (getDb) => {
  beforeAll(async () => seed(getDb()));

  it('counts the book, the week and 90 days of history per rep', async () => {
    const figures = await createDigestSource(getDb()).figures({ personIds: ['tom.reed', 'wu.hao', 'mei.lin'], period: WEEK, now: NOW, weeks: WEEKS });
    const tom = figures.get('tom.reed')!;
    expect(tom.stages).toEqual({ 0: 3, 25: 2, 50: 1, 75: 0, 100: 1 });
    expect(tom.untouched).toEqual({ 0: 1, 25: 0, 50: 0, 75: 0, 100: 0 });
    expect(tom.moves).toEqual({ claims: 2, advances: 2, deals: 1, dealAmount: 5000, losses: 1, releases: 0, poolClaims: 1 });
    expect(tom.conversions[0]).toEqual({ advanced: 2, lost: 1 });
    expect(tom.conversions[25]).toEqual({ advanced: 1, lost: 0 });
    expect(tom.conversions[75]).toEqual({ advanced: 1, lost: 0 });
    // 0%: 2 moved on, 1 lost, 3 still there → 2 / 6.
    expect(conversionRate(tom, 0)).toBeCloseTo(2 / 6);
    expect(tom.touches.period).toEqual({ call: 2, visit: 1, meeting: 0, message: 0, note: 0 });
    expect(tom.touches.days30.call).toBe(3);
    expect(tom.contests).toEqual({ raised: 0, against: 1, decided: 1 });
    expect(tom.nearDuplicates).toBe(1);
    expect(tom.atRisk).toEqual({ releasingSoon: 1, staleOpportunities: 1 });
    const wu = figures.get('wu.hao')!;
    expect(wu.stages[75]).toBe(1);
    expect(wu.moves.releases).toBe(1);
    expect(wu.moves.advances).toBe(1);
    expect(wu.contests.raised).toBe(1);
    expect(figures.get('mei.lin')!.stages).toEqual({ 0: 0, 25: 0, 50: 0, 75: 0, 100: 0 });
  });

  it('lists the customers at risk and the weekly trend', async () => {
    const source = createDigestSource(getDb());
    const atRisk = await source.atRisk({ personIds: ['tom.reed', 'wu.hao'], now: NOW, limit: 10 });
    expect(atRisk.map((c) => [c.reason, c.stage])).toEqual([['releasingSoon', 0], ['staleOpportunity', 50]]);
    const series = await source.figures({ personIds: ['tom.reed', 'wu.hao'], period: WEEK, now: NOW, weeks: WEEKS });
    expect(series.get('tom.reed')!.weeks).toEqual([
      { week: '2026-W01', claims: 1, advances: 0, deals: 0, touches: 0 },
      { week: '2026-W02', claims: 2, advances: 2, deals: 1, touches: 3 },
    ]);
    expect(series.get('wu.hao')!.weeks).toEqual([
      { week: '2026-W01', claims: 0, advances: 0, deals: 0, touches: 0 },
      { week: '2026-W02', claims: 0, advances: 1, deals: 0, touches: 0 },
    ]);
  });

  it('builds a manager’s line and a rep’s own funnel', async () => {
    const source = createDigestSource(getDb());
    const manager = await buildDigest({ source, directory, recipient: directory.person('mei.lin')!, period: WEEK, now: NOW });
    expect(manager.scope).toBe('line');
    expect(manager.reps.map((r) => r.personId).sort()).toEqual(['tom.reed', 'wu.hao']);
    expect(manager.total.figures.stages).toEqual({ 0: 3, 25: 2, 50: 1, 75: 1, 100: 1 });
    expect(manager.teams.map((t) => t.leadId)).toEqual(['mei.lin']);
    expect(manager.total.diagnosis.status).toBe('tooFew');
    expect(manager.series).toHaveLength(12);
    const rep = await buildDigest({ source, directory, recipient: directory.person('tom.reed')!, period: WEEK, now: NOW });
    expect(rep.scope).toBe('self');
    expect(rep.reps.map((r) => r.personId)).toEqual(['tom.reed']);
    expect(rep.atRisk.every((c) => c.ownerId === 'tom.reed')).toBe(true);
  });

  it('answers everyone at once as it answers each line, and a slot’s digests share that one pass', async () => {
    const source = createDigestSource(getDb());
    const everyone = await source.figures({ personIds: 'everyone', period: WEEK, now: NOW, weeks: WEEKS });
    for (const id of ['tom.reed', 'wu.hao']) expect(everyone.get(id)).toEqual((await source.figures({ personIds: [id], period: WEEK, now: NOW, weeks: WEEKS })).get(id));
    // A line's pass counts only its own people, though its rows name others (wu.hao raised the contest against tom.reed).
    expect([...(await source.figures({ personIds: ['wu.hao'], period: WEEK, now: NOW, weeks: WEEKS })).keys()]).toEqual(['wu.hao']);

    // The batch: every digest of the slot from one org-wide pass, each the same as built alone.
    const asked: string[] = [];
    const counted: DigestSource = {
      figures: (q) => (asked.push(`figures:${q.personIds === 'everyone' ? 'everyone' : q.personIds.join(',')}`), source.figures(q)),
      atRisk: (q) => source.atRisk(q),
      flaggedPauses: (q) => source.flaggedPauses(q),
      walkInsClaimed: (ids) => source.walkInsClaimed(ids),
      handoversCompleted: (q) => source.handoversCompleted(q),
    };
    const batched = batchedDigestSource(counted);
    for (const id of ['mei.lin', 'tom.reed', 'wu.hao']) {
      const recipient = directory.person(id)!;
      const alone = await buildDigest({ source, directory, recipient, period: WEEK, now: NOW });
      expect(await buildDigest({ source: batched, directory, recipient, period: WEEK, now: NOW, batch: true })).toEqual(alone);
    }
    expect(asked).toEqual(['figures:everyone']);
    // Another instant is another batch; a digest outside a batch asks for its own line.
    await buildDigest({ source: batched, directory, recipient: directory.person('tom.reed')!, period: WEEK, now: new Date(NOW.getTime() + 1000), batch: true });
    await buildDigest({ source: batched, directory, recipient: directory.person('tom.reed')!, period: WEEK, now: NOW });
    expect(asked.slice(1)).toEqual(['figures:everyone', 'figures:tom.reed']);
  });

  it('finds the walk-ins whose company was claimed after the visit', async () => {
    const p = getDb().prisma;
    const visit = async (companyKey: string, at: Date, customerId: string | null = null) => {
      const id = randomUUID();
      await p.visit.create({ data: { id, reporterId: 'xiao.wang', company: companyKey, companyKey, customerId, status: 'closed', state: '{}', duplicateKey: id, createdAt: at, updatedAt: at } });
      return id;
    };
    const claimed = async (nameKey: string, at: Date) => {
      const id = randomUUID();
      await p.customer.create({ data: { id, name: nameKey, nameKey, pinyin: '', initials: '', ownerId: 'tom.reed', claimedAt: at, lastTouchAt: at, releaseAt: daysAgo(-20) } });
      return id;
    };
    const after = await visit('walkin-after', daysAgo(4));
    await claimed('walkin-after', daysAgo(3));
    const before = await visit('walkin-before', daysAgo(4));
    await claimed('walkin-before', daysAgo(10));
    const known = await visit('walkin-known', daysAgo(4), await claimed('walkin-known', daysAgo(5)));
    const never = await visit('walkin-never', daysAgo(4));
    expect([...(await createDigestSource(getDb()).walkInsClaimed([after, before, known, never]))]).toEqual([after]);
    expect((await createDigestSource(getDb()).walkInsClaimed([])).size).toBe(0);
  });

  it('lists the handovers completed in the period, not the cancelled, open or earlier ones', async () => {
    const handover = (leaverId: string, status: string, closedAt: Date | null) =>
      getDb().prisma.handover.create({ data: { id: randomUUID(), leaverId, startedById: 'mei.lin', lastDay: '2026-01-09', status, createdAt: daysAgo(20), closedAt } });
    await handover('tom.reed', 'done', daysAgo(3));
    await handover('wu.hao', 'cancelled', daysAgo(3));
    await handover('wu.hao', 'done', daysAgo(10));
    await handover('sara.ng', 'open', null);
    expect(await createDigestSource(getDb()).handoversCompleted({ from: WEEK.from, to: WEEK.to })).toEqual([{ leaverId: 'tom.reed', closedAt: daysAgo(3) }]);
  });

  it('keeps each person’s frequency', async () => {
    const settings = createDigestSettingsStore(getDb());
    expect(await settings.frequencyOf('mei.lin')).toBeUndefined();
    await settings.set('mei.lin', 'daily', NOW);
    await settings.set('mei.lin', 'off', NOW);
    expect(await settings.frequencyOf('mei.lin')).toBe('off');
    expect([...(await settings.all())]).toEqual([['mei.lin', 'off']]);
  });
});
