// Working time: deadlines counted in a department's working hours and time zone, on the
// working days of core/time/working-days.ts (the Chinese State Council calendar with its
// make-up working days, weekdays for a year the package does not know), with the org
// file's own added and removed days on top. Pure functions on instants (ms since the epoch).
import chineseDays from 'chinese-days';
import type { Org, Weekday } from '../org/org.ts';
import { instantsOf, wallClock, wallClockAsUtc, zoneOffsetMs } from './wall-clock.ts';
import { addDays, CHINESE_CALENDAR_LAST_YEAR, chineseWorkingCalendar, type WorkingCalendar } from './working-days.ts';

/** Where and when a department works (the org default, or the department's override). */
export interface WorkingSchedule {
  timezone: string;
  /** "HH:MM" */
  start: string;
  end: string;
  days: readonly Weekday[];
  /** "YYYY-MM-DD" days worked whatever the package says (the org file's `calendar.workingDays`). */
  extraWorkingDays?: readonly string[];
  /** "YYYY-MM-DD" days off whatever the package says (`calendar.daysOff`). */
  extraDaysOff?: readonly string[];
}

/** A target: working hours, or working days (each one the schedule's working hours of a day). */
export type WorkingDuration = { hours: number } | { days: number };

/** No deadline looks further than this many calendar days ahead (a guard, never reached by real targets). */
const MAX_DAYS = 3660;
const HOUR = 3600_000;

const calendars = new WeakMap<WorkingSchedule, WorkingCalendar>();

/** The schedule's working days: the org file's own days first, then the package's calendar. */
export function scheduleCalendar(s: WorkingSchedule): WorkingCalendar {
  let c = calendars.get(s);
  if (!c) {
    const base = chineseWorkingCalendar(s.days);
    const on = new Set(s.extraWorkingDays ?? []);
    const off = new Set(s.extraDaysOff ?? []);
    c = { isWorkingDay: (ymd) => (off.has(ymd) ? false : on.has(ymd) ? true : base.isWorkingDay(ymd)) };
    calendars.set(s, c);
  }
  return c;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The schedule's working hours in one day, in ms. */
export function dailyWorkingMs(s: WorkingSchedule): number {
  return Math.max(0, minutesOf(s.end) - minutesOf(s.start)) * 60_000;
}

export function durationMs(d: WorkingDuration, s: WorkingSchedule): number {
  return 'hours' in d ? d.hours * HOUR : d.days * dailyWorkingMs(s);
}

/** The local day of `instant` in `timeZone`, "YYYY-MM-DD". */
export function localDay(instant: number, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** The instant clocks in the zone show `hhmm` on `ymd` (in a spring-forward gap: the offset before it). */
function instantOf(ymd: string, hhmm: string, timeZone: string): number {
  const [year, month, day] = ymd.split('-').map(Number) as [number, number, number];
  const w = { year, month, day, hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3, 5)), second: 0 };
  const found = instantsOf(w, timeZone)[0];
  if (found !== undefined) return found;
  const local = wallClockAsUtc(w);
  return local - zoneOffsetMs(local - 14 * HOUR, timeZone);
}

const windows = new WeakMap<WorkingSchedule, Map<string, [number, number] | null>>();
/** Days whose windows a schedule keeps (about 27 years): the zone's rules make each one a few Intl calls. */
const WINDOW_CACHE_DAYS = 10_000;

/** The working window [from, to) of a day, or undefined on a day off (remembered per schedule). */
function windowOf(ymd: string, s: WorkingSchedule): [number, number] | undefined {
  let cache = windows.get(s);
  if (!cache) windows.set(s, (cache = new Map()));
  const hit = cache.get(ymd);
  if (hit !== undefined) return hit ?? undefined;
  let w: [number, number] | null = null;
  if (scheduleCalendar(s).isWorkingDay(ymd)) {
    const from = instantOf(ymd, s.start, s.timezone);
    const to = instantOf(ymd, s.end, s.timezone);
    if (to > from) w = [from, to];
  }
  if (cache.size >= WINDOW_CACHE_DAYS) cache.clear();
  cache.set(ymd, w);
  return w ?? undefined;
}

/** The instant `duration` of working time after `start` (outside working hours, counted from the next working moment). */
export function addWorkingTime(start: number, duration: WorkingDuration | number, s: WorkingSchedule): number {
  let left = typeof duration === 'number' ? duration : durationMs(duration, s);
  if (left <= 0) return start;
  let day = localDay(start, s.timezone);
  for (let i = 0; i < MAX_DAYS; i++, day = addDays(day, 1)) {
    const w = windowOf(day, s);
    if (!w) continue;
    const from = Math.max(start, w[0]);
    if (from >= w[1]) continue;
    if (left <= w[1] - from) return from + left;
    left -= w[1] - from;
  }
  throw new RangeError('no working time within ten years: check the working days and hours');
}

/** Working time (ms) between two instants: what a pause from `from` to `to` stopped the clock for. */
export function workingMsBetween(from: number, to: number, s: WorkingSchedule): number {
  if (to <= from) return 0;
  let total = 0;
  let day = localDay(from, s.timezone);
  const last = localDay(to, s.timezone);
  for (let i = 0; i < MAX_DAYS; i++, day = addDays(day, 1)) {
    const w = windowOf(day, s);
    if (w) total += Math.max(0, Math.min(to, w[1]) - Math.max(from, w[0]));
    if (day === last) break;
  }
  return total;
}

/** The `n`th working day after the local day of `now` (today does not count). */
export function workingDaysAfter(now: number, n: number, s: WorkingSchedule): string {
  const calendar = scheduleCalendar(s);
  let day = localDay(now, s.timezone);
  for (let found = 0, i = 0; found < n && i < MAX_DAYS; i++) {
    day = addDays(day, 1);
    if (calendar.isWorkingDay(day)) found++;
  }
  return day;
}

/** The names of the statutory holidays (English, as the package names them) between two local days. */
export function holidaysBetween(fromYmd: string, toYmd: string): string[] {
  const names: string[] = [];
  for (let day = fromYmd, i = 0; day <= toYmd && i < MAX_DAYS; day = addDays(day, 1), i++) {
    const year = Number(day.slice(0, 4));
    if (year > CHINESE_CALENDAR_LAST_YEAR) break;
    const detail = chineseDays.getDayDetail(day);
    // On a statutory day off the name is "National Day,国庆节,3"; a plain weekend is named by its weekday.
    if (!detail.work && detail.name.includes(',')) {
      const name = detail.name.split(',')[0]!;
      if (!names.includes(name)) names.push(name);
    }
  }
  return names;
}

export type PromiseCheck = { ok: boolean; earliest: string; holidays: string[] };

/**
 * Whether `date` ("YYYY-MM-DD") leaves the service's lead time of `leadDays` working days
 * from `now`: the earliest realistic date, and the holidays between now and it (the why).
 */
export function checkPromise(now: number, date: string, leadDays: number, s: WorkingSchedule): PromiseCheck {
  const earliest = workingDaysAfter(now, leadDays, s);
  return { ok: date >= earliest, earliest, holidays: holidaysBetween(localDay(now, s.timezone), earliest) };
}

/** Years between two instants that the calendar package has no notice for (counted on weekdays only: warn). */
export function unknownCalendarYears(from: number, to: number, timeZone: string): number[] {
  const first = Number(localDay(from, timeZone).slice(0, 4));
  const last = Number(localDay(to, timeZone).slice(0, 4));
  const years: number[] = [];
  for (let y = Math.max(first, CHINESE_CALENDAR_LAST_YEAR + 1); y <= last; y++) years.push(y);
  return years;
}

const schedules = new WeakMap<Org, Map<string, WorkingSchedule>>();

/** A department's schedule: its own working hours and zone when the org file gives them, else the org's; the org file's calendar days either way. One object per org and department, so its calendar and windows are remembered. */
export function departmentSchedule(org: Org, departmentId: string): WorkingSchedule {
  let byDepartment = schedules.get(org);
  if (!byDepartment) schedules.set(org, (byDepartment = new Map()));
  let schedule = byDepartment.get(departmentId);
  if (!schedule) {
    const own = org.departments.find((d) => d.id === departmentId)?.workingHours;
    const hours = own ?? { ...org.workingHours, timezone: org.timezone };
    schedule = { timezone: hours.timezone, start: hours.start, end: hours.end, days: hours.days, extraWorkingDays: org.calendar.workingDays, extraDaysOff: org.calendar.daysOff };
    byDepartment.set(departmentId, schedule);
  }
  return schedule;
}

/** Days ahead a deadline may reach that the calendar should know (the catalog's warning at start, /healthz). */
export const CALENDAR_LOOKAHEAD_DAYS = 62;

/** The warning for the years within the look-ahead that the holiday calendar has no data for (weekdays only there); none when it knows them. */
export function calendarWarnings(now: Date, timeZone = 'Asia/Shanghai'): string[] {
  const years = unknownCalendarYears(now.getTime(), now.getTime() + CALENDAR_LOOKAHEAD_DAYS * 86_400_000, timeZone);
  return years.length ? [`the Chinese holiday calendar (chinese-days) has no data for ${years.join(', ')}: those years count weekdays only until the package is upgraded; add the holidays under calendar: in the org file`] : [];
}
