// The digests' figures in the database: the DigestSource of core/digests/digest.ts, one
// grouped aggregate per question over the line's people (counts come back, never the rows
// they count: memory does not grow with the follow-ups), the customers at risk (a bounded
// list), the 12-week trend; and each person's digest frequency (DigestSettingsStore).
import { STAGES, type Stage } from '../../core/customers/funnel.ts';
import { FOLLOW_UP_KINDS, CONVERSION_DAYS, RELEASING_SOON_DAYS, STALE_OPPORTUNITY_DAYS, UNTOUCHED_DAYS, type AtRiskCustomer, type DigestSettingsStore, type DigestSource, type FollowUpKind, type RepFigures } from '../../core/digests/digest.ts';
import { emptyFigures } from '../../core/digests/figures.ts';
import type { DigestFrequency } from '../../core/digests/period.ts';
import type { Database } from '../client.ts';
import type { Prisma } from '../generated/sqlite/client.ts';

const DAY = 24 * 60 * 60 * 1000;
/** Ownership kinds that are a claim by `toPersonId`. */
const CLAIM_KINDS = ['claim', 'near_duplicate_claim'];
/** Where each question's person ids go in one IN list; more are asked in slices. */
const IDS_PER_QUERY = 500;

const AT_RISK_SELECT = { id: true, name: true, ownerId: true, stage: true, releaseAt: true, lastTouchAt: true } as const satisfies Prisma.CustomerSelect;
type AtRiskRow = Prisma.CustomerGetPayload<{ select: typeof AT_RISK_SELECT }>;

const DEAL_SELECT = { byPersonId: true, evidence: true } as const satisfies Prisma.StageChangeSelect;
type DealRow = Prisma.StageChangeGetPayload<{ select: typeof DEAL_SELECT }>;

const SETTING_SELECT = { personId: true, frequency: true } as const satisfies Prisma.DigestSettingSelect;
type SettingRow = Prisma.DigestSettingGetPayload<{ select: typeof SETTING_SELECT }>;

const isStage = (n: number): n is Stage => (STAGES as readonly number[]).includes(n);
const isKind = (k: string): k is FollowUpKind => (FOLLOW_UP_KINDS as readonly string[]).includes(k);

function amountOf(row: DealRow): number {
  try {
    const amount = Number((JSON.parse(row.evidence) as { amount?: unknown }).amount);
    return Number.isFinite(amount) && amount > 0 ? amount : 0;
  } catch {
    return 0;
  }
}

function toAtRisk(r: AtRiskRow, reason: AtRiskCustomer['reason']): AtRiskCustomer {
  return { id: r.id, name: r.name, ownerId: r.ownerId!, stage: isStage(r.stage) ? r.stage : 0, reason, releaseAt: r.releaseAt ?? undefined, lastTouchAt: r.lastTouchAt };
}

async function inSlices<T>(ids: readonly string[], each: (slice: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) out.push(...(await each(ids.slice(i, i + IDS_PER_QUERY))));
  return out;
}

export function createDigestSource(db: Database): DigestSource {
  const { prisma } = db;
  return {
    async figures({ personIds, period, now }) {
      const figures = new Map<string, RepFigures>(personIds.map((id) => [id, emptyFigures()]));
      const of = (id: string | null) => (id ? figures.get(id) : undefined);
      const inPeriod = { gte: period.from, lt: period.to };
      const ago = (days: number) => new Date(now.getTime() - days * DAY);
      await inSlices(personIds, async (ids) => {
        const owned = { ownerId: { in: ids }, lostAt: null };
        const [book, untouched, releasing, stale, history, moves, deals, claims, releases, touches, touches30, raised, against, decided] = await Promise.all([
          prisma.customer.groupBy({ by: ['ownerId', 'stage'], where: owned, _count: { _all: true } }),
          prisma.customer.groupBy({ by: ['ownerId', 'stage'], where: { ...owned, lastTouchAt: { lt: ago(UNTOUCHED_DAYS) } }, _count: { _all: true } }),
          prisma.customer.groupBy({ by: ['ownerId'], where: { ...owned, releaseAt: { lte: new Date(now.getTime() + RELEASING_SOON_DAYS * DAY) } }, _count: { _all: true } }),
          prisma.customer.groupBy({ by: ['ownerId'], where: { ...owned, stage: { gte: 50 }, lastTouchAt: { lt: ago(STALE_OPPORTUNITY_DAYS) } }, _count: { _all: true } }),
          prisma.stageChange.groupBy({ by: ['byPersonId', 'fromStage', 'toStage'], where: { byPersonId: { in: ids }, at: { gte: ago(CONVERSION_DAYS), lt: now } }, _count: { _all: true } }),
          prisma.stageChange.groupBy({ by: ['byPersonId', 'fromStage', 'toStage'], where: { byPersonId: { in: ids }, at: inPeriod }, _count: { _all: true } }),
          // The week's deals themselves, for their amounts: a handful per rep and week.
          prisma.stageChange.findMany({ where: { byPersonId: { in: ids }, toStage: 100, at: inPeriod }, select: DEAL_SELECT }),
          prisma.ownershipEvent.groupBy({ by: ['toPersonId', 'kind'], where: { toPersonId: { in: ids }, kind: { in: [...CLAIM_KINDS, 'pool_claim'] }, at: inPeriod }, _count: { _all: true } }),
          prisma.ownershipEvent.groupBy({ by: ['fromPersonId'], where: { fromPersonId: { in: ids }, kind: { in: ['release', 'auto_release'] }, at: inPeriod }, _count: { _all: true } }),
          prisma.followUp.groupBy({ by: ['personId', 'kind'], where: { personId: { in: ids }, at: inPeriod }, _count: { _all: true } }),
          prisma.followUp.groupBy({ by: ['personId', 'kind'], where: { personId: { in: ids }, at: { gte: ago(30), lt: now } }, _count: { _all: true } }),
          prisma.contest.groupBy({ by: ['challengerId'], where: { challengerId: { in: ids }, createdAt: inPeriod }, _count: { _all: true } }),
          prisma.contest.groupBy({ by: ['ownerId'], where: { ownerId: { in: ids }, createdAt: inPeriod }, _count: { _all: true } }),
          prisma.contest.groupBy({ by: ['ownerId'], where: { ownerId: { in: ids }, decidedAt: inPeriod }, _count: { _all: true } }),
        ]);
        for (const r of book) if (isStage(r.stage)) of(r.ownerId)!.stages[r.stage] += r._count._all;
        for (const r of untouched) if (isStage(r.stage)) of(r.ownerId)!.untouched[r.stage] += r._count._all;
        for (const r of releasing) of(r.ownerId)!.atRisk.releasingSoon += r._count._all;
        for (const r of stale) of(r.ownerId)!.atRisk.staleOpportunities += r._count._all;
        for (const r of history) {
          if (!isStage(r.fromStage)) continue;
          const c = of(r.byPersonId)!.conversions[r.fromStage];
          if (r.toStage === -1) c.lost += r._count._all;
          else if (r.toStage > r.fromStage) c.advanced += r._count._all;
        }
        for (const r of moves) {
          const m = of(r.byPersonId)!.moves;
          if (r.toStage === -1) m.losses += r._count._all;
          else if (r.toStage > r.fromStage) m.advances += r._count._all;
          if (r.toStage === 100) m.deals += r._count._all;
        }
        for (const d of deals) of(d.byPersonId)!.moves.dealAmount += amountOf(d);
        for (const r of claims) {
          const f = of(r.toPersonId)!;
          if (r.kind === 'pool_claim') f.moves.poolClaims += r._count._all;
          else f.moves.claims += r._count._all;
          if (r.kind === 'near_duplicate_claim') f.nearDuplicates += r._count._all;
        }
        for (const r of releases) of(r.fromPersonId)!.moves.releases += r._count._all;
        for (const r of touches) if (isKind(r.kind)) of(r.personId)!.touches.period[r.kind] += r._count._all;
        for (const r of touches30) if (isKind(r.kind)) of(r.personId)!.touches.days30[r.kind] += r._count._all;
        for (const r of raised) of(r.challengerId)!.contests.raised += r._count._all;
        for (const r of against) of(r.ownerId)!.contests.against += r._count._all;
        for (const r of decided) of(r.ownerId)!.contests.decided += r._count._all;
        return [];
      });
      return figures;
    },

    async atRisk({ personIds, now, limit }) {
      const soon = new Date(now.getTime() + RELEASING_SOON_DAYS * DAY);
      const staleSince = new Date(now.getTime() - STALE_OPPORTUNITY_DAYS * DAY);
      const rows = await inSlices(personIds, async (ids) => {
        const owned = { ownerId: { in: ids }, lostAt: null };
        const [releasing, stale] = await Promise.all([
          prisma.customer.findMany({ where: { ...owned, releaseAt: { lte: soon } }, orderBy: [{ releaseAt: 'asc' }, { id: 'asc' }], take: limit, select: AT_RISK_SELECT }),
          prisma.customer.findMany({ where: { ...owned, stage: { gte: 50 }, lastTouchAt: { lt: staleSince } }, orderBy: [{ lastTouchAt: 'asc' }, { id: 'asc' }], take: limit, select: AT_RISK_SELECT }),
        ]);
        const releasingIds = new Set(releasing.map((r) => r.id));
        return [...releasing.map((r) => toAtRisk(r, 'releasingSoon')), ...stale.filter((r) => !releasingIds.has(r.id)).map((r) => toAtRisk(r, 'staleOpportunity'))];
      });
      return rows.slice(0, limit);
    },

    async series({ personIds, weeks }) {
      const ids = [...personIds];
      return Promise.all(
        weeks.map(async (w) => {
          const at = { gte: w.from, lt: w.to };
          const [claims, changes, touches] = await Promise.all([
            prisma.ownershipEvent.count({ where: { toPersonId: { in: ids }, kind: { in: CLAIM_KINDS }, at } }),
            prisma.stageChange.groupBy({ by: ['fromStage', 'toStage'], where: { byPersonId: { in: ids }, at }, _count: { _all: true } }),
            prisma.followUp.count({ where: { personId: { in: ids }, at } }),
          ]);
          const advances = changes.filter((c) => c.toStage > c.fromStage).reduce((n, c) => n + c._count._all, 0);
          const deals = changes.filter((c) => c.toStage === 100).reduce((n, c) => n + c._count._all, 0);
          return { week: w.key, claims, advances, deals, touches };
        }),
      );
    },
  };
}

export function createDigestSettingsStore(db: Database): DigestSettingsStore {
  const { prisma } = db;
  const frequency = (r: SettingRow) => r.frequency as DigestFrequency;
  return {
    async frequencyOf(personId) {
      const row = await prisma.digestSetting.findUnique({ where: { personId }, select: SETTING_SELECT });
      return row ? frequency(row) : undefined;
    },
    async all() {
      const rows = await prisma.digestSetting.findMany({ select: SETTING_SELECT });
      return new Map(rows.map((r) => [r.personId, frequency(r)]));
    },
    async set(personId, f, at) {
      await prisma.digestSetting.upsert({ where: { personId }, create: { personId, frequency: f, updatedAt: at }, update: { frequency: f, updatedAt: at } });
    },
  };
}
