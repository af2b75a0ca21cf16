// A visit as its notices carry it (core/visitors/visitor.notices.ts), and the notices and
// checks a transition asks for: the reporter's status updated in place, the host's DM, the
// next look the job queue takes. Pure.
import type { NoticeJob } from '../notices.ts';
import type { Transition, Visit, VisitCheck } from './visit.ts';
import type { TVisitSnapshot } from './visitor.notices.ts';

export const statusKey = (visitId: string) => `visit:${visitId}:status`;
export const hostKey = (visitId: string, version: number) => `visit:${visitId}:host:v${version}`;

export function snapshotOf(v: Visit, at: Date, extra: { exhausted?: boolean } = {}): TVisitSnapshot {
  return {
    visitId: v.id, version: v.version, step: v.step, reporterId: v.reporterId, company: v.company, visitorNames: v.visitorNames, headcount: v.headcount,
    phone: v.phone, askedFor: v.askedFor, purpose: v.purpose, note: v.note, status: v.status, hostId: v.hostId, hostReason: v.hostReason, choose: v.choose,
    namedProblem: v.namedProblem, told: v.told, waitMinutes: v.waitMinutes, takenById: v.takenById, takenAt: v.takenAt?.toISOString(),
    lastAction: v.last?.action, lastById: v.last?.byPersonId, createdAt: v.createdAt.toISOString(), at: at.toISOString(), closedAt: v.closedAt?.toISOString(),
    exhausted: extra.exhausted, customer: v.customer,
  };
}

/** The reporter's status message: sent once, then replaced in place at every change. */
export function statusNotice(v: Visit, at: Date, first: boolean, extra: { exhausted?: boolean } = {}): NoticeJob {
  const key = statusKey(v.id);
  return {
    personId: v.reporterId,
    notice: { type: 'visitor.status', visit: snapshotOf(v, at, extra) },
    idempotencyKey: first ? key : `${key}:v${v.version}:s${v.step}`,
    runAt: at,
    ...(first ? {} : { replaces: key }),
  };
}

/** What a transition sends and schedules: the status, the host's DM, the next check. */
export function effectsOf(t: Transition, at: Date, first = false): { notices: NoticeJob[]; checks: VisitCheck[] } {
  const v = t.visit;
  const notices: NoticeJob[] = [statusNotice(v, at, first, { exhausted: t.exhausted })];
  if (t.pingHost) {
    notices.push({ personId: t.pingHost.personId, notice: { type: 'visitor.host', visit: snapshotOf(v, at), repeat: t.pingHost.repeat }, idempotencyKey: hostKey(v.id, v.version), runAt: at });
  }
  const checks: VisitCheck[] = t.nextCheckAt ? [{ visitId: v.id, version: v.version, step: v.status === 'delayed' ? 0 : v.step + 1, runAt: t.nextCheckAt }] : [];
  return { notices, checks };
}
