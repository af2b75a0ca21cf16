// The digests' figures in the database: the DigestSource of core/digests/digest.ts, one
// grouped aggregate per table over a line's people or over everyone (a slot's batch), each
// window it needs (period, 30 and 90 days, the trend's 12 weeks) a conditional sum: counts
// come back, never the rows they count, so memory does not grow with the follow-ups. Beside
// them the customers at risk (a bounded list), the other capabilities' few reads (flagged
// pauses, walk-ins claimed, handovers completed); and each person's digest frequency.
import { STAGES, type Stage } from '../../core/customers/funnel.ts';
import { FOLLOW_UP_KINDS, CONVERSION_DAYS, RELEASING_SOON_DAYS, STALE_OPPORTUNITY_DAYS, UNTOUCHED_DAYS, type AtRiskCustomer, type DigestSettingsStore, type DigestSource, type FollowUpKind, type PersonScope, type RepFigures } from '../../core/digests/digest.ts';
import { emptyFigures } from '../../core/digests/figures.ts';
import type { DigestFrequency } from '../../core/digests/period.ts';
import type { Database } from '../client.ts';
import type { Prisma } from '../generated/sqlite/client.ts';

const DAY = 24 * 60 * 60 * 1000;
/** Ownership kinds that are a claim by `toPersonId` (a pool claim counts apart), and a release by `fromPersonId`. */
const CLAIM_KINDS = ['claim', 'near_duplicate_claim'];
const RELEASE_KINDS = ['release', 'auto_release'];
const OWNERSHIP_KINDS = [...CLAIM_KINDS, 'pool_claim', ...RELEASE_KINDS];
/** Flags read for one digest at most (a department flagged this often has the head's attention already). */
const FLAGS_READ = 2000;
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

/**
 * Runs `each` over the scope: a list in slices of IDS_PER_QUERY (one IN list each), or once
 * for everyone (no IN list: the org-wide pass of a batch of digests).
 */
async function inSlices<T>(scope: PersonScope, each: (slice: PersonScope) => Promise<T[]>): Promise<T[]> {
  if (scope === 'everyone') return each(scope);
  const out: T[] = [];
  for (let i = 0; i < scope.length; i += IDS_PER_QUERY) out.push(...(await each(scope.slice(i, i + IDS_PER_QUERY))));
  return out;
}

/** The scope as SQL over `column`: its IN list, or every row that names a person. */
const whoSql = (column: string, scope: PersonScope, b: (v: unknown) => string) => (scope === 'everyone' ? `"${column}" IS NOT NULL` : `"${column}" IN (${scope.map(b).join(', ')})`);
/** The scope as a Prisma filter of a nullable column (a required one takes `whoRequired`). */
const whoNullable = (scope: PersonScope) => (scope === 'everyone' ? { not: null } : { in: [...scope] });
const whoRequired = (scope: PersonScope) => (scope === 'everyone' ? undefined : { in: [...scope] });

export function createDigestSource(db: Database): DigestSource {
  const { prisma } = db;
  return {
    async figures({ personIds, period, now, weeks }) {
      const figures = new Map<string, RepFigures>(personIds === 'everyone' ? [] : personIds.map((id) => [id, emptyFigures(weeks)]));
      // Everyone's pass meets each person in its rows.
      const of = (id: unknown) => (figures.get(String(id)) ?? figures.set(String(id), emptyFigures(weeks)).get(String(id)))!;
      const ago = (days: number) => new Date(now.getTime() - days * DAY);
      const within = (b: Bind, col: string, from: Date, to: Date) => `"${col}" >= ${b(from)} AND "${col}" < ${b(to)}`;
      // Each table once, over the union of the windows its figures need, each window a conditional sum.
      const span = (...ranges: { from: Date; to: Date }[]) => (b: Bind, col: string) => within(b, col, earliest(...ranges.map((r) => r.from)), latest(...ranges.map((r) => r.to)));
      const days = (n: number) => ({ from: ago(n), to: now });
      const trend = weeks.length ? [{ from: weeks[0]!.from, to: weeks[weeks.length - 1]!.to }] : [];
      const buckets = (b: Bind) => Object.fromEntries(weeks.map((w, i) => [`w${i}`, within(b, 'at', w.from, w.to)]));
      const weekCounts = (r: object) => weeks.map((_, i) => Number((r as Record<string, unknown>)[`w${i}`] ?? 0));
      await inSlices(personIds, async (ids) => {
        const [book, changes, deals, ownership, touches, contests] = await Promise.all([
          // The book: the counts by stage, and the untouched and at-risk among them.
          groupedSums(db, {
            table: 'Customer',
            by: ['ownerId', 'stage'],
            where: (b) => `${whoSql('ownerId', ids, b)} AND "lostAt" IS NULL`,
            sums: (b) => ({
              n: '1 = 1',
              untouched: `"lastTouchAt" < ${b(ago(UNTOUCHED_DAYS))}`,
              releasing: `"releaseAt" <= ${b(new Date(now.getTime() + RELEASING_SOON_DAYS * DAY))}`,
              stale: `"stage" >= 50 AND "lastTouchAt" < ${b(ago(STALE_OPPORTUNITY_DAYS))}`,
            }),
          }),
          // The stage history: the period's moves, 90 days of conversions, the weeks' advances and deals.
          groupedSums(db, {
            table: 'StageChange',
            by: ['byPersonId', 'fromStage', 'toStage'],
            where: (b) => `${whoSql('byPersonId', ids, b)} AND ${span(period, days(CONVERSION_DAYS), ...trend)(b, 'at')}`,
            sums: (b) => ({ history: within(b, 'at', ago(CONVERSION_DAYS), now), period: within(b, 'at', period.from, period.to), ...buckets(b) }),
          }),
          // The period's deals themselves, for their amounts: a handful per rep and week.
          prisma.stageChange.findMany({ where: { byPersonId: whoRequired(ids), toStage: 100, at: { gte: period.from, lt: period.to } }, select: DEAL_SELECT }),
          // Claims, pool claims and releases: the period's, and the weeks' claims.
          groupedSums(db, {
            table: 'OwnershipEvent',
            by: ['toPersonId', 'fromPersonId', 'kind'],
            where: (b) => `(${whoSql('toPersonId', ids, b)} OR ${whoSql('fromPersonId', ids, b)}) AND "kind" IN (${OWNERSHIP_KINDS.map(b).join(', ')}) AND ${span(period, ...trend)(b, 'at')}`,
            sums: (b) => ({ period: within(b, 'at', period.from, period.to), ...buckets(b) }),
          }),
          // Touchpoints by kind: the period's, 30 days', the weeks'.
          groupedSums(db, {
            table: 'FollowUp',
            by: ['personId', 'kind'],
            where: (b) => `${whoSql('personId', ids, b)} AND ${span(period, days(30), ...trend)(b, 'at')}`,
            sums: (b) => ({ period: within(b, 'at', period.from, period.to), days30: within(b, 'at', ago(30), now), ...buckets(b) }),
          }),
          // Contests raised (by the challenger), against (the owner) and decided in the period.
          groupedSums(db, {
            table: 'Contest',
            by: ['ownerId', 'challengerId'],
            where: (b) => `(${whoSql('ownerId', ids, b)} OR ${whoSql('challengerId', ids, b)}) AND ((${within(b, 'createdAt', period.from, period.to)}) OR (${within(b, 'decidedAt', period.from, period.to)}))`,
            sums: (b) => ({ created: within(b, 'createdAt', period.from, period.to), decided: within(b, 'decidedAt', period.from, period.to) }),
          }),
        ]);
        // A row of an IN list's pass may name someone outside it (the other side of a claim or contest).
        const mine = (id: unknown): id is string => id !== null && id !== undefined && (ids === 'everyone' || ids.includes(String(id)));
        for (const r of book) {
          const f = of(r.ownerId);
          const stage = Number(r.stage);
          if (isStage(stage)) {
            f.stages[stage] += r.n;
            f.untouched[stage] += r.untouched;
          }
          f.atRisk.releasingSoon += r.releasing;
          f.atRisk.staleOpportunities += r.stale;
        }
        for (const r of changes) {
          const [from, to] = [Number(r.fromStage), Number(r.toStage)];
          const f = of(r.byPersonId);
          if (isStage(from)) {
            const c = f.conversions[from];
            if (to === -1) c.lost += r.history;
            else if (to > from) c.advanced += r.history;
          }
          if (to === -1) f.moves.losses += r.period;
          else if (to > from) f.moves.advances += r.period;
          if (to === 100) f.moves.deals += r.period;
          weekCounts(r).forEach((n, i) => {
            if (to > from) f.weeks[i]!.advances += n;
            if (to === 100) f.weeks[i]!.deals += n;
          });
        }
        for (const d of deals) of(d.byPersonId).moves.dealAmount += amountOf(d);
        for (const r of ownership) {
          const kind = String(r.kind);
          if (RELEASE_KINDS.includes(kind)) {
            if (mine(r.fromPersonId)) of(r.fromPersonId).moves.releases += r.period;
            continue;
          }
          if (!mine(r.toPersonId)) continue;
          const f = of(r.toPersonId);
          if (kind === 'pool_claim') f.moves.poolClaims += r.period;
          else {
            f.moves.claims += r.period;
            weekCounts(r).forEach((n, i) => (f.weeks[i]!.claims += n));
          }
          if (kind === 'near_duplicate_claim') f.nearDuplicates += r.period;
        }
        for (const r of touches) {
          const kind = String(r.kind);
          if (!isKind(kind)) continue;
          const f = of(r.personId);
          f.touches.period[kind] += r.period;
          f.touches.days30[kind] += r.days30;
          weekCounts(r).forEach((n, i) => (f.weeks[i]!.touches += n));
        }
        for (const r of contests) {
          if (mine(r.challengerId)) of(r.challengerId).contests.raised += r.created;
          if (mine(r.ownerId)) {
            of(r.ownerId).contests.against += r.created;
            of(r.ownerId).contests.decided += r.decided;
          }
        }
        return [];
      });
      return figures;
    },

    async atRisk({ personIds, now, limit }) {
      const soon = new Date(now.getTime() + RELEASING_SOON_DAYS * DAY);
      const staleSince = new Date(now.getTime() - STALE_OPPORTUNITY_DAYS * DAY);
      const rows = await inSlices(personIds, async (ids) => {
        const owned = { ownerId: whoNullable(ids), lostAt: null };
        const [releasing, stale] = await Promise.all([
          prisma.customer.findMany({ where: { ...owned, releaseAt: { lte: soon } }, orderBy: [{ releaseAt: 'asc' }, { id: 'asc' }], take: limit, select: AT_RISK_SELECT }),
          prisma.customer.findMany({ where: { ...owned, stage: { gte: 50 }, lastTouchAt: { lt: staleSince } }, orderBy: [{ lastTouchAt: 'asc' }, { id: 'asc' }], take: limit, select: AT_RISK_SELECT }),
        ]);
        const releasingIds = new Set(releasing.map((r) => r.id));
        return [...releasing.map((r) => toAtRisk(r, 'releasingSoon')), ...stale.filter((r) => !releasingIds.has(r.id)).map((r) => toAtRisk(r, 'staleOpportunity'))];
      });
      return rows.slice(0, limit);
    },

    async handoversCompleted({ from, to }) {
      // A few a week at most; cancelled ones handed nothing over.
      const rows = await prisma.handover.findMany({ where: { status: 'done', closedAt: { gte: from, lt: to } }, orderBy: { closedAt: 'asc' }, select: { leaverId: true, closedAt: true }, take: 500 });
      return rows.map((r) => ({ leaverId: r.leaverId, closedAt: r.closedAt! }));
    },

    async walkInsClaimed(visitIds) {
      const claimed = new Set<string>();
      if (!visitIds.length) return claimed;
      // A walk-in's company is keyed as a claim keys it (report-visitor.ts): the customer of that key, claimed after the visit.
      const visits = await prisma.visit.findMany({ where: { id: { in: [...visitIds] }, customerId: null, companyKey: { not: '' } }, select: { id: true, companyKey: true, createdAt: true } });
      if (!visits.length) return claimed;
      const customers = await prisma.customer.findMany({ where: { nameKey: { in: [...new Set(visits.map((v) => v.companyKey))] }, claimedAt: { not: null } }, select: { nameKey: true, claimedAt: true } });
      const claimedAt = new Map(customers.map((c) => [c.nameKey, c.claimedAt!]));
      for (const v of visits) {
        const at = claimedAt.get(v.companyKey);
        if (at && at >= v.createdAt) claimed.add(v.id);
      }
      return claimed;
    },

    async flaggedPauses({ scope, from, to }) {
      // The pause audit's flags (RequestPauseFlag, one per pause and flag, written with the
      // head's notice) raised in the period, per department. Flags are rare: a bounded read.
      const departments = 'departmentIds' in scope ? { departmentId: { in: [...scope.departmentIds] } } : {};
      const flags = await prisma.requestPauseFlag.findMany({ where: { ...departments, flaggedAt: { gte: from, lt: to } }, select: { requestId: true, departmentId: true }, take: FLAGS_READ });
      const mine = 'requesterIds' in scope
        ? new Set((await prisma.serviceRequest.findMany({ where: { id: { in: [...new Set(flags.map((f) => f.requestId))] }, requesterId: { in: [...scope.requesterIds] } }, select: { id: true } })).map((r) => r.id))
        : undefined;
      const counts = new Map<string, number>();
      for (const f of flags) if (!mine || mine.has(f.requestId)) counts.set(f.departmentId, (counts.get(f.departmentId) ?? 0) + 1);
      return counts;
    },
  };
}

const earliest = (...d: Date[]) => new Date(Math.min(...d.map((x) => x.getTime())));
const latest = (...d: Date[]) => new Date(Math.max(...d.map((x) => x.getTime())));
type Bind = (v: unknown) => string;

/** A placeholder for each bound value, in the provider's style, and the values in order. */
function binder(db: Database): { bind: (v: unknown) => string; params: unknown[] } {
  let n = 0;
  const params: unknown[] = [];
  return {
    params,
    bind: (v) => {
      params.push(v);
      return db.provider === 'postgresql' ? `$${++n}` : '?';
    },
  };
}

/**
 * `SELECT <by>, SUM(CASE WHEN <cond> THEN 1 ELSE 0 END) AS <name> … GROUP BY <by>`: several
 * of Prisma's groupBy counts over the same rows in one pass (groupBy has no conditional
 * counts). Columns and conditions are this file's constants; every value is bound.
 */
async function groupedSums<S extends string, B extends string>(
  db: Database,
  q: { table: string; by: readonly B[]; where: (bind: (v: unknown) => string) => string; sums: (bind: (v: unknown) => string) => Record<S, string> },
): Promise<(Record<B, unknown> & Record<S, number>)[]> {
  const { bind, params } = binder(db);
  const columns = q.by.map((c) => `"${c}"`).join(', ');
  const sums = Object.entries<string>(q.sums(bind)).map(([name, cond]) => `SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END) AS "${name}"`);
  const where = q.where(bind);
  const rows = await db.prisma.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT ${columns}, ${sums.join(', ')} FROM "${q.table}" WHERE ${where} GROUP BY ${columns}`, ...params);
  const names = Object.keys(q.sums(() => '?'));
  return rows.map((r) => ({ ...r, ...Object.fromEntries(names.map((k) => [k, Number(r[k] ?? 0)])) })) as (Record<B, unknown> & Record<S, number>)[];
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
