// When a request's reminders and escalations are due (core/requests/alerts.ts): the
// assignee at 50% and 75% of a target, the head at breach and then on the catalog's period,
// the head's manager at twice the target, the repeats bounded — each at its working time, across a holiday and a
// weekend, later by the working time paused, each with a key that names it once.
import { describe, expect, it } from 'vitest';
import { alertPlan, dueAlerts, nextAlertAt } from '../../src/core/requests/alerts.ts';
import { alertNotices } from '../../src/core/requests/sweep-request-alerts.ts';
import type { ServiceRequest } from '../../src/core/requests/request.ts';
import { parseOrgText } from '../../src/config/org-file.ts';
import type { WorkingSchedule } from '../../src/core/time/working-time.ts';

const SHANGHAI: WorkingSchedule = { timezone: 'Asia/Shanghai', start: '09:00', end: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] };
const at = (iso: string) => new Date(iso).getTime();
const rules = { at: [0.5, 0.75], repeatEvery: { hours: 4 }, escalateAt: 2 };
const H = 3600_000;

describe('alertPlan', () => {
  it('puts each reminder at its due working time across National Day', () => {
    // Wed 9/30 10:00, resolution in 8 working hours.
    const plan = alertPlan({ target: 'resolution', start: at('2026-09-30T10:00:00+08:00'), targetMs: 8 * H, rules, schedule: SHANGHAI, pausedMs: 0 });
    expect(plan.slice(0, 6).map((p) => [p.key, p.to.join(), new Date(p.at).toISOString()])).toEqual([
      ['resolution:remind:50', 'assignee', '2026-09-30T06:00:00.000Z'],
      ['resolution:remind:75', 'assignee', '2026-09-30T08:00:00.000Z'],
      ['resolution:breach', 'head', '2026-09-30T10:00:00.000Z'],
      // 8 h + 4 h: the holiday 10/1–10/7 skipped, Thursday 10/8 13:00.
      ['resolution:repeat:1', 'head', '2026-10-08T05:00:00.000Z'],
      // Twice the target (16 h) with the second repeat: Thursday 10/8 17:00.
      ['resolution:repeat:2', 'head', '2026-10-08T09:00:00.000Z'],
      ['resolution:upward', 'headManager', '2026-10-08T09:00:00.000Z'],
    ]);
  });

  it('moves every point by the working time paused, across a weekend', () => {
    // Fri 2026-03-06 14:00, first response in 2 h; paused 3 working hours so far.
    const plan = alertPlan({ target: 'firstResponse', start: at('2026-03-06T14:00:00+08:00'), targetMs: 2 * H, rules, schedule: SHANGHAI, pausedMs: 3 * H });
    // 50%: 1 h + 3 h paused = 4 h from Fri 14:00 → Fri 18:00; breach: 5 h → Mon 10:00.
    expect(plan.find((p) => p.key === 'firstResponse:remind:50')!.at).toBe(at('2026-03-06T18:00:00+08:00'));
    expect(plan.find((p) => p.key === 'firstResponse:breach')!.at).toBe(at('2026-03-09T10:00:00+08:00'));
    // Twice the target (4 h + 3 h paused = 7 h): Monday 12:00, before the first repeat (2 + 4 + 3 = 9 h: Monday 14:00).
    expect(plan.find((p) => p.kind === 'upward')!.at).toBe(at('2026-03-09T12:00:00+08:00'));
    expect(plan.find((p) => p.kind === 'repeat')).toMatchObject({ key: 'firstResponse:repeat:1', at: at('2026-03-09T14:00:00+08:00') });
  });

  it('keeps repeating on the period after the manager was told, up to a bound', () => {
    const plan = alertPlan({ target: 'resolution', start: at('2026-03-02T09:00:00+08:00'), targetMs: 8 * H, rules: { ...rules, repeatEvery: { hours: 1 } }, schedule: SHANGHAI, pausedMs: 0 });
    const repeats = plan.filter((p) => p.kind === 'repeat');
    expect(repeats).toHaveLength(20);
    expect(plan.findIndex((p) => p.kind === 'upward')).toBeLessThan(plan.length - 1);
    expect(new Set(plan.map((p) => p.key)).size).toBe(plan.length);
    expect(plan.map((p) => p.at)).toEqual([...plan.map((p) => p.at)].sort((a, b) => a - b));
  });
});

describe('dueAlerts and nextAlertAt', () => {
  const plan = alertPlan({ target: 'resolution', start: at('2026-09-30T10:00:00+08:00'), targetMs: 8 * H, rules, schedule: SHANGHAI, pausedMs: 0 });

  it('gives the points passed since the last sweep, and when the next one is due', () => {
    expect(dueAlerts(plan, at('2026-09-30T10:00:00+08:00'), at('2026-09-30T15:00:00+08:00')).map((p) => p.key)).toEqual(['resolution:remind:50']);
    expect(nextAlertAt(plan, at('2026-09-30T15:00:00+08:00'))).toBe(at('2026-09-30T16:00:00+08:00'));
    // kehu down over the holiday: what passed is due at once, each once (the keys).
    expect(dueAlerts(plan, at('2026-09-30T15:00:00+08:00'), at('2026-10-08T14:00:00+08:00')).map((p) => p.key)).toEqual(['resolution:remind:75', 'resolution:breach', 'resolution:repeat:1']);
    expect(nextAlertAt(plan, plan.at(-1)!.at)).toBeUndefined();
  });
});

describe('who hears at each threshold (the catalog’s reminders.to)', () => {
  const start = at('2026-12-14T10:00:00+08:00');
  const d = parseOrgText(`company: Acme
timezone: Asia/Shanghai
departments:
  - { id: admin, name: Admin, kind: function, head: chen, channel: { slack: C0ADMIN, lark: oc_admin } }
  - { id: office, name: Office, kind: function, head: boss }
people:
  - { id: boss, name: Boss, email: boss@acme.test, department: office }
  - { id: chen, name: Chen, email: chen@acme.test, department: admin, manager: boss }
  - { id: li.na, name: Li Na, email: li.na@acme.test, department: admin, manager: chen }
  - { id: wang, name: Wang, email: wang@acme.test, department: office }
`, 'org.yaml');
  const request = (assigneeId?: string): ServiceRequest => ({
    id: 'r1', number: 1, serviceKey: 'materials', departmentId: 'admin', requesterId: 'wang', assigneeId, status: 'approved', fields: {}, version: 1,
    clockStart: new Date(start), firstResponseDue: new Date(start + 2 * H), resolutionDue: new Date(start + 8 * H), pausedMs: 0, submittedAt: new Date(start), told: [],
    last: { action: 'submitted', byPersonId: 'wang', at: new Date(start) }, extendedMs: 0, display: { serviceName: { en: 'Materials', 'zh-CN': '资料' }, fields: [] },
  });
  const sent = (to: (typeof rules & { to?: object })['to'], assigneeId?: string) => {
    const plan = alertPlan({ target: 'resolution', start, targetMs: 8 * H, rules: { ...rules, to } as never, schedule: SHANGHAI, pausedMs: 0 });
    return alertNotices(d, request(assigneeId), plan.filter((p) => p.kind !== 'repeat'), new Date(start)).map((n) => `${n.notice.type === 'request.alert' ? n.notice.kind : ''} ${'channel' in n ? `${n.channel.platform}:${n.channel.id}` : n.personId}`);
  };

  it('is the assignee before, the head at breach, the head’s manager above by default (the head while nobody has it)', () => {
    expect(sent(undefined, 'li.na')).toEqual(['remind li.na', 'remind li.na', 'breach chen', 'upward boss']);
    expect(sent(undefined)).toEqual(['remind chen', 'remind chen', 'breach chen', 'upward boss']);
  });

  it('is whoever the catalog names: roles, a person, the department’s channel on each platform — each person once a point', () => {
    expect(sent({ before: ['assignee', 'head'], breach: ['head', { person: 'wang' }, 'channel'], escalate: ['head', 'headManager'] }, 'li.na')).toEqual([
      'remind li.na', 'remind chen', 'remind li.na', 'remind chen',
      'breach chen', 'breach wang', 'breach slack:C0ADMIN', 'breach lark:oc_admin',
      'upward chen', 'upward boss',
    ]);
    // Unassigned, "assignee" and "head" are both the head: told once.
    expect(sent({ before: ['assignee', 'head'] })).toEqual(['remind chen', 'remind chen', 'breach chen', 'upward boss']);
  });
});
