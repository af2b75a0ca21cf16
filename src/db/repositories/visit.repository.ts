// Visits and expected visits (core/visitors/visit.ts VisitStore). Every write is one
// transaction with its notices (outbox), the checks the job queue runs later (escalation
// steps, the end of a wait) and, when a host takes charge of a customer's visit, the
// follow-up of kind `visit`: the state and what follows from it persist together or not
// at all. A change is stored only from the version and step it was computed from, so a
// second press, a retry or another replica changes nothing.
import type { CustomerSummary, ExpectedVisit, Visit, VisitCheck, VisitListItem, VisitStatus, VisitStore } from '../../core/visitors/visit.ts';
import type { HostCandidate, HostReason } from '../../core/visitors/routing.ts';
import type { OutboxEntry } from '../../core/notices.ts';
import type { Database, Tx } from '../client.ts';
import type { Prisma } from '../generated/sqlite/client.ts';
import { randomUUID } from 'node:crypto';
import { enqueueJob, jobsCommitted } from './job.repository.ts';
import { writeNotices } from './outbox.ts';
import { isUniqueViolation } from './prisma-errors.ts';

/** The job kind that looks at a visit again (visitor.check.job.ts). */
export const VISITOR_CHECK = 'visitor.check';

const SELECT = {
  id: true, reporterId: true, company: true, companyKey: true, visitorNames: true, headcount: true, phone: true, askedFor: true, purpose: true, note: true,
  customerId: true, expectedId: true, status: true, hostId: true, state: true, version: true, step: true, waitMinutes: true, waitUntil: true,
  takenById: true, takenAt: true, closedAt: true, createdAt: true,
} as const;
type VisitRow = Prisma.VisitGetPayload<{ select: typeof SELECT }>;

/** What of a visit lives in the `state` JSON column. */
interface VisitState {
  hostReason?: HostReason;
  candidates: HostCandidate[];
  choose: string[];
  namedProblem?: Visit['namedProblem'];
  told: string[];
  last?: { action: string; byPersonId?: string; at: string };
  customer?: CustomerSummary;
  seenAt?: string;
}

const u = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

function toVisit(r: VisitRow): Visit {
  const s = JSON.parse(r.state) as VisitState;
  return {
    id: r.id, reporterId: r.reporterId, company: r.company, companyKey: r.companyKey, visitorNames: u(r.visitorNames), headcount: r.headcount, phone: u(r.phone),
    askedFor: u(r.askedFor), purpose: u(r.purpose), note: u(r.note), expectedId: u(r.expectedId), status: r.status as VisitStatus, hostId: u(r.hostId),
    hostReason: s.hostReason, candidates: s.candidates, choose: s.choose, namedProblem: s.namedProblem, told: s.told, customer: s.customer, seenAt: s.seenAt ? new Date(s.seenAt) : undefined,
    last: s.last ? { ...s.last, action: s.last.action as NonNullable<Visit['last']>['action'], at: new Date(s.last.at) } : undefined,
    version: r.version, step: r.step, waitMinutes: u(r.waitMinutes), waitUntil: u(r.waitUntil), takenById: u(r.takenById), takenAt: u(r.takenAt), closedAt: u(r.closedAt), createdAt: r.createdAt,
  };
}

function columns(v: Visit) {
  const state: VisitState = {
    hostReason: v.hostReason, candidates: v.candidates, choose: v.choose, namedProblem: v.namedProblem, told: v.told, customer: v.customer, seenAt: v.seenAt?.toISOString(),
    last: v.last ? { ...v.last, at: v.last.at.toISOString() } : undefined,
  };
  return {
    status: v.status, hostId: v.hostId ?? null, state: JSON.stringify(state), version: v.version, step: v.step, waitMinutes: v.waitMinutes ?? null, waitUntil: v.waitUntil ?? null,
    takenById: v.takenById ?? null, takenAt: v.takenAt ?? null, closedAt: v.closedAt ?? null,
  };
}

async function writeChecks(tx: Tx, checks: readonly VisitCheck[]): Promise<void> {
  for (const c of checks) {
    await enqueueJob(tx, { kind: VISITOR_CHECK, payload: { visitId: c.visitId, version: c.version, step: c.step }, runAt: c.runAt, idempotencyKey: `${VISITOR_CHECK}:${c.visitId}:v${c.version}:s${c.step}` });
  }
}

const earliest = (notices: readonly OutboxEntry[], checks: readonly VisitCheck[]) =>
  [...notices.map((n) => n.runAt), ...checks.map((c) => c.runAt)].reduce<Date | undefined>((a, b) => (a && a < b ? a : b), undefined);

export function createVisitStore(db: Database): VisitStore {
  const { prisma } = db;
  return {
    async create(visit, duplicateKey, notices, checks) {
      try {
        await prisma.$transaction(async (tx) => {
          await tx.visit.create({
            data: {
              id: visit.id, reporterId: visit.reporterId, company: visit.company, companyKey: visit.companyKey, visitorNames: visit.visitorNames ?? null, headcount: visit.headcount,
              phone: visit.phone ?? null, askedFor: visit.askedFor ?? null, purpose: visit.purpose ?? null, note: visit.note ?? null, customerId: visit.customer?.id ?? null,
              expectedId: visit.expectedId ?? null, duplicateKey, createdAt: visit.createdAt, updatedAt: visit.createdAt, ...columns(visit),
            },
            select: { id: true },
          });
          if (visit.expectedId) await tx.expectedVisit.updateMany({ where: { id: visit.expectedId, visitId: null }, data: { visitId: visit.id } });
          await writeNotices(tx, notices);
          await writeChecks(tx, checks);
        });
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        const existing = await prisma.visit.findUnique({ where: { duplicateKey }, select: SELECT });
        if (!existing) throw e;
        return { ok: false, existing: toVisit(existing) };
      }
      jobsCommitted(db, earliest(notices, checks));
      return { ok: true };
    },

    async get(id) {
      const row = await prisma.visit.findUnique({ where: { id }, select: SELECT });
      return row ? toVisit(row) : undefined;
    },

    async update(next, from, notices, checks, followUp) {
      const done = await prisma.$transaction(async (tx) => {
        const { count } = await tx.visit.updateMany({ where: { id: next.id, version: from.version, step: from.step }, data: { ...columns(next), updatedAt: next.last?.at ?? new Date() } });
        if (count === 0) return false;
        if (followUp) {
          await tx.followUp.create({ data: { id: randomUUID(), customerId: followUp.customerId, personId: followUp.personId, kind: 'visit', note: followUp.note, at: followUp.at }, select: { id: true } });
          await tx.customer.updateMany({ where: { id: followUp.customerId }, data: { lastFollowUpAt: followUp.at, lastTouchAt: followUp.at, ...(followUp.releaseAt ? { releaseAt: followUp.releaseAt } : {}) } });
        }
        await writeNotices(tx, notices);
        await writeChecks(tx, checks);
        return true;
      });
      if (done) jobsCommitted(db, earliest(notices, checks));
      return done;
    },

    async list(from, to, limit) {
      const rows = await prisma.visit.findMany({
        where: { createdAt: { gte: from, lt: to } },
        orderBy: { createdAt: 'asc' },
        take: limit,
        select: { id: true, company: true, headcount: true, status: true, hostId: true, takenById: true, takenAt: true, createdAt: true, closedAt: true },
      });
      return rows.map((r): VisitListItem => ({ id: r.id, company: r.company, headcount: r.headcount, status: r.status as VisitStatus, hostId: u(r.hostId), takenById: u(r.takenById), takenAt: u(r.takenAt), createdAt: r.createdAt, closedAt: u(r.closedAt) }));
    },

    async addExpected(e) {
      // In a transaction: written once however often the command runs (db/effect-fence.ts).
      await prisma.$transaction((tx) =>
        tx.expectedVisit.create({
          data: { id: e.id, personId: e.personId, company: e.company, companyKey: e.companyKey, visitorName: e.visitorName ?? null, day: e.day, expectedAt: e.expectedAt ?? null, createdAt: e.createdAt },
          select: { id: true },
        }),
      );
    },

    async findExpected(companyKey, day) {
      const rows = await prisma.expectedVisit.findMany({ where: { companyKey, day, visitId: null }, orderBy: { createdAt: 'asc' } });
      return rows.map(toExpected);
    },

    async listExpected(day) {
      const rows = await prisma.expectedVisit.findMany({ where: { day }, orderBy: [{ expectedAt: 'asc' }, { createdAt: 'asc' }], take: 200 });
      return rows.map(toExpected);
    },

    async erasePersonalDetails(before) {
      let erased = 0;
      // In batches, each one transaction: the details go, the counts keep company, times and host.
      for (;;) {
        const rows = await prisma.visit.findMany({ where: { createdAt: { lt: before }, erasedAt: null }, select: { id: true, state: true }, take: 500 });
        if (rows.length === 0) break;
        const now = new Date();
        await prisma.$transaction(async (tx) => {
          for (const r of rows) {
            const s = JSON.parse(r.state) as VisitState;
            // The customer summary's follow-up notes and a former colleague's name are personal too.
            const state: VisitState = { ...s, customer: s.customer ? { ...s.customer, followUps: [] } : undefined, namedProblem: s.namedProblem ? { kind: 'unknown' } : undefined };
            await tx.visit.update({
              where: { id: r.id },
              data: { visitorNames: null, phone: null, note: null, askedFor: null, purpose: null, state: JSON.stringify(state), erasedAt: now },
              select: { id: true },
            });
          }
        });
        erased += rows.length;
      }
      await prisma.expectedVisit.updateMany({ where: { createdAt: { lt: before }, visitorName: { not: null } }, data: { visitorName: null } });
      return erased;
    },
  };
}

function toExpected(r: { id: string; personId: string; company: string; companyKey: string; visitorName: string | null; day: string; expectedAt: Date | null; visitId: string | null; createdAt: Date }): ExpectedVisit {
  return { id: r.id, personId: r.personId, company: r.company, companyKey: r.companyKey, visitorName: u(r.visitorName), day: r.day, expectedAt: u(r.expectedAt), visitId: u(r.visitId), createdAt: r.createdAt };
}
