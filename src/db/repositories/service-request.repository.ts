// Service requests (core/requests/request.ts RequestStore). Every write is one transaction
// with its effects: the notices (outbox; updates in place of the messages sent before), the
// department channel's card, and — for a request naming a customer — the entry in that
// customer's history. A change is stored only from the version it was computed from, so a
// second press, a retry or another replica changes nothing. Numbers are given in order
// inside the creating transaction; two submissions racing for one number retry.
import { randomUUID } from 'node:crypto';
import type { PauseFlagRecord, RequestEffects, RequestListItem, RequestStatus, RequestStore, ServiceRequest } from '../../core/requests/request.ts';
import { FINAL_STATUSES, OPEN_STATUSES } from '../../core/requests/request.ts';
import type { Database, Tx } from '../client.ts';
import type { Prisma } from '../generated/sqlite/client.ts';
import { enqueueJob, jobsCommitted } from './job.repository.ts';
import { NOTIFY_CHANNEL, writeNotices } from './outbox.ts';
import { isUniqueViolation } from './prisma-errors.ts';
import { CHANNEL_PERSON_PREFIX, requestMessageUpdate } from './sent-message.repository.ts';

const SELECT = {
  id: true, number: true, serviceKey: true, departmentId: true, requesterId: true, assigneeId: true, status: true, fields: true, state: true, customerId: true, customerName: true,
  version: true, clockStart: true, firstResponseDue: true, resolutionDue: true, pausedMs: true, pausedAt: true, respondedAt: true, lastRequesterCommentAt: true, extendedMs: true, nextAlertAt: true, alertsSentUpTo: true, rating: true, ratingComment: true, ratedAt: true, ratingClosedAt: true, resolvedAt: true, closedAt: true, submittedAt: true,
} as const;
type Row = Prisma.ServiceRequestGetPayload<{ select: typeof SELECT }>;

/** What of a request lives in the `state` JSON column. */
interface RequestState {
  told: string[];
  requesterMessage?: string;
  approverId?: string;
  last: { action: ServiceRequest['last']['action']; byPersonId: string; at: string };
  display: ServiceRequest['display'];
}

const u = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

function toRequest(r: Row): ServiceRequest {
  const s = JSON.parse(r.state) as RequestState;
  return {
    id: r.id, number: r.number, serviceKey: r.serviceKey, departmentId: r.departmentId, requesterId: r.requesterId, assigneeId: u(r.assigneeId), status: r.status as RequestStatus,
    fields: JSON.parse(r.fields) as ServiceRequest['fields'], customer: r.customerId ? { id: r.customerId, name: r.customerName ?? '' } : undefined, version: r.version,
    clockStart: r.clockStart, firstResponseDue: r.firstResponseDue, resolutionDue: r.resolutionDue, pausedMs: r.pausedMs, pausedAt: u(r.pausedAt), respondedAt: u(r.respondedAt), lastRequesterCommentAt: u(r.lastRequesterCommentAt), extendedMs: r.extendedMs, nextAlertAt: u(r.nextAlertAt), alertsSentUpTo: u(r.alertsSentUpTo),
    rating: r.rating !== null && r.ratedAt ? { score: r.rating, comment: u(r.ratingComment), at: r.ratedAt } : undefined, ratingClosedAt: u(r.ratingClosedAt),
    resolvedAt: u(r.resolvedAt), closedAt: u(r.closedAt), submittedAt: r.submittedAt, told: s.told, ...(s.requesterMessage ? { requesterMessage: s.requesterMessage } : {}), ...(s.approverId ? { approverId: s.approverId } : {}), last: { ...s.last, at: new Date(s.last.at) }, display: s.display,
  };
}

function columns(r: ServiceRequest) {
  const state: RequestState = { told: r.told, ...(r.requesterMessage ? { requesterMessage: r.requesterMessage } : {}), ...(r.approverId ? { approverId: r.approverId } : {}), last: { ...r.last, at: r.last.at.toISOString() }, display: r.display };
  return {
    assigneeId: r.assigneeId ?? null, status: r.status, state: JSON.stringify(state), version: r.version, clockStart: r.clockStart, firstResponseDue: r.firstResponseDue,
    resolutionDue: r.resolutionDue, pausedMs: r.pausedMs, extendedMs: r.extendedMs, nextAlertAt: r.nextAlertAt ?? null, alertsSentUpTo: r.alertsSentUpTo ?? null, pausedAt: r.pausedAt ?? null, respondedAt: r.respondedAt ?? null, resolvedAt: r.resolvedAt ?? null, closedAt: r.closedAt ?? null,
    updatedAt: r.last.at,
  };
}

/** Rows per list of a digest's period: far more than a week of one line's or department's requests. */
const DIGEST_ROWS = 5000;

const LIST_SELECT = { id: true, number: true, serviceKey: true, departmentId: true, requesterId: true, assigneeId: true, status: true, resolutionDue: true, submittedAt: true } as const;
const toItem = (r: Prisma.ServiceRequestGetPayload<{ select: typeof LIST_SELECT }>): RequestListItem => ({ ...r, assigneeId: u(r.assigneeId), status: r.status as RequestStatus });

/** The job kind that sends the reminders due (jobs/requests/request-sweep.job.ts). */
export const REQUEST_SWEEP = 'request.sweep';

/** The job kind that closes an unanswered rating prompt at the end of its window (jobs/requests/rating-close.job.ts). */
export const REQUEST_RATING_CLOSE = 'request.ratingClose';

/** Wakes the sweep when the request's next alert is due (one job per instant, whichever requests share it). */
async function wakeSweepAt(tx: Tx, at: Date | undefined): Promise<void> {
  if (at) await enqueueJob(tx, { kind: REQUEST_SWEEP, payload: null, runAt: at, idempotencyKey: `${REQUEST_SWEEP}:${at.toISOString()}` });
}

/** The pause audit's flags, once per pause and flag (a retry writes nothing more). */
async function writePauseFlags(tx: Tx, flags: readonly PauseFlagRecord[]): Promise<void> {
  for (const f of flags) {
    await tx.requestPauseFlag.upsert({
      where: { requestId_pausedAt_flag: { requestId: f.requestId, pausedAt: f.pausedAt, flag: f.flag } },
      create: { id: randomUUID(), requestId: f.requestId, departmentId: f.departmentId, flag: f.flag, pausedAt: f.pausedAt, flaggedAt: f.flaggedAt },
      update: {},
      select: { id: true },
    });
  }
}

async function writeEffects(tx: Tx, e: RequestEffects): Promise<void> {
  await writeNotices(tx, e.notices);
  if (e.card) {
    const { card } = e;
    if (card.first) await enqueueJob(tx, { kind: NOTIFY_CHANNEL, payload: { departmentId: card.departmentId, notice: card.notice }, runAt: card.at, idempotencyKey: card.key });
    else await requestMessageUpdate(tx, { key: card.key, personId: `${CHANNEL_PERSON_PREFIX}${card.departmentId}`, content: { notice: card.notice }, at: card.at });
  }
  if (e.followUp) {
    const f = e.followUp;
    // In the customer's history, as the requester's note; it does not restart the pool clock.
    await tx.followUp.create({ data: { id: randomUUID(), customerId: f.customerId, personId: f.personId, kind: 'note', note: f.note, at: f.at }, select: { id: true } });
    await tx.customer.updateMany({ where: { id: f.customerId }, data: { lastTouchAt: f.at } });
  }
  if (e.comment) {
    const c = e.comment;
    await tx.requestComment.create({ data: { id: c.id, requestId: c.requestId, personId: c.byPersonId, text: c.text, at: c.at }, select: { id: true } });
  }
  if (e.pauseFlags) await writePauseFlags(tx, e.pauseFlags);
  if (e.ratingClose) {
    const { requestId, at } = e.ratingClose;
    // Once per request: a second resolution (after a reopen) keeps the first prompt and its end.
    await enqueueJob(tx, { kind: REQUEST_RATING_CLOSE, payload: { requestId }, runAt: at, idempotencyKey: `${REQUEST_RATING_CLOSE}:${requestId}` });
  }
  if (e.settlePromises) {
    const p = e.settlePromises;
    const open = { customerId: p.customerId, serviceKey: p.serviceKey, outcome: null };
    await tx.customerPromise.updateMany({ where: { ...open, date: { gte: p.day } }, data: { outcome: 'kept', requestId: p.requestId, decidedAt: p.at } });
    await tx.customerPromise.updateMany({ where: { ...open, date: { lt: p.day } }, data: { outcome: 'broken', requestId: p.requestId, decidedAt: p.at } });
  }
}

/**
 * Stores `next` in `tx` only if the row is still at `fromVersion`, with its effects (a
 * change of another capability's transaction: a leaver's requests moved by their handover).
 */
export async function updateRequestInTx(tx: Tx, next: ServiceRequest, fromVersion: number, effects: RequestEffects): Promise<boolean> {
  const { count } = await tx.serviceRequest.updateMany({ where: { id: next.id, version: fromVersion }, data: { ...columns(next), requesterId: next.requesterId } });
  if (count === 0) return false;
  await writeEffects(tx, effects);
  await wakeSweepAt(tx, next.nextAlertAt);
  return true;
}

export const earliest = (e: RequestEffects, alertAt?: Date) => [...e.notices.map((n) => n.runAt), ...(e.card ? [e.card.at] : []), ...(alertAt ? [alertAt] : [])].reduce<Date | undefined>((a, b) => (a && a < b ? a : b), undefined);

const MAX_NUMBER_RACES = 8;

export function createRequestStore(db: Database): RequestStore {
  const { prisma } = db;
  return {
    async create(request, duplicateKey, effectsFor) {
      for (let attempt = 1; ; attempt++) {
        try {
          const numbered = await prisma.$transaction(async (tx) => {
            const last = await tx.serviceRequest.findFirst({ orderBy: { number: 'desc' }, select: { number: true } });
            const r = { ...request, number: (last?.number ?? 0) + 1 };
            await tx.serviceRequest.create({
              data: {
                id: r.id, number: r.number, serviceKey: r.serviceKey, departmentId: r.departmentId, requesterId: r.requesterId, fields: JSON.stringify(r.fields),
                customerId: r.customer?.id ?? null, customerName: r.customer?.name ?? null, duplicateKey, submittedAt: r.submittedAt, ...columns(r),
              },
              select: { id: true },
            });
            const effects = effectsFor(r);
            await writeEffects(tx, effects);
            await wakeSweepAt(tx, r.nextAlertAt);
            return { r, effects };
          });
          jobsCommitted(db, earliest(numbered.effects, numbered.r.nextAlertAt));
          return { ok: true, request: numbered.r };
        } catch (e) {
          if (!isUniqueViolation(e)) throw e;
          const existing = await prisma.serviceRequest.findUnique({ where: { duplicateKey }, select: SELECT });
          if (existing) return { ok: false, existing: toRequest(existing) };
          // Another submission took the number: the next one.
          if (attempt >= MAX_NUMBER_RACES) throw e;
        }
      }
    },

    async get(id) {
      const row = await prisma.serviceRequest.findUnique({ where: { id }, select: SELECT });
      return row ? toRequest(row) : undefined;
    },

    async update(next, fromVersion, effects) {
      const done = await prisma.$transaction((tx) => updateRequestInTx(tx, next, fromVersion, effects));
      if (done) jobsCommitted(db, earliest(effects, next.nextAlertAt));
      return done;
    },

    async lastAssignee(serviceKey) {
      const row = await prisma.serviceRequest.findFirst({ where: { serviceKey }, orderBy: { submittedAt: 'desc' }, select: { assigneeId: true } });
      return u(row?.assigneeId ?? null);
    },

    async awayOn(day) {
      const rows = await prisma.requestAway.findMany({ where: { fromDay: { lte: day }, toDay: { gte: day } }, select: { personId: true, fromDay: true, toDay: true } });
      return rows.map((r) => ({ personId: r.personId, from: r.fromDay, to: r.toDay }));
    },

    async addAway(a, notices) {
      await prisma.$transaction(async (tx) => {
        await tx.requestAway.create({ data: { id: randomUUID(), personId: a.personId, fromDay: a.from, toDay: a.to, createdAt: a.at }, select: { id: true } });
        await writeNotices(tx, notices);
      });
      if (notices.length) jobsCommitted(db, a.at);
    },

    async dueForAlerts(now, limit) {
      const rows = await prisma.serviceRequest.findMany({ where: { nextAlertAt: { lte: now } }, orderBy: { nextAlertAt: 'asc' }, take: limit, select: SELECT });
      return rows.map(toRequest);
    },

    async recordAlerts(r, sentUpTo, nextAlertAt, notices, pauseFlags = []) {
      const done = await prisma.$transaction(async (tx) => {
        const { count } = await tx.serviceRequest.updateMany({ where: { id: r.id, version: r.version, nextAlertAt: r.nextAlertAt ?? null }, data: { alertsSentUpTo: sentUpTo, nextAlertAt: nextAlertAt ?? null } });
        if (count === 0) return { stored: false, added: 0 };
        await writePauseFlags(tx, pauseFlags);
        const added = await writeNotices(tx, notices);
        await wakeSweepAt(tx, nextAlertAt);
        return { stored: true, added };
      });
      if (done.stored) jobsCommitted(db, notices.length ? sentUpTo : nextAlertAt);
      return done;
    },

    async rate(id, rating, notices) {
      const done = await prisma.$transaction(async (tx) => {
        // Not once its prompt closed: the close and a late press cannot both win.
        const { count } = await tx.serviceRequest.updateMany({ where: { id, rating: null, ratingClosedAt: null }, data: { rating: rating.score, ratingComment: rating.comment ?? null, ratedAt: rating.at } });
        if (count === 0) return false;
        await writeNotices(tx, notices);
        return true;
      });
      if (done && notices.length) jobsCommitted(db, rating.at);
      return done;
    },

    async flaggedPauses(departmentIds, from, to) {
      const rows = await prisma.requestPauseFlag.findMany({
        where: { departmentId: { in: departmentIds }, flaggedAt: { gte: from, lt: to } },
        orderBy: { flaggedAt: 'asc' },
        take: DIGEST_ROWS,
        select: { requestId: true, departmentId: true, flag: true, pausedAt: true, flaggedAt: true },
      });
      return rows.map((f) => ({ ...f, flag: f.flag as PauseFlagRecord['flag'] }));
    },

    async closeRating(id, at, notices) {
      const done = await prisma.$transaction(async (tx) => {
        const { count } = await tx.serviceRequest.updateMany({ where: { id, rating: null, ratingClosedAt: null }, data: { ratingClosedAt: at } });
        if (count === 0) return false;
        await writeNotices(tx, notices);
        return true;
      });
      if (done && notices.length) jobsCommitted(db, at);
      return done;
    },

    async recordPromise(p) {
      // In a transaction: written once however often the command runs (db/effect-fence.ts).
      await prisma.$transaction((tx) => tx.customerPromise.create({ data: { id: randomUUID(), customerId: p.customerId ?? null, company: p.company, serviceKey: p.serviceKey, date: p.date, personId: p.personId, createdAt: p.at }, select: { id: true } }));
    },

    async digestRows(scope, from, to) {
      // A line's requests through the requester index; a department's through its own.
      const who = 'requesterIds' in scope ? { requesterId: { in: scope.requesterIds } } : { departmentId: { in: scope.departmentIds } };
      const [received, resolved, overdue, checked, settled] = await Promise.all([
        prisma.serviceRequest.findMany({ where: { ...who, submittedAt: { gte: from, lt: to } }, select: { departmentId: true, clockStart: true, respondedAt: true }, take: DIGEST_ROWS }),
        prisma.serviceRequest.findMany({ where: { ...who, resolvedAt: { gte: from, lt: to } }, select: { departmentId: true, resolvedAt: true, resolutionDue: true, rating: true, ratingComment: true }, take: DIGEST_ROWS }),
        prisma.serviceRequest.groupBy({ by: ['departmentId'], where: { ...who, status: { in: [...OPEN_STATUSES] }, resolutionDue: { lt: to } }, _count: { _all: true } }),
        // Promises are the line's (a head's digest has none of its own).
        'requesterIds' in scope ? prisma.customerPromise.count({ where: { personId: { in: scope.requesterIds }, createdAt: { gte: from, lt: to } } }) : 0,
        'requesterIds' in scope ? prisma.customerPromise.groupBy({ by: ['outcome'], where: { personId: { in: scope.requesterIds }, decidedAt: { gte: from, lt: to } }, _count: { _all: true } }) : [],
      ]);
      const count = (outcome: string) => settled.find((p) => p.outcome === outcome)?._count._all ?? 0;
      return {
        received: received.map((r) => ({ departmentId: r.departmentId, clockStart: r.clockStart, respondedAt: r.respondedAt ?? undefined })),
        resolved: resolved.map((r) => ({ departmentId: r.departmentId, resolvedAt: r.resolvedAt!, resolutionDue: r.resolutionDue, rating: r.rating ?? undefined, ratingComment: r.ratingComment ?? undefined })),
        overdue: overdue.map((o) => ({ departmentId: o.departmentId, count: o._count._all })),
        promises: { checked, kept: count('kept'), broken: count('broken') },
      };
    },

    async openServiceKeys(keys, among) {
      const rows = await prisma.serviceRequest.findMany({
        where: { serviceKey: among ? { in: keys } : { notIn: keys }, status: { notIn: [...FINAL_STATUSES] } },
        distinct: ['serviceKey'],
        select: { serviceKey: true },
      });
      return rows.map((r) => r.serviceKey);
    },

    async byNumber(number) {
      const row = await prisma.serviceRequest.findUnique({ where: { number }, select: SELECT });
      return row ? toRequest(row) : undefined;
    },

    async addComment(c, notices, card) {
      await prisma.$transaction(async (tx) => {
        await tx.requestComment.create({ data: { id: c.id, requestId: c.requestId, personId: c.byPersonId, text: c.text, at: c.at }, select: { id: true } });
        if (c.byRequester) await tx.serviceRequest.updateMany({ where: { id: c.requestId }, data: { lastRequesterCommentAt: c.at } });
        await writeNotices(tx, notices);
        if (card) await enqueueJob(tx, { kind: NOTIFY_CHANNEL, payload: { departmentId: card.departmentId, notice: card.notice, thread: card.thread }, runAt: card.runAt, idempotencyKey: card.idempotencyKey });
      });
      if (notices.length || card) jobsCommitted(db, c.at);
    },

    async mine(requesterId, limit) {
      const rows = await prisma.serviceRequest.findMany({ where: { requesterId }, orderBy: { submittedAt: 'desc' }, take: limit, select: LIST_SELECT });
      return rows.map(toItem);
    },

    async queue(departmentId, limit) {
      const rows = await prisma.serviceRequest.findMany({ where: { departmentId, status: { in: [...OPEN_STATUSES] } }, orderBy: { resolutionDue: 'asc' }, take: limit, select: LIST_SELECT });
      return rows.map(toItem);
    },

    async openAssignedTo(personId) {
      const rows = await prisma.serviceRequest.findMany({ where: { assigneeId: personId, status: { in: [...OPEN_STATUSES] } }, orderBy: { resolutionDue: 'asc' }, take: 100, select: LIST_SELECT });
      return rows.map(toItem);
    },
  };
}
