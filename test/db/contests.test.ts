// Claim contests on SQLite and PostgreSQL: one open contest per customer and challenger,
// the decision applied atomically (status, owner, history, both reps told), only by the
// arbiter, and only once.
import { expect, it } from 'vitest';
import { contestCustomer } from '../../src/core/customers/contest-customer.ts';
import { decideContest } from '../../src/core/customers/decide-contest.ts';
import { releaseCustomer } from '../../src/core/customers/release-customer.ts';
import type { Customer } from '../../src/core/customers/customer.ts';
import { AppError } from '../../src/core/errors.ts';
import { createContestStore } from '../../src/db/repositories/contest.repository.ts';
import { createExtensionStore } from '../../src/db/repositories/extension-request.repository.ts';
import { createCustomerStore } from '../../src/db/repositories/customer.repository.ts';
import { listJobs } from '../../src/db/repositories/job.repository.ts';
import { describeEachDatabase } from './databases.ts';
import { acmeOrg, acmePerson, claimAs, rejection } from '../support/acme-org.ts';

const directory = acmeOrg({
  head: 'head',
  people: [acmePerson('head'), acmePerson('boss', 'manager: head'), ...['ann', 'bob', 'cat'].map((id) => acmePerson(id, 'manager: boss, roles: [rep]'))],
});
const person = (id: string) => directory.person(id)!;
const claimedAt = new Date('2026-11-02T01:00:00Z');
const contestedAt = new Date('2026-11-03T01:00:00Z');
const decidedAt = new Date('2026-11-04T01:00:00Z');

describeEachDatabase('claim contests', (getDb) => {
  const store = () => createCustomerStore(getDb());
  const contests = () => createContestStore(getDb());
  const claim = (name: string, by = 'ann'): Promise<Customer> => claimAs(store(), directory, by, name, claimedAt);
  const contest = (customerId: string, by = 'bob', now = contestedAt) => contestCustomer({ store: store(), contests: contests(), directory, challenger: person(by), customerId, now });
  const decide = (contestId: string, by: string, decision: 'keep' | 'transfer', reason?: string) =>
    decideContest({ store: store(), contests: contests(), directory, arbiter: person(by), contestId, decision, reason, now: decidedAt });
  const jobsLike = async (prefix: string) => (await listJobs(getDb())).filter((j) => j.idempotencyKey.startsWith(prefix));

  it("opens one contest per customer and challenger, sent once to the owner's manager with the evidence", async () => {
    const c = await claim('争议科技');
    await store().addFollowUp({ customerId: c.id, personId: 'ann', kind: 'call', note: 'met the buyer', at: claimedAt }, []);
    const first = await contest(c.id);
    const second = await contest(c.id, 'bob', decidedAt);
    expect(first.kind).toBe('opened');
    expect(second.kind).toBe('alreadyOpen');
    if (first.kind !== 'opened' || second.kind !== 'alreadyOpen') return;
    expect(second.contest.id).toBe(first.contest.id);
    expect(first.arbiter.id).toBe('boss');
    expect(await getDb().prisma.contest.count({ where: { customerId: c.id } })).toBe(1);
    const jobs = await jobsLike(`contest:${first.contest.id}:`);
    expect(jobs).toHaveLength(1);
    const payload = JSON.parse(jobs[0]!.payload) as { personId: string; notice: Record<string, unknown> };
    expect(payload.personId).toBe('boss');
    expect(payload.notice).toMatchObject({
      type: 'customer.contested',
      ownerId: 'ann',
      challengerId: 'bob',
      ownerSince: claimedAt.toISOString(),
      contestedAt: contestedAt.toISOString(),
      history: [{ kind: 'claim', toPersonId: 'ann' }],
      followUps: [{ personId: 'ann', kind: 'call', note: 'met the buyer' }],
    });
    // Another rep may contest the same customer: a contest of their own.
    expect((await contest(c.id, 'cat')).kind).toBe('opened');
  });

  it('refuses anyone but the arbiter, changing nothing', async () => {
    const c = await claim('越权科技');
    const opened = await contest(c.id);
    if (opened.kind !== 'opened') throw new Error(opened.kind);
    for (const who of ['bob', 'ann', 'head']) {
      const e = await rejection(decide(opened.contest.id, who, 'transfer', 'mine'));
      expect(e.code).toBe('FORBIDDEN');
      expect(e.details).toMatchObject({ reason: 'contest.arbiterOnly', arbiter: 'Boss' });
    }
    expect((await contests().find(opened.contest.id))?.status).toBe('open');
    expect((await store().findById(c.id))?.ownerId).toBe('ann');
    expect((await store().history(c.id)).map((e) => e.kind)).toEqual(['claim']);
    expect(await jobsLike(`contest:${opened.contest.id}:decided`)).toHaveLength(0);
  });

  it('transfers with a reason, atomically, telling both reps once; a second press says already decided', async () => {
    const c = await claim('转移科技');
    const opened = await contest(c.id);
    if (opened.kind !== 'opened') throw new Error(opened.kind);
    const id = opened.contest.id;
    expect((await rejection(decide(id, 'boss', 'transfer', '  '))).details.reason).toBe('contest.reasonRequired');

    const done = await decide(id.toLowerCase(), 'boss', 'transfer', 'Bob met them first');
    expect(done.contest).toMatchObject({ status: 'transferred', reason: 'Bob met them first', decidedById: 'boss' });
    expect(done.customer).toMatchObject({ ownerId: 'bob', previousOwnerId: 'ann', claimedAt: decidedAt });
    expect(done.customer.releaseAt!.getTime()).toBeGreaterThan(decidedAt.getTime());
    const last = (await store().history(c.id)).at(-1);
    expect(last).toMatchObject({ kind: 'transfer', fromPersonId: 'ann', toPersonId: 'bob', byPersonId: 'boss', reason: 'Bob met them first' });
    const told = await jobsLike(`contest:${id}:decided:`);
    expect(told.map((j) => (JSON.parse(j.payload) as { personId: string }).personId).sort()).toEqual(['ann', 'bob']);

    const again = await rejection(decide(id, 'boss', 'keep'));
    expect(again).toMatchObject({ code: 'ALREADY_DONE', details: { reason: 'contest.alreadyDecided' } });
    expect((await store().findById(c.id))?.ownerId).toBe('bob');
    expect(await store().history(c.id)).toHaveLength(2);
    expect(await jobsLike(`contest:${id}:decided:`)).toHaveLength(2);
  });

  it('decides once when the arbiter presses twice at the same time', async () => {
    const c = await claim('双击科技');
    const opened = await contest(c.id);
    if (opened.kind !== 'opened') throw new Error(opened.kind);
    const results = await Promise.allSettled([decide(opened.contest.id, 'boss', 'transfer', 'first'), decide(opened.contest.id, 'boss', 'transfer', 'second')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((failed.reason as AppError).details.reason).toBe('contest.alreadyDecided');
    expect((await store().history(c.id)).filter((e) => e.kind === 'transfer')).toHaveLength(1);
  });

  it('keeps with the owner, with an optional reason, and records it', async () => {
    const c = await claim('维持科技');
    const opened = await contest(c.id);
    if (opened.kind !== 'opened') throw new Error(opened.kind);
    const done = await decide(opened.contest.id, 'boss', 'keep');
    expect(done.contest.status).toBe('kept');
    expect(done.customer.ownerId).toBe('ann');
    expect((await store().history(c.id)).at(-1)).toMatchObject({ kind: 'keep', fromPersonId: 'bob', toPersonId: 'ann', byPersonId: 'boss' });
    // Decided contests free the pair: the challenger may contest again later.
    expect((await contest(c.id, 'bob', decidedAt)).kind).toBe('opened');
  });

  it('withdraws a contest when the customer changed hands before the decision', async () => {
    const c = await claim('易手科技');
    const opened = await contest(c.id);
    if (opened.kind !== 'opened') throw new Error(opened.kind);
    await releaseCustomer({ store: store(), extensions: createExtensionStore(getDb()), directory, actor: person('ann'), name: '易手科技', now: contestedAt });
    expect((await rejection(decide(opened.contest.id, 'boss', 'keep'))).details.reason).toBe('contest.ownerChanged');
    expect((await contests().find(opened.contest.id))?.status).toBe('void');
    expect((await store().history(c.id)).map((e) => e.kind)).toEqual(['claim', 'release']);
  });

  it('answers the challenger clearly when nobody can arbitrate, creating nothing', async () => {
    const c = await claim('无人科技', 'head');
    const r = await contest(c.id, 'ann');
    expect(r.kind).toBe('noArbiter');
    expect(await getDb().prisma.contest.count({ where: { customerId: c.id } })).toBe(0);
    expect((await contest(c.id, 'head')).kind).toBe('yours');
  });
});
