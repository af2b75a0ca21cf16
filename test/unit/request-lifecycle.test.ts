// The request lifecycle as a pure state machine (core/requests/request.ts): who may press
// what, in which state; a double click or a stale button refused with what happened since;
// the manager's approval starting the clock; "waiting on requester" pausing it in working time.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.ts';
import { applyRequestAction, deadlines, type RequestActor, type RequestEnv, type ServiceRequest } from '../../src/core/requests/request.ts';
import type { WorkingSchedule } from '../../src/core/time/working-time.ts';

const SCHEDULE: WorkingSchedule = { timezone: 'Asia/Shanghai', start: '09:00', end: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] };
const service = { targets: { firstResponse: { hours: 2 }, resolution: { days: 1 } } } as const;
/** Wednesday 2026-12-09 10:00 Shanghai. */
const T0 = new Date('2026-12-09T02:00:00Z');
const H = 3600_000;
const at = (ms: number) => new Date(T0.getTime() + ms);
const env = (now: Date): RequestEnv => ({ now, schedule: SCHEDULE, service, isMemberId: (id) => ['li.na', 'zhao.lei', 'chen.gang'].includes(id), nameOf: (id) => id, timeOf: (d) => d.toISOString() });

const base = (over: Partial<ServiceRequest> = {}): ServiceRequest => ({
  id: 'r1', number: 7, serviceKey: 'materials', departmentId: 'admin', requesterId: 'tom', assigneeId: 'li.na', status: 'approved', fields: {}, version: 1,
  clockStart: T0, ...deadlines(service, T0, 0, SCHEDULE), pausedMs: 0, extendedMs: 0, submittedAt: T0, told: ['li.na'], last: { action: 'submitted', byPersonId: 'tom', at: T0 },
  display: { serviceName: { en: 'Materials', 'zh-CN': '资料' }, fields: [] }, ...over,
});
const member = (id = 'li.na'): RequestActor => ({ id, isMember: true, isHead: id === 'chen.gang', isApprover: false });
const requester: RequestActor = { id: 'tom', isMember: false, isHead: false, isApprover: false };
const manager: RequestActor = { id: 'mei', isMember: false, isHead: false, isApprover: true };
const reason = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as AppError).details.reason;
  }
  return 'no error';
};

describe('request lifecycle', () => {
  it('computes deadlines in working time: 2 working hours, 1 working day (10:00 → Thursday 10:00)', () => {
    const d = deadlines(service, T0, 0, SCHEDULE);
    expect(d.firstResponseDue.toISOString()).toBe('2026-12-09T04:00:00.000Z');
    expect(d.resolutionDue.toISOString()).toBe('2026-12-10T02:00:00.000Z');
  });

  it('goes taken → in progress → waiting → in progress → resolved → closed, each bumping the version', () => {
    let r = applyRequestAction(base(), { kind: 'take' }, member('zhao.lei'), 1, env(at(H)));
    expect(r).toMatchObject({ status: 'taken', assigneeId: 'zhao.lei', respondedAt: at(H), version: 2, told: ['li.na', 'zhao.lei'] });
    r = applyRequestAction(r, { kind: 'start' }, member('zhao.lei'), 2, env(at(H)));
    r = applyRequestAction(r, { kind: 'wait' }, member('zhao.lei'), 3, env(at(2 * H)));
    expect(r).toMatchObject({ status: 'waiting', pausedAt: at(2 * H) });
    // The requester answers the next morning at 10:00: 6 working hours waited (12:00–18:00); 09:00–10:00 is one more.
    r = applyRequestAction(r, { kind: 'resume' }, requester, 4, env(at(24 * H)));
    expect(r.pausedMs).toBe(7 * H);
    expect(r.resolutionDue.toISOString()).toBe('2026-12-10T09:00:00.000Z');
    r = applyRequestAction(r, { kind: 'resolve' }, member('zhao.lei'), 5, env(at(25 * H)));
    expect(r.status).toBe('resolved');
    r = applyRequestAction(r, { kind: 'confirm' }, requester, 6, env(at(26 * H)));
    expect(r).toMatchObject({ status: 'closed', version: 7 });
  });

  it('refuses a double click or a stale button, saying what happened since, and changes nothing', () => {
    const taken = applyRequestAction(base(), { kind: 'take' }, member('li.na'), 1, env(at(H)));
    const e = (() => {
      try {
        applyRequestAction(taken, { kind: 'take' }, member('zhao.lei'), 1, env(at(H)));
      } catch (x) {
        return x as AppError;
      }
    })()!;
    expect(e.code).toBe('ALREADY_DONE');
    expect(e.details).toMatchObject({ reason: 'request.stale', number: 7, status: 'taken', by: 'li.na' });
    expect(taken.status).toBe('taken');
    // The right version but a state it cannot come from: refused the same way.
    expect(reason(() => applyRequestAction(taken, { kind: 'confirm' }, requester, 2, env(at(H))))).toBe('request.stale');
  });

  it('lets only members work on it, only the requester cancel and confirm, only the manager approve, only the head reassign', () => {
    expect(reason(() => applyRequestAction(base(), { kind: 'take' }, requester, 1, env(T0)))).toBe('request.notMember');
    expect(reason(() => applyRequestAction(base(), { kind: 'cancel' }, member(), 1, env(T0)))).toBe('request.notRequester');
    expect(reason(() => applyRequestAction(base({ status: 'submitted' }), { kind: 'approve' }, member(), 1, env(T0)))).toBe('request.notApprover');
    expect(reason(() => applyRequestAction(base(), { kind: 'reassign', toPersonId: 'zhao.lei' }, member('li.na'), 1, env(T0)))).toBe('request.notHead');
    expect(reason(() => applyRequestAction(base(), { kind: 'reassign', toPersonId: 'tom' }, member('chen.gang'), 1, env(T0)))).toBe('request.notAMember');
    const moved = applyRequestAction(base(), { kind: 'reassign', toPersonId: 'zhao.lei' }, member('chen.gang'), 1, env(T0));
    expect(moved).toMatchObject({ assigneeId: 'zhao.lei', status: 'approved', told: ['li.na', 'zhao.lei'] });
    expect(applyRequestAction(base(), { kind: 'cancel' }, requester, 1, env(T0)).status).toBe('cancelled');
  });

  it('starts the clock at the manager’s approval and tells the assignee then', () => {
    const submitted = base({ status: 'submitted', told: ['mei'] });
    // Approved on Friday 17:00: one working day later is Monday 17:00.
    const friday = new Date('2026-12-11T09:00:00Z');
    const r = applyRequestAction(submitted, { kind: 'approve' }, manager, 1, env(friday));
    expect(r).toMatchObject({ status: 'approved', clockStart: friday, told: ['mei', 'li.na'] });
    expect(r.resolutionDue.toISOString()).toBe('2026-12-14T09:00:00.000Z');
    expect(applyRequestAction(base({ status: 'submitted' }), { kind: 'decline' }, manager, 1, env(friday)).status).toBe('declined');
  });
});
