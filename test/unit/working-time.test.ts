// Working-time arithmetic (core/time/working-time.ts): deadlines counted in a department's
// working hours and zone, skipping weekends and Chinese statutory holidays, counting the
// make-up working days (调休), the org file's own added and removed days, pauses, another
// zone and a DST zone; the earliest realistic date for a promise.
import { describe, expect, it } from 'vitest';
import { parseOrgText } from '../../src/config/org-file.ts';
import { addWorkingTime, calendarWarnings, departmentSchedule, checkPromise, scheduleCalendar, unknownCalendarYears, workingMsBetween, type WorkingSchedule } from '../../src/core/time/working-time.ts';

const SHANGHAI: WorkingSchedule = { timezone: 'Asia/Shanghai', start: '09:00', end: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] };
const at = (iso: string) => new Date(iso).getTime();
const iso = (ms: number) => new Date(ms).toISOString();
const H = 3600_000;

describe('addWorkingTime', () => {
  it('counts the Spring Festival 2026: the Saturday make-up day works, 2/15–2/23 do not', () => {
    // Fri 2/13 17:00 + 2 h: one hour Friday, one on Saturday 2/14 (调休).
    expect(iso(addWorkingTime(at('2026-02-13T17:00:00+08:00'), { hours: 2 }, SHANGHAI))).toBe('2026-02-14T02:00:00.000Z');
    // Sat 2/14 17:00 + 2 h: the holiday runs to Mon 2/23; Tuesday 2/24 10:00.
    expect(iso(addWorkingTime(at('2026-02-14T17:00:00+08:00'), { hours: 2 }, SHANGHAI))).toBe('2026-02-24T02:00:00.000Z');
    // The Saturday after it (2/28) is a make-up day too.
    expect(iso(addWorkingTime(at('2026-02-27T17:30:00+08:00'), { hours: 1 }, SHANGHAI))).toBe('2026-02-28T01:30:00.000Z');
  });

  it('counts Labour Day 2026: 5/1–5/5 off, Saturday 5/9 works', () => {
    expect(iso(addWorkingTime(at('2026-04-30T17:00:00+08:00'), { hours: 2 }, SHANGHAI))).toBe('2026-05-06T02:00:00.000Z');
    expect(iso(addWorkingTime(at('2026-05-08T17:00:00+08:00'), { hours: 2 }, SHANGHAI))).toBe('2026-05-09T02:00:00.000Z');
  });

  it('counts National Day 2026: 10/1–10/7 off, Sunday 9/20 and Saturday 10/10 work', () => {
    expect(iso(addWorkingTime(at('2026-09-30T17:00:00+08:00'), { hours: 2 }, SHANGHAI))).toBe('2026-10-08T02:00:00.000Z');
    expect(iso(addWorkingTime(at('2026-10-09T17:00:00+08:00'), { hours: 2 }, SHANGHAI))).toBe('2026-10-10T02:00:00.000Z');
    expect(iso(addWorkingTime(at('2026-09-19T10:00:00+08:00'), { hours: 1 }, SHANGHAI))).toBe('2026-09-20T02:00:00.000Z');
    // Mid-Autumn 9/25–9/27 (Fri–Sun): Thursday 9/24 17:00 + 2 h is Monday 9/28 10:00.
    expect(iso(addWorkingTime(at('2026-09-24T17:00:00+08:00'), { hours: 2 }, SHANGHAI))).toBe('2026-09-28T02:00:00.000Z');
  });

  it('counts working days as whole working days of the department’s hours, across a holiday', () => {
    // Tue 9/29 10:00 + 3 working days (27 h): 8 h Tue, 9 h Wed, 9 h Thu 10/8, 1 h Fri 10/9.
    expect(iso(addWorkingTime(at('2026-09-29T10:00:00+08:00'), { days: 3 }, SHANGHAI))).toBe('2026-10-09T02:00:00.000Z');
  });

  it('starts a deadline that begins outside working hours at the next working moment', () => {
    expect(iso(addWorkingTime(at('2026-03-02T07:00:00+08:00'), { hours: 1 }, SHANGHAI))).toBe('2026-03-02T02:00:00.000Z');
    // Friday evening: Monday 10:00.
    expect(iso(addWorkingTime(at('2026-03-06T20:00:00+08:00'), { hours: 1 }, SHANGHAI))).toBe('2026-03-09T02:00:00.000Z');
    // Exactly at the end of a day: the time left is due at the end of that day, not the next morning.
    expect(iso(addWorkingTime(at('2026-03-02T17:00:00+08:00'), { hours: 1 }, SHANGHAI))).toBe('2026-03-02T10:00:00.000Z');
  });

  it('uses a department in another time zone with its own hours', () => {
    const berlin: WorkingSchedule = { timezone: 'Europe/Berlin', start: '08:00', end: '16:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] };
    // Mon 2026-03-02 15:00 Berlin (CET, +1) + 2 h → Tue 09:00 CET = 08:00Z.
    expect(iso(addWorkingTime(at('2026-03-02T15:00:00+01:00'), { hours: 2 }, berlin))).toBe('2026-03-03T08:00:00.000Z');
  });

  it('keeps wall-clock hours across a DST change (New York, 2026-03-08)', () => {
    const ny: WorkingSchedule = { timezone: 'America/New_York', start: '09:00', end: '17:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] };
    // Fri 3/6 16:00 EST + 2 h → Mon 3/9 10:00 EDT (14:00Z, no longer 15:00Z).
    expect(iso(addWorkingTime(at('2026-03-06T16:00:00-05:00'), { hours: 2 }, ny))).toBe('2026-03-09T14:00:00.000Z');
  });

  it('takes the org file’s added and removed days over the package', () => {
    const custom: WorkingSchedule = { ...SHANGHAI, extraWorkingDays: ['2026-03-07'], extraDaysOff: ['2026-03-09'] };
    // Fri 3/6 17:00 + 2 h: Saturday 3/7 is worked (added), Monday 3/9 is off (removed).
    expect(iso(addWorkingTime(at('2026-03-06T17:00:00+08:00'), { hours: 2 }, custom))).toBe('2026-03-07T02:00:00.000Z');
    expect(iso(addWorkingTime(at('2026-03-07T17:00:00+08:00'), { hours: 2 }, custom))).toBe('2026-03-10T02:00:00.000Z');
    expect(scheduleCalendar(custom).isWorkingDay('2026-03-09')).toBe(false);
  });
});

describe('workingMsBetween (pauses)', () => {
  it('counts only working time, so a pause over a weekend or a holiday costs what it covered', () => {
    expect(workingMsBetween(at('2026-03-06T17:00:00+08:00'), at('2026-03-09T10:00:00+08:00'), SHANGHAI)).toBe(2 * H);
    expect(workingMsBetween(at('2026-09-30T12:00:00+08:00'), at('2026-10-08T12:00:00+08:00'), SHANGHAI)).toBe(9 * H);
    expect(workingMsBetween(at('2026-03-09T10:00:00+08:00'), at('2026-03-09T09:00:00+08:00'), SHANGHAI)).toBe(0);
  });

  it('round-trips with addWorkingTime: a deadline moved by a pause keeps the working time left', () => {
    const start = at('2026-09-29T10:00:00+08:00');
    const due = addWorkingTime(start, { hours: 16 }, SHANGHAI);
    // Paused from Wed 9/30 11:00 to Thu 10/8 15:00: 7 h of Wednesday + 6 h of Thursday were paused.
    const paused = workingMsBetween(at('2026-09-30T11:00:00+08:00'), at('2026-10-08T15:00:00+08:00'), SHANGHAI);
    expect(paused).toBe(13 * H);
    const moved = addWorkingTime(start, { hours: 16 + paused / H }, SHANGHAI);
    expect(workingMsBetween(due, moved, SHANGHAI)).toBe(13 * H);
  });
});

describe('checkPromise and the calendar’s years', () => {
  it('answers a date earlier than the lead time with the earliest realistic date and the holiday in between', () => {
    const now = at('2026-09-29T10:00:00+08:00');
    const r = checkPromise(now, '2026-10-02', 3, SHANGHAI);
    expect(r).toEqual({ ok: false, earliest: '2026-10-09', holidays: ['National Day'] });
    expect(checkPromise(now, '2026-10-09', 3, SHANGHAI)).toEqual({ ok: true, earliest: '2026-10-09', holidays: ['National Day'] });
    expect(checkPromise(at('2026-03-02T10:00:00+08:00'), '2026-03-05', 3, SHANGHAI)).toEqual({ ok: true, earliest: '2026-03-05', holidays: [] });
  });

  it('falls back to the weekdays for a year the package does not know, and says which', () => {
    expect(scheduleCalendar(SHANGHAI).isWorkingDay('2027-01-01')).toBe(true);
    expect(scheduleCalendar(SHANGHAI).isWorkingDay('2027-01-02')).toBe(false);
    expect(unknownCalendarYears(at('2026-12-30T10:00:00+08:00'), at('2027-01-04T10:00:00+08:00'), 'Asia/Shanghai')).toEqual([2027]);
    expect(unknownCalendarYears(at('2026-03-01T10:00:00+08:00'), at('2026-04-01T10:00:00+08:00'), 'Asia/Shanghai')).toEqual([]);
  });
});

describe('departmentSchedule (the org file)', () => {
  const org = parseOrgText(
    `company: Acme
timezone: Asia/Shanghai
workingHours: { start: "09:00", end: "18:00" }
calendar: { workingDays: ["2027-02-06"], daysOff: ["2027-02-11", "2027-02-12"] }
departments:
  - { id: legal, name: Legal, kind: function, head: boss }
  - { id: support-us, name: Support US, kind: function, workingHours: { timezone: America/New_York, start: "08:00" } }
people:
  - { id: boss, name: Boss, email: boss@acme.test, department: legal }
`,
    'org.yaml',
  ).org;

  it('gives a department the org’s hours, or its own where the org file sets them, with the org file’s days', () => {
    expect(departmentSchedule(org, 'legal')).toMatchObject({ timezone: 'Asia/Shanghai', start: '09:00', end: '18:00', extraDaysOff: ['2027-02-11', '2027-02-12'] });
    const us = departmentSchedule(org, 'support-us');
    expect(us).toMatchObject({ timezone: 'America/New_York', start: '08:00', end: '18:00' });
    // A 2027 holiday the package does not know yet, taken off by the org file; a Saturday worked.
    const cal = scheduleCalendar(departmentSchedule(org, 'legal'));
    expect([cal.isWorkingDay('2027-02-06'), cal.isWorkingDay('2027-02-11'), cal.isWorkingDay('2027-02-10')]).toEqual([true, false, true]);
  });

  it('refuses a calendar day that is no date, naming the line', () => {
    expect(() => parseOrgText('company: A\ncalendar: { daysOff: ["2027-13-01"] }\ndepartments: [{ id: s, name: S, kind: sales }]\npeople: [{ id: a, name: A, email: a@a.test }]\n', 'org.yaml')).toThrow(
      /calendar\.daysOff\[0\] \(line 2\): must be a date/,
    );
  });
});

describe('calendar warnings', () => {
  it('warns of a year within two months the package has no data for, and of none it knows', () => {
    expect(calendarWarnings(new Date('2026-06-01T00:00:00Z'))).toEqual([]);
    expect(calendarWarnings(new Date('2026-12-03T00:00:00Z'))).toEqual([expect.stringContaining('no data for 2027')]);
  });
});
