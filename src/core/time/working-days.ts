// Which days are working days: the Chinese State Council calendar (holidays and their
// make-up working days, from the `chinese-days` package) where it has the year, and the
// org's working weekdays otherwise. Pure look-ups on `YYYY-MM-DD` strings computed in the
// org's zone (a Date would be read in the process's own zone).
// The default export: Node loads the package's CommonJS build, whose named exports it cannot see.
import chineseDays from 'chinese-days';
import { WEEKDAYS, type Weekday } from '../org/org.ts';
import { wallClock } from './wall-clock.ts';

/**
 * The last year `chinese-days` 1.5.7 has the notice for (its data ends 2026-10-10). Later
 * years would read every holiday as a working day: they fall back to the weekdays until
 * the package is upgraded (the notice for a year appears in November or December before it).
 */
export const CHINESE_CALENDAR_LAST_YEAR = 2026;
const CHINESE_CALENDAR_FIRST_YEAR = 2004;

export interface WorkingCalendar {
  isWorkingDay(ymd: string): boolean;
}

/** The weekday of a `YYYY-MM-DD` date (calendar arithmetic, no zone). */
export function weekdayOf(ymd: string): Weekday {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const js = new Date(Date.UTC(y, m - 1, d)).getUTCDay(); // 0 = Sunday
  return WEEKDAYS[(js + 6) % 7]!;
}

/** `ymd` plus `days` calendar days. */
export function addDays(ymd: string, days: number): string {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function chineseWorkingCalendar(workingDays: readonly Weekday[]): WorkingCalendar {
  return {
    isWorkingDay(ymd) {
      const year = Number(ymd.slice(0, 4));
      if (year >= CHINESE_CALENDAR_FIRST_YEAR && year <= CHINESE_CALENDAR_LAST_YEAR) return chineseDays.isWorkday(ymd);
      return workingDays.includes(weekdayOf(ymd));
    },
  };
}

/** The first working day on or after `ymd` (within two months: no calendar has a longer break). */
export function nextWorkingDay(calendar: WorkingCalendar, ymd: string): string {
  for (let i = 0; i < 62; i++) {
    const day = addDays(ymd, i);
    if (calendar.isWorkingDay(day)) return day;
  }
  return ymd;
}

/** "HH:MM" as minutes after midnight. */
export function minutesOfClock(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/**
 * Whether `instant` falls inside the org's working hours on a working day (the Chinese
 * calendar where it has the year, the org's weekdays otherwise), read in the org's zone.
 */
export function isWorkingTime(instant: Date, org: { timezone: string; workingHours: { start: string; end: string; days: readonly Weekday[] } }, calendar: WorkingCalendar = chineseWorkingCalendar(org.workingHours.days)): boolean {
  const w = wallClock(instant.getTime(), org.timezone);
  const ymd = `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
  if (!calendar.isWorkingDay(ymd)) return false;
  const minute = w.hour * 60 + w.minute;
  return minute >= minutesOfClock(org.workingHours.start) && minute < minutesOfClock(org.workingHours.end);
}
