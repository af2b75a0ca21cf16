// The periods a digest covers and when each is delivered. Pure: instants in, instants out,
// with the org's zone and working calendar.
//
// - A weekly digest covers one ISO week (Monday 00:00 to the next Monday 00:00, org time)
//   and is delivered on the week after it, on the org file's day and time (`digest:` in the
//   org file; default Monday 09:00). When that day is not a working day (a holiday Monday)
//   it moves to the next working day: after the Spring Festival that can be a week later,
//   when two weekly digests then arrive the same morning, each about its own week.
// - A daily digest covers the day before a working day's delivery time, back to the
//   previous working day's start (Monday's covers Friday to Sunday).
// Each delivery is keyed by recipient and covered period (ISO week or day), so it is sent
// once whichever replica or restart enqueues it.
import type { Weekday } from '../org/org.ts';
import { addDays, nextWorkingDay, weekdayOf, type WorkingCalendar } from '../time/working-days.ts';
import { instantsOf, wallClock } from '../time/wall-clock.ts';
import { WEEKDAYS } from '../org/org.ts';

export type DigestFrequency = 'weekly' | 'daily' | 'off';

export interface DigestSchedule {
  day: Weekday;
  /** "HH:MM", org time. */
  time: string;
}

export const DEFAULT_DIGEST_SCHEDULE: DigestSchedule = { day: 'mon', time: '09:00' };

export interface DigestPeriod {
  kind: 'weekly' | 'daily';
  /** `2026-W02` for a week, `2026-01-06` for a day: part of the delivery's key. */
  key: string;
  /** First day covered, `YYYY-MM-DD` (org time). */
  firstDay: string;
  /** Start (inclusive) and end (exclusive) instants. */
  from: Date;
  to: Date;
}

/** `YYYY-MM-DD` of `instant` in `timezone`. */
export function dayOf(instant: Date, timezone: string): string {
  const w = wallClock(instant.getTime(), timezone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** The instant the org's clocks show `time` on `ymd` (the later one in a repeated hour; the hour after a gap). */
export function instantAt(ymd: string, time: string, timezone: string): Date {
  const [year, month, day] = ymd.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const found = instantsOf({ year, month, day, hour, minute, second: 0 }, timezone);
  if (found.length) return new Date(found[found.length - 1]!);
  return new Date(instantsOf({ year, month, day, hour: hour + 1, minute, second: 0 }, timezone)[0] ?? Date.UTC(year, month - 1, day, hour, minute));
}

/** The Monday of the ISO week holding `ymd`. */
export function mondayOf(ymd: string): string {
  return addDays(ymd, -WEEKDAYS.indexOf(weekdayOf(ymd)));
}

/** `2026-W02`: the ISO week (the week's Thursday decides its year). */
export function isoWeekKey(ymd: string): string {
  const thursday = addDays(mondayOf(ymd), 3);
  const year = Number(thursday.slice(0, 4));
  const jan4 = `${year}-01-04`;
  const week = 1 + Math.round((Date.parse(mondayOf(thursday)) - Date.parse(mondayOf(jan4))) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The ISO week holding `ymd`, as a period. */
export function weekPeriod(ymd: string, timezone: string): DigestPeriod {
  const monday = mondayOf(ymd);
  return { kind: 'weekly', key: isoWeekKey(monday), firstDay: monday, from: instantAt(monday, '00:00', timezone), to: instantAt(addDays(monday, 7), '00:00', timezone) };
}

/** When the digest of the week starting `monday` is delivered. */
export function weeklyDeliveryAt(monday: string, schedule: DigestSchedule, calendar: WorkingCalendar, timezone: string): Date {
  const planned = addDays(monday, 7 + WEEKDAYS.indexOf(schedule.day));
  return instantAt(nextWorkingDay(calendar, planned), schedule.time, timezone);
}

/** The daily period delivered on working day `ymd`: from the previous working day's start to `ymd`'s. */
export function dailyPeriod(ymd: string, calendar: WorkingCalendar, timezone: string): DigestPeriod {
  let first = addDays(ymd, -1);
  for (let i = 0; i < 62 && !calendar.isWorkingDay(first); i++) first = addDays(first, -1);
  return { kind: 'daily', key: ymd, firstDay: first, from: instantAt(first, '00:00', timezone), to: instantAt(ymd, '00:00', timezone) };
}

export interface DueDelivery {
  period: DigestPeriod;
  at: Date;
}

/**
 * The deliveries of `frequency` whose time lies in (now − lookBack, now + lookAhead]: what
 * a scheduler tick enqueues (at their own time). The look-back makes up ticks missed while
 * kehu was down; the key keeps a delivery that did run from running again.
 */
export function dueDeliveries(o: {
  frequency: DigestFrequency;
  now: Date;
  schedule: DigestSchedule;
  calendar: WorkingCalendar;
  timezone: string;
  lookAheadMs: number;
  lookBackMs: number;
}): DueDelivery[] {
  const { now, schedule, calendar, timezone } = o;
  const inWindow = (at: Date) => at.getTime() > now.getTime() - o.lookBackMs && at.getTime() <= now.getTime() + o.lookAheadMs;
  const today = dayOf(now, timezone);
  if (o.frequency === 'weekly') {
    // A holiday can push a week's delivery into the week after next: look two weeks back.
    const due: DueDelivery[] = [];
    for (const back of [2, 1]) {
      const monday = mondayOf(addDays(today, -7 * back));
      const at = weeklyDeliveryAt(monday, schedule, calendar, timezone);
      if (inWindow(at)) due.push({ period: weekPeriod(monday, timezone), at });
    }
    return due;
  }
  if (o.frequency === 'daily') {
    const due: DueDelivery[] = [];
    for (const day of [addDays(today, -1), today]) {
      if (!calendar.isWorkingDay(day)) continue;
      const at = instantAt(day, schedule.time, timezone);
      if (inWindow(at)) due.push({ period: dailyPeriod(day, calendar, timezone), at });
    }
    return due;
  }
  return [];
}
