// Departure handovers in the database: the HandoverStore of core/handovers/handover.ts.
// One open handover per leaver (the openKey unique column decides a double start on every
// replica); every move of a customer is conditional on the leaver still owning it and is
// one transaction with its `handover` history event and its notices (outbox.ts).
import { randomUUID } from 'node:crypto';
import type { Stage } from '../../core/customers/funnel.ts';
import type { Handover, HandoverItem, HandoverStatus, HandoverStore, ItemStatus, NewHandover } from '../../core/handovers/handover.ts';
import { itemComplete } from '../../core/handovers/handover.ts';
import type { HandoverStep, StageRecord } from '../../core/handovers/handover-rules.ts';
import type { Database, Tx } from '../client.ts';
import type { Prisma } from '../generated/sqlite/client.ts';
import { bulkInsert, placeholders } from './bulk-insert.ts';
import { OPEN_STATUSES } from '../../core/requests/request.ts';
import { enqueueJob, jobsCommitted } from './job.repository.ts';
import { writeNotices } from './outbox.ts';
import { isUniqueViolation } from './prisma-errors.ts';
import { earliest, updateRequestInTx } from './service-request.repository.ts';

const HANDOVER_SELECT = { id: true, leaverId: true, startedById: true, lastDay: true, status: true, createdAt: true } as const satisfies Prisma.HandoverSelect;
type HandoverRow = Prisma.HandoverGetPayload<{ select: typeof HANDOVER_SELECT }>;
const toHandover = (r: HandoverRow): Handover => ({ ...r, status: r.status as HandoverStatus });

const ITEM_SELECT = {
  id: true,
  handoverId: true,
  customerId: true,
  customerName: true,
  successorId: true,
  stage: true,
  step: true,
  needsNote: true,
  dueDay: true,
  status: true,
  leaverDoneAt: true,
  successorDoneAt: true,
  visitDay: true,
  note: true,
} as const satisfies Prisma.HandoverItemSelect;
type ItemRow = Prisma.HandoverItemGetPayload<{ select: typeof ITEM_SELECT }>;
function toItem(r: ItemRow): HandoverItem {
  return {
    ...r,
    stage: r.stage as Stage,
    step: r.step as HandoverStep,
    status: r.status as ItemStatus,
    leaverDoneAt: r.leaverDoneAt ?? undefined,
    successorDoneAt: r.successorDoneAt ?? undefined,
    visitDay: r.visitDay ?? undefined,
    note: r.note ?? undefined,
  };
}

/** Statements take at most this many customer ids (well under SQLite's and PostgreSQL's bound-parameter limits). */
const ID_CHUNK = 900;

/** The raw writes a move needs: multi-row INSERTs and the placeholders of the provider. */
interface RawWrites {
  insert: ReturnType<typeof bulkInsert>;
  provider: Database['provider'];
}
const EVENT_COLUMNS = ['id', 'customerId', 'kind', 'fromPersonId', 'toPersonId', 'byPersonId', 'reason', 'at'] as const;
const ITEM_COLUMNS = ['id', 'handoverId', 'customerId', 'customerName', 'successorId', 'stage', 'step', 'needsNote', 'dueDay', 'status', 'doneAt'] as const;

interface Move {
  from: string;
  at: Date;
  releaseAt: Date;
  byPersonId?: string;
  reason?: string;
}

/** `rows` grouped by `key`, each as `value`, in the order met. */
function groupBy<R, K, V>(rows: readonly R[], key: (r: R) => K, value: (r: R) => V): Map<K, V[]> {
  const groups = new Map<K, V[]>();
  for (const r of rows) {
    const k = key(r);
    const g = groups.get(k);
    if (g) g.push(value(r));
    else groups.set(k, [value(r)]);
  }
  return groups;
}

/** Customer → successor, for the rows of `table` whose `customerId` is a key: one update per successor that has any (pending extension requests, open contests: few). */
async function followCustomers(tx: Tx, table: 'extensionRequest' | 'contest', toOf: ReadonlyMap<string, string>, from: string): Promise<void> {
  const where = { customerId: { in: [...toOf.keys()] }, status: 'open', ownerId: from };
  const rows = table === 'contest' ? await tx.contest.findMany({ where, select: { id: true, customerId: true } }) : await tx.extensionRequest.findMany({ where, select: { id: true, customerId: true } });
  for (const [ownerId, ids] of groupBy(rows, (r) => toOf.get(r.customerId)!, (r) => r.id)) {
    if (table === 'contest') await tx.contest.updateMany({ where: { id: { in: ids }, ownerId: from }, data: { ownerId } });
    else await tx.extensionRequest.updateMany({ where: { id: { in: ids }, ownerId: from }, data: { ownerId } });
  }
}

/**
 * Moves customers from the leaver to their successors (any number of them), set-based: per
 * chunk of ids one UPDATE (the new owner by a CASE on the id; only rows the leaver still
 * owns), one read of what moved when not all did, one insert of their `handover` history,
 * and one read each of their pending extension requests and open contests (which move with
 * them, per successor, when there are any) — about four statements per 900 customers
 * whatever the number of successors, not four per customer. Returns the ids that moved.
 */
async function moveCustomers(tx: Tx, raw: RawWrites, targets: readonly { customerId: string; to: string }[], m: Move): Promise<string[]> {
  const moved: string[] = [];
  for (let i = 0; i < targets.length; i += ID_CHUNK) {
    const chunk = targets.slice(i, i + ID_CHUNK);
    const p = placeholders(raw.provider);
    const cases = chunk.map(() => `WHEN ${p()} THEN ${p()}`).join(' ');
    const set = `"previousOwnerId" = ${p()}, "claimedAt" = ${p()}, "lastTouchAt" = ${p()}, "releaseAt" = ${p()}, "extendedUntil" = NULL, "updatedAt" = ${p()}`;
    const ids = chunk.map(() => p()).join(',');
    // The pool clock starts fresh for the successor (updatedAt as Prisma's @updatedAt would set it).
    const count = await tx.$executeRawUnsafe(
      `UPDATE "Customer" SET "ownerId" = CASE "id" ${cases} END, ${set} WHERE "id" IN (${ids}) AND "ownerId" = ${p()}`,
      ...chunk.flatMap((t) => [t.customerId, t.to]), m.from, m.at, m.at, m.releaseAt, new Date(), ...chunk.map((t) => t.customerId), m.from,
    );
    if (count === 0) continue;
    const toOf = new Map(chunk.map((t) => [t.customerId, t.to]));
    if (count < chunk.length) {
      // The rows this update moved (it holds their locks): nobody else writes this previous owner and claim time.
      const rows = await tx.customer.findMany({ where: { id: { in: [...toOf.keys()] }, previousOwnerId: m.from, claimedAt: m.at }, select: { id: true, ownerId: true } });
      const movedNow = new Set(rows.filter((r) => r.ownerId === toOf.get(r.id)).map((r) => r.id));
      for (const id of [...toOf.keys()]) if (!movedNow.has(id)) toOf.delete(id);
    }
    await raw.insert(tx, 'OwnershipEvent', EVENT_COLUMNS, [...toOf].map(([customerId, to]) => [randomUUID(), customerId, 'handover', m.from, to, m.byPersonId ?? null, m.reason ?? null, m.at]));
    // Pending extension requests move with the customer: the successor's to decide on now.
    await followCustomers(tx, 'extensionRequest', toOf, m.from);
    // An open contest against the leaver's claim stands against the successor's.
    await followCustomers(tx, 'contest', toOf, m.from);
    moved.push(...toOf.keys());
  }
  return moved;
}

/** One customer's move (a step completed, a transfer now): true if the leaver still owned it. */
async function moveCustomer(tx: Tx, raw: RawWrites, m: Move & { customerId: string; to: string }): Promise<boolean> {
  return (await moveCustomers(tx, raw, [{ customerId: m.customerId, to: m.to }], m)).length > 0;
}

/** The job a joint visit's reminder rides on (jobs/handovers/handover-morning.job.ts). */
export const HANDOVER_VISIT_REMINDER = 'handover.visitReminder';

async function closeIfFinished(tx: Tx, handoverId: string, at: Date): Promise<void> {
  if ((await tx.handoverItem.count({ where: { handoverId, status: 'pending' } })) > 0) return;
  await tx.handover.updateMany({ where: { id: handoverId, status: 'open' }, data: { status: 'done', openKey: null, closedAt: at } });
}

export function createHandoverStore(db: Database): HandoverStore {
  const { prisma } = db;
  const insert = bulkInsert(db.provider);
  const raw: RawWrites = { insert, provider: db.provider };
  return {
    async planInputs({ leaverId, candidateIds, recordSince, repeatSince }) {
      const [owned, repeats, atStage, moved] = await Promise.all([
        prisma.customer.findMany({ where: { ownerId: leaverId, lostAt: null }, select: { id: true, name: true, stage: true } }),
        prisma.ownershipEvent.groupBy({ by: ['customerId'], where: { kind: 'handover', at: { gte: repeatSince }, customer: { ownerId: leaverId } }, _count: { _all: true } }),
        prisma.customer.groupBy({ by: ['ownerId', 'stage'], where: { ownerId: { in: candidateIds }, lostAt: null }, _count: { _all: true } }),
        prisma.stageChange.groupBy({ by: ['byPersonId', 'fromStage', 'toStage'], where: { byPersonId: { in: candidateIds }, at: { gte: recordSince } }, _count: { _all: true } }),
      ]);
      const repeatOf = new Map(repeats.map((r) => [r.customerId, r._count._all]));
      const records = new Map<string, Map<number, StageRecord>>();
      const recordOf = (personId: string, stage: number) => {
        let byStage = records.get(personId);
        if (!byStage) records.set(personId, (byStage = new Map()));
        let r = byStage.get(stage);
        if (!r) byStage.set(stage, (r = { stage: stage as Stage, reached: 0, movedPast: 0 }));
        return r;
      };
      for (const a of atStage) if (a.ownerId) recordOf(a.ownerId, a.stage).reached += a._count._all;
      for (const m of moved) {
        // Left the stage during the window: forward (moved past it) or lost from it; both reached it.
        const r = recordOf(m.byPersonId, m.fromStage);
        r.reached += m._count._all;
        if (m.toStage > m.fromStage) r.movedPast += m._count._all;
      }
      // Held toward the cap: the same counts, 100% aside (one read of the candidates' books, not two).
      const heldOf = new Map<string, number>();
      for (const a of atStage) if (a.ownerId && a.stage !== 100) heldOf.set(a.ownerId, (heldOf.get(a.ownerId) ?? 0) + a._count._all);
      return {
        customers: owned.map((c) => ({ id: c.id, name: c.name, stage: c.stage as Stage, recentHandovers: repeatOf.get(c.id) ?? 0 })),
        candidates: candidateIds.map((personId) => ({ personId, held: heldOf.get(personId) ?? 0, records: [...(records.get(personId)?.values() ?? [])] })),
      };
    },

    async start(h, notices) {
      try {
        const transferred = await prisma.$transaction(async (tx) => {
          await tx.handover.create({ data: { id: h.id, leaverId: h.leaverId, startedById: h.startedById, lastDay: h.lastDay, status: 'open', openKey: h.leaverId, createdAt: h.at }, select: { id: true } });
          await insert(tx, 'HandoverItem', ITEM_COLUMNS, h.items.map((i) => {
            const now = i.step === 'transfer';
            return [i.id, h.id, i.customerId, i.customerName, i.successorId, i.stage, i.step, i.needsNote, i.dueDay, now ? 'done' : 'pending', now ? h.at : null];
          }));
          // The 0% customers, set-based: one group per stage (which sets the pool clock), every successor at once.
          const byStage = groupBy(h.items.filter((i) => i.step === 'transfer'), (i) => i.stage, (i) => ({ customerId: i.customerId, to: i.successorId }));
          let moved = 0;
          for (const [stage, targets] of byStage) moved += (await moveCustomers(tx, raw, targets, { from: h.leaverId, at: h.at, releaseAt: h.releaseAt(stage), byPersonId: h.startedById })).length;
          const visitsMoved = await moveExpectedVisits(tx, h);
          // Open contests the leaver was to decide: theirs to decide who started the handover (their manager line, or an admin).
          await tx.contest.updateMany({ where: { arbiterId: h.leaverId, status: 'open' }, data: { arbiterId: h.startedById } });
          // The leaver's open requests (issue 14 point 5): each from the version read; one changed since stays as it is.
          let requestsMoved = 0;
          for (const r of h.requests ?? []) if (await updateRequestInTx(tx, r.next, r.fromVersion, r.effects)) requestsMoved++;
          await closeIfFinished(tx, h.id, h.at);
          await writeNotices(tx, notices);
          return { moved, visitsMoved, requestsMoved };
        });
        if (transferred.requestsMoved) {
          const due = (h.requests ?? []).map((r) => earliest(r.effects, r.next.nextAlertAt)).filter((d): d is Date => d !== undefined);
          jobsCommitted(db, due.reduce((a, b) => (a < b ? a : b), h.at));
        }
        return { ok: true, transferred: transferred.moved, visitsMoved: transferred.visitsMoved, requestsMoved: transferred.requestsMoved };
      } catch (e) {
        if (isUniqueViolation(e)) return { ok: false, reason: 'alreadyOpen' };
        throw e;
      }
    },

    async findOpenByLeaver(leaverId) {
      const row = await prisma.handover.findUnique({ where: { openKey: leaverId }, select: HANDOVER_SELECT });
      return row ? toHandover(row) : undefined;
    },
    async lastByLeaver(leaverId) {
      // A company's handovers are few (one per departure): no index on leaverId.
      const row = await prisma.handover.findFirst({ where: { leaverId, status: { not: 'cancelled' } }, orderBy: { createdAt: 'desc' }, select: HANDOVER_SELECT });
      return row ? toHandover(row) : undefined;
    },
    async find(id) {
      const row = await prisma.handover.findUnique({ where: { id }, select: HANDOVER_SELECT });
      return row ? toHandover(row) : undefined;
    },
    async items(handoverId) {
      return (await prisma.handoverItem.findMany({ where: { handoverId }, orderBy: [{ stage: 'desc' }, { customerName: 'asc' }], select: ITEM_SELECT })).map(toItem);
    },
    async item(id) {
      const row = await prisma.handoverItem.findUnique({ where: { id }, select: ITEM_SELECT });
      return row ? toItem(row) : undefined;
    },
    async listOpen() {
      return (await prisma.handover.findMany({ where: { status: 'open' }, orderBy: { createdAt: 'asc' }, select: HANDOVER_SELECT })).map(toHandover);
    },

    async owners() {
      const rows = await prisma.customer.groupBy({ by: ['ownerId'], where: { ownerId: { not: null } }, _count: { _all: true } });
      return rows.map((r) => ({ ownerId: r.ownerId!, count: r._count._all }));
    },

    async openWork(today) {
      const [visits, contests, requests] = await Promise.all([
        prisma.expectedVisit.groupBy({ by: ['personId'], where: { day: { gte: today }, visitId: null }, _count: { _all: true } }),
        prisma.contest.groupBy({ by: ['arbiterId'], where: { status: 'open' }, _count: { _all: true } }),
        prisma.serviceRequest.groupBy({ by: ['assigneeId'], where: { assigneeId: { not: null }, status: { in: [...OPEN_STATUSES] } }, _count: { _all: true } }),
      ]);
      const work = new Map<string, { personId: string; visits: number; contests: number; requests: number }>();
      const of = (personId: string) => work.get(personId) ?? work.set(personId, { personId, visits: 0, contests: 0, requests: 0 }).get(personId)!;
      for (const v of visits) of(v.personId).visits += v._count._all;
      for (const c of contests) of(c.arbiterId).contests += c._count._all;
      for (const r of requests) if (r.assigneeId) of(r.assigneeId).requests += r._count._all;
      return [...work.values()];
    },

    async record(change, notices, completion) {
      return prisma.$transaction(async (tx) => {
        const data =
          change.part === 'leaverDone'
            ? { leaverDoneAt: change.at }
            : change.part === 'successorDone'
              ? { successorDoneAt: change.at }
              : change.part === 'visitDay'
                ? { visitDay: change.visitDay }
                : { note: change.note, noteAt: change.at };
        // Only a pending item, and a confirmation only once: a second press changes nothing.
        const once = change.part === 'leaverDone' ? { leaverDoneAt: null } : change.part === 'successorDone' ? { successorDoneAt: null } : {};
        const { count } = await tx.handoverItem.updateMany({ where: { id: change.itemId, status: 'pending', ...once }, data });
        if (count === 0) return 'stale' as const;
        if (change.part === 'visitDay') {
          for (const r of change.reminders) {
            await enqueueJob(tx, { kind: HANDOVER_VISIT_REMINDER, payload: { itemId: r.itemId, visitDay: r.visitDay, when: r.when }, runAt: r.runAt, idempotencyKey: `${HANDOVER_VISIT_REMINDER}:${r.itemId}:${r.visitDay}:${r.when}` });
          }
        }
        const row = await tx.handoverItem.findUniqueOrThrow({ where: { id: change.itemId }, select: { ...ITEM_SELECT, handover: { select: { leaverId: true } } } });
        const item = toItem(row);
        if ('note' in change && change.note && change.part !== 'note') {
          await tx.followUp.create({ data: { id: randomUUID(), customerId: item.customerId, personId: change.part === 'leaverDone' ? row.handover.leaverId : item.successorId, kind: 'note', note: change.note, at: change.at }, select: { id: true } });
        }
        if (!itemComplete(item)) {
          await writeNotices(tx, notices.recorded);
          return 'recorded' as const;
        }
        await tx.handoverItem.update({ where: { id: item.id }, data: { status: 'done', doneAt: completion.at }, select: { id: true } });
        if (completion.followUp) {
          await tx.followUp.create({ data: { id: randomUUID(), customerId: item.customerId, personId: item.successorId, kind: completion.followUp.kind, note: completion.followUp.note, at: completion.at }, select: { id: true } });
        }
        await moveCustomer(tx, raw, { customerId: item.customerId, from: row.handover.leaverId, to: item.successorId, at: completion.at, releaseAt: completion.releaseAt, byPersonId: completion.byPersonId });
        await closeIfFinished(tx, item.handoverId, completion.at);
        await writeNotices(tx, notices.completed);
        return 'completed' as const;
      });
    },

    async transferNow(itemId, flag, c, notices) {
      return prisma.$transaction(async (tx) => {
        const { count } = await tx.handoverItem.updateMany({ where: { id: itemId, status: 'pending' }, data: { status: flag, doneAt: c.at } });
        if (count === 0) return false;
        const row = await tx.handoverItem.findUniqueOrThrow({ where: { id: itemId }, select: { customerId: true, successorId: true, handoverId: true, handover: { select: { leaverId: true } } } });
        await moveCustomer(tx, raw, { customerId: row.customerId, from: row.handover.leaverId, to: row.successorId, at: c.at, releaseAt: c.releaseAt, byPersonId: c.byPersonId, reason: flag === 'incomplete' ? 'incomplete' : undefined });
        await closeIfFinished(tx, row.handoverId, c.at);
        await writeNotices(tx, notices);
        return true;
      });
    },

    async extend(itemId, dueDay) {
      const { count } = await prisma.handoverItem.updateMany({ where: { id: itemId, status: 'pending' }, data: { dueDay } });
      return count > 0;
    },

    async reassign(itemId, successorId, notices) {
      return prisma.$transaction(async (tx) => {
        const row = await tx.handoverItem.findUnique({ where: { id: itemId }, select: { step: true } });
        // A visit starts over with the new successor: a day of their own, both confirmations.
        const visit = row?.step === 'visit' ? { leaverDoneAt: null, visitDay: null } : {};
        const { count } = await tx.handoverItem.updateMany({ where: { id: itemId, status: 'pending', successorId: { not: successorId } }, data: { successorId, successorDoneAt: null, ...visit } });
        if (count === 0) return false;
        await writeNotices(tx, notices);
        return true;
      });
    },

    async held(personId) {
      return prisma.customer.count({ where: { ownerId: personId, lostAt: null, stage: { not: 100 } } });
    },

    async cancel(handoverId, at, notices) {
      return prisma.$transaction(async (tx) => {
        const { count } = await tx.handover.updateMany({ where: { id: handoverId, status: 'open' }, data: { status: 'cancelled', openKey: null, closedAt: at } });
        if (count === 0) return false;
        await tx.handoverItem.updateMany({ where: { handoverId, status: 'pending' }, data: { status: 'cancelled', doneAt: at } });
        await writeNotices(tx, notices);
        return true;
      });
    },

    async changeLastDay(handoverId, lastDay, dueDay, notices) {
      return prisma.$transaction(async (tx) => {
        const { count } = await tx.handover.updateMany({ where: { id: handoverId, status: 'open' }, data: { lastDay } });
        if (count === 0) return false;
        await tx.handoverItem.updateMany({ where: { handoverId, status: 'pending' }, data: { dueDay } });
        await writeNotices(tx, notices);
        return true;
      });
    },

    async latestNote(customerId) {
      const row = await prisma.handoverItem.findFirst({ where: { customerId, note: { not: null } }, orderBy: { noteAt: 'desc' }, select: { note: true, noteAt: true, successorId: true, handover: { select: { leaverId: true } } } });
      return row?.note ? { note: row.note, at: row.noteAt ?? new Date(0), leaverId: row.handover.leaverId, successorId: row.successorId } : undefined;
    },
  };
}

/**
 * The leaver's expected visits from today on move with the handover: to the successor of
 * the customer they are for (the same name key), else to whoever started the handover.
 */
async function moveExpectedVisits(tx: Tx, h: NewHandover): Promise<number> {
  const expected = await tx.expectedVisit.findMany({ where: { personId: h.leaverId, day: { gte: h.today }, visitId: null }, select: { id: true, companyKey: true } });
  if (!expected.length) return 0;
  const customers = await tx.customer.findMany({ where: { nameKey: { in: [...new Set(expected.map((e) => e.companyKey))] } }, select: { id: true, nameKey: true } });
  const successorOf = new Map(h.items.map((i) => [i.customerId, i.successorId]));
  const byKey = new Map(customers.map((c) => [c.nameKey, successorOf.get(c.id)]));
  // One update per new host, not one per visit (only those still the leaver's and not come).
  let moved = 0;
  for (const [personId, ids] of groupBy(expected, (e) => byKey.get(e.companyKey) ?? h.startedById, (e) => e.id)) {
    for (let i = 0; i < ids.length; i += ID_CHUNK) moved += (await tx.expectedVisit.updateMany({ where: { id: { in: ids.slice(i, i + ID_CHUNK) }, personId: h.leaverId, visitId: null }, data: { personId } })).count;
  }
  return moved;
}
