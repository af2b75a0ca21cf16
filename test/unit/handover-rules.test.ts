import { describe, expect, it } from 'vitest';
import {
  countPending,
  escalationKey,
  overCap,
  promptKey,
  proposeSuccessors,
  recordAt,
  stepDueDay,
  stepFor,
  needsNote,
  workingDayBefore,
  workingDaysAfter,
  workingDaysLeft,
  lastDayProblem,
  type Candidate,
  type PlanCustomer,
} from '../../src/core/handovers/handover-rules.ts';
import { hasLeft, leaverContact, mayManage, successorCandidates } from '../../src/core/handovers/successors.ts';
import { chineseWorkingCalendar } from '../../src/core/time/working-days.ts';
import { parseOrgText } from '../../src/config/org-file.ts';

const calendar = chineseWorkingCalendar(['mon', 'tue', 'wed', 'thu', 'fri']);
const customer = (id: string, stage: PlanCustomer['stage'], recentHandovers = 0): PlanCustomer => ({ id, name: id, stage, recentHandovers });

describe('the step a stage demands', () => {
  it('transfers 0% at once, calls at 25% and 50%, visits at 75% and 100%', () => {
    expect([0, 25, 50, 75, 100].map((s) => stepFor(s as 0))).toEqual(['transfer', 'call', 'call', 'visit', 'visit']);
  });
  it('asks a note for every customer at 25% or more', () => {
    expect([0, 25, 50, 75, 100].map((s) => needsNote(s as 0))).toEqual([false, true, true, true, true]);
  });
});

describe('successor ranking', () => {
  const strongAt50: Candidate = { personId: 'a', held: 10, records: [{ stage: 50, reached: 10, movedPast: 8 }, { stage: 25, reached: 10, movedPast: 1 }] };
  const strongAt25: Candidate = { personId: 'b', held: 10, records: [{ stage: 25, reached: 4, movedPast: 3 }, { stage: 50, reached: 10, movedPast: 2 }] };
  const novice: Candidate = { personId: 'c', held: 0, records: [] };

  it('reads a record as the share moved past the stage, 0 without customers there', () => {
    expect(recordAt(strongAt50, 50)).toBe(0.8);
    expect(recordAt(novice, 50)).toBe(0);
  });

  it('gives each customer the best record at its stage', () => {
    const plan = proposeSuccessors([customer('x25', 25), customer('x50', 50)], [novice, strongAt50, strongAt25], 200);
    expect(Object.fromEntries(plan.map((i) => [i.customerId, i.successorId]))).toEqual({ x25: 'b', x50: 'a' });
  });

  it('skips a candidate with no room left, counting what the plan already gave', () => {
    const full: Candidate = { ...strongAt50, held: 199 };
    const plan = proposeSuccessors([customer('p', 50), customer('q', 50)], [full, strongAt25], 200);
    expect(plan.map((i) => i.successorId).sort()).toEqual(['a', 'b']);
  });

  it('does not count 100% customers against the cap', () => {
    const full: Candidate = { personId: 'f', held: 200, records: [{ stage: 100, reached: 1, movedPast: 1 }] };
    const plan = proposeSuccessors([customer('won', 100), customer('open', 75)], [full], 200);
    expect(plan.find((i) => i.customerId === 'won')!.successorId).toBe('f');
    expect(plan.find((i) => i.customerId === 'open')!.successorId).toBeUndefined();
  });

  it('breaks ties by room, then id, the same way every time', () => {
    const x: Candidate = { personId: 'x', held: 5, records: [] };
    const y: Candidate = { personId: 'y', held: 1, records: [] };
    const z: Candidate = { personId: 'z', held: 1, records: [] };
    expect(proposeSuccessors([customer('k', 25)], [x, z, y], 200)[0]!.successorId).toBe('y');
  });

  it('names a successor who would go over the cap, with the count', () => {
    const plan = proposeSuccessors([customer('p', 25), customer('q', 50), customer('r', 100)], [{ personId: 'a', held: 199, records: [] }], 1000);
    expect(overCap(plan, [{ personId: 'a', held: 199, records: [] }], 200)).toEqual([{ personId: 'a', held: 199, adding: 2 }]);
  });

  it('marks a customer handed over twice in 90 days as needing an admin', () => {
    const plan = proposeSuccessors([customer('once', 25, 1), customer('twice', 25, 2)], [novice], 200);
    expect(plan.map((i) => i.needsAdmin)).toEqual([false, true]);
  });
});

describe('dates on the working calendar', () => {
  it('counts working days across the National Day holiday and its make-up Saturday', () => {
    // 2026-09-30 Wed; 10/1-10/7 off; 10/10 (Sat) is a make-up working day.
    expect(workingDaysAfter(calendar, '2026-09-30', 1)).toBe('2026-10-08');
    expect(workingDaysAfter(calendar, '2026-10-09', 1)).toBe('2026-10-10');
    expect(workingDayBefore(calendar, '2026-10-08')).toBe('2026-09-30');
  });

  it('counts the working days left up to the last day, 0 on it', () => {
    expect(workingDaysLeft(calendar, '2026-12-07', '2026-12-10')).toBe(3);
    expect(workingDaysLeft(calendar, '2026-12-10', '2026-12-10')).toBe(0);
    expect(workingDaysLeft(calendar, '2026-12-04', '2026-12-07')).toBe(1); // Fri → Mon
  });

  it('makes steps due two working days before the last day, never before today', () => {
    expect(stepDueDay(calendar, '2026-12-01', '2026-12-07')).toBe('2026-12-03');
    expect(stepDueDay(calendar, '2026-12-07', '2026-12-07')).toBe('2026-12-07');
  });

  it('refuses a last day in the past', () => {
    expect(lastDayProblem('2026-12-02', '2026-12-01')).toBe('past');
    expect(lastDayProblem('2026-12-02', '2026-12-02')).toBeUndefined();
  });
});

describe('prompts', () => {
  it('counts pending steps by kind', () => {
    expect(countPending(['call', 'call', 'visit', 'note', 'call'])).toEqual({ call: 3, visit: 1, note: 1 });
  });
  it('keys a prompt per person per day and an escalation per step and due day', () => {
    expect(promptKey('tom', '2026-12-07')).toBe(promptKey('tom', '2026-12-07'));
    expect(promptKey('tom', '2026-12-07')).not.toBe(promptKey('tom', '2026-12-08'));
    expect(escalationKey('i1', 'call', '2026-12-04')).not.toBe(escalationKey('i1', 'call', '2026-12-08'));
  });
});

describe('who takes over, who is told', () => {
  const directory = parseOrgText(
    `company: T
departments:
  - { id: east, name: East, kind: sales, head: boss }
  - { id: west, name: West, kind: sales }
people:
  - { id: boss, name: Boss, email: boss@t.test, department: east, roles: [manager] }
  - { id: leaver, name: L, email: l@t.test, department: east, manager: boss, roles: [rep], left: "2026-12-10" }
  - { id: peer, name: P, email: p@t.test, department: east, manager: boss, roles: [rep] }
  - { id: gone, name: G, email: g@t.test, department: east, manager: boss, roles: [rep], left: "2026-11-01" }
  - { id: lone, name: Lo, email: lo@t.test, department: west, manager: boss, roles: [rep] }
  - { id: other, name: O, email: o@t.test, department: west, manager: boss, roles: [rep] }
  - { id: root, name: R, email: r@t.test, department: west, roles: [admin] }
`,
    'org.yaml',
  );
  const p = (id: string) => directory.person(id)!;

  it('reads left: from the org file', () => {
    expect(p('leaver').leftOn).toBe('2026-12-10');
    expect(hasLeft(p('leaver'), '2026-12-09')).toBe(false);
    expect(hasLeft(p('leaver'), '2026-12-10')).toBe(true);
  });

  it('proposes reps of the department first, never the leaver or someone leaving', () => {
    expect(successorCandidates(directory, p('leaver'), '2026-12-01').map((x) => x.id)).toEqual(['peer']);
  });

  it('falls back to the manager line when the department has no other rep', () => {
    expect(successorCandidates(directory, p('peer'), '2026-12-01').map((x) => x.id).sort()).toEqual(['lone', 'other']);
  });

  it('lets the manager line or an admin manage a handover, nobody else', () => {
    expect(mayManage(directory, p('boss'), 'leaver')).toBe(true);
    expect(mayManage(directory, p('root'), 'leaver')).toBe(true);
    expect(mayManage(directory, p('peer'), 'leaver')).toBe(false);
    expect(mayManage(directory, p('boss'), 'removed', 'boss')).toBe(true);
    expect(mayManage(directory, p('peer'), 'removed', 'boss')).toBe(false);
  });

  it('tells the manager, else the head, else the arbiter', () => {
    expect(leaverContact(directory, { managerId: 'boss' })).toBe('boss');
    expect(leaverContact(directory, { managerId: 'ghost', departmentId: 'east' })).toBe('boss');
    expect(leaverContact(directory, { departmentId: 'west' })).toBeUndefined();
  });
});

describe('a joint visit’s reminders', () => {
  it('are due the working day before and on the morning, skipping what has passed', async () => {
    const { visitReminderDays, visitReminderKey } = await import('../../src/core/handovers/handover-rules.ts');
    // Monday 2026-12-07: the working day before is Friday 12-04.
    expect(visitReminderDays(calendar, '2026-12-01', '2026-12-07')).toEqual([{ when: 'dayBefore', day: '2026-12-04' }, { when: 'morning', day: '2026-12-07' }]);
    // Set on the day before: both still come (the first at once).
    expect(visitReminderDays(calendar, '2026-12-04', '2026-12-07').map((r) => r.when)).toEqual(['dayBefore', 'morning']);
    // Set on the visit day itself: only the morning.
    expect(visitReminderDays(calendar, '2026-12-07', '2026-12-07')).toEqual([{ when: 'morning', day: '2026-12-07' }]);
    // On the working calendar: a visit on the first working day after the National Day holiday is reminded before it.
    const before = visitReminderDays(calendar, '2026-09-21', '2026-10-08')[0]!.day;
    expect(before < '2026-10-01' || before > '2026-10-07').toBe(true);
    expect(calendar.isWorkingDay(before)).toBe(true);
    expect(visitReminderKey('i1', '2026-12-07', 'morning')).toBe('handover-visit:i1:2026-12-07:morning');
  });
});

describe('who may take over one item', () => {
  it('refuses the leaver, a non-rep or someone gone, and a successor at the cap (a 100% customer aside)', async () => {
    const { successorProblem } = await import('../../src/core/handovers/handover-rules.ts');
    const ok = { isLeaver: false, isRep: true, gone: false, held: 4 };
    expect(successorProblem(ok, 25, 5)).toBeUndefined();
    expect(successorProblem({ ...ok, isLeaver: true }, 25, 5)).toBe('successorIsLeaver');
    expect(successorProblem({ ...ok, isRep: false }, 25, 5)).toBe('notRep');
    expect(successorProblem({ ...ok, gone: true }, 25, 5)).toBe('notRep');
    expect(successorProblem({ ...ok, held: 5 }, 25, 5)).toBe('overCap');
    expect(successorProblem({ ...ok, held: 5 }, 100, 5)).toBeUndefined();
  });
});

describe('someone removed from the org file', () => {
  const org = parseOrgText(
    `company: Acme
timezone: Asia/Shanghai
arbiter: judge
departments:
  - { id: sales, name: Sales, kind: sales, head: boss }
people:
  - { id: boss, name: Boss, email: boss@acme.test, department: sales, roles: [manager] }
  - { id: judge, name: Judge, email: judge@acme.test, department: sales }
  - { id: bob, name: Bob, email: bob@acme.test, department: sales, manager: boss, roles: [rep] }
  - { id: out, name: Out, email: out@acme.test, department: sales, roles: [rep] }
`,
    'org.yaml',
  );
  it('is handed over by the org’s arbiter (who was told) or an admin; successors from the line of who hands them over', async () => {
    const { candidatesForRemoved } = await import('../../src/core/handovers/successors.ts');
    expect(mayManage(org, org.person('judge')!, 'gone.person')).toBe(true);
    expect(mayManage(org, org.person('boss')!, 'gone.person')).toBe(false);
    expect(candidatesForRemoved(org, org.person('boss')!, '2026-12-01').map((p) => p.id)).toEqual(['bob']);
    expect(candidatesForRemoved(org, org.person('judge')!, '2026-12-01').map((p) => p.id)).toEqual(['bob', 'out']);
  });
});

describe('the org’s working calendar', () => {
  it('takes the org file’s added and removed days over the package’s', async () => {
    const { orgCalendar } = await import('../../src/core/handovers/plan-handover.ts');
    const org = parseOrgText(
      `company: Acme
timezone: Asia/Shanghai
calendar: { daysOff: ["2026-12-03"], workingDays: ["2026-12-05"] }
departments:
  - { id: sales, name: Sales, kind: sales, head: boss }
people:
  - { id: boss, name: Boss, email: boss@acme.test, department: sales }
`,
      'org.yaml',
    );
    const c = orgCalendar(org);
    expect(['2026-12-02', '2026-12-03', '2026-12-05', '2026-12-06'].map((d) => c.isWorkingDay(d))).toEqual([true, false, true, false]);
    // Two working days before a Monday last day: the added Saturday counts, so Friday.
    expect(stepDueDay(c, '2026-12-01', '2026-12-07')).toBe('2026-12-04');
  });
});
