// Digest periods and delivery times (core/digests/period.ts) on the Chinese calendar.
import { describe, expect, it } from 'vitest';
import { dailyPeriod, dueDeliveries, isoWeekKey, weekPeriod, weeklyDeliveryAt, DEFAULT_DIGEST_SCHEDULE } from '../../src/core/digests/period.ts';
import { digestInstant } from '../../src/core/digests/batch-figures.ts';
import { chineseWorkingCalendar, nextWorkingDay } from '../../src/core/time/working-days.ts';

const TZ = 'Asia/Shanghai';
const calendar = chineseWorkingCalendar(['mon', 'tue', 'wed', 'thu', 'fri']);
const HOUR = 3600_000;

describe('digest periods', () => {
  it('ISO weeks', () => {
    expect(isoWeekKey('2026-01-01')).toBe('2026-W01');
    expect(isoWeekKey('2026-01-05')).toBe('2026-W02');
    expect(isoWeekKey('2027-01-01')).toBe('2026-W53');
    expect(isoWeekKey('2024-12-30')).toBe('2025-W01');
  });

  it('a week runs Monday 00:00 to Monday 00:00 org time', () => {
    const w = weekPeriod('2026-01-07', TZ);
    expect(w.key).toBe('2026-W02');
    expect(w.from.toISOString()).toBe('2026-01-04T16:00:00.000Z');
    expect(w.to.toISOString()).toBe('2026-01-11T16:00:00.000Z');
  });

  it('the weekly digest comes on Monday 09:00, a holiday Monday on the next working day', () => {
    // The week of 2026-01-05 is delivered Monday 2026-01-12 09:00.
    expect(weeklyDeliveryAt('2026-01-05', DEFAULT_DIGEST_SCHEDULE, calendar, TZ).toISOString()).toBe('2026-01-12T01:00:00.000Z');
    // Monday 2026-02-16 is in the Spring Festival (2/15-2/23): Tuesday 2026-02-24.
    expect(weeklyDeliveryAt('2026-02-09', DEFAULT_DIGEST_SCHEDULE, calendar, TZ).toISOString()).toBe('2026-02-24T01:00:00.000Z');
    // Monday 2026-10-05 (National Day, 10/1-10/7) → Thursday 2026-10-08.
    expect(nextWorkingDay(calendar, '2026-10-05')).toBe('2026-10-08');
    // Past the calendar's data the weekdays decide.
    expect(nextWorkingDay(calendar, '2027-01-02')).toBe('2027-01-04');
  });

  it('a daily digest covers back to the previous working day', () => {
    const monday = dailyPeriod('2026-01-12', calendar, TZ);
    expect(monday.firstDay).toBe('2026-01-09');
    // The make-up Sunday 2026-01-04 is a working day.
    expect(dailyPeriod('2026-01-05', calendar, TZ).firstDay).toBe('2026-01-04');
  });

  it('a tick finds the deliveries due in its window, once per period', () => {
    const at = new Date('2026-01-12T00:00:00.000Z'); // 08:00 in Shanghai
    const due = dueDeliveries({ frequency: 'weekly', now: at, schedule: DEFAULT_DIGEST_SCHEDULE, calendar, timezone: TZ, lookAheadMs: HOUR + 1, lookBackMs: 3 * 24 * HOUR });
    expect(due.map((d) => [d.period.key, d.at.toISOString()])).toEqual([['2026-W02', '2026-01-12T01:00:00.000Z']]);
    expect(dueDeliveries({ frequency: 'weekly', now: new Date('2026-01-11T00:00:00.000Z'), schedule: DEFAULT_DIGEST_SCHEDULE, calendar, timezone: TZ, lookAheadMs: HOUR, lookBackMs: 3 * 24 * HOUR })).toEqual([]);
    expect(dueDeliveries({ frequency: 'off', now: at, schedule: DEFAULT_DIGEST_SCHEDULE, calendar, timezone: TZ, lookAheadMs: HOUR, lookBackMs: HOUR })).toEqual([]);
    const daily = dueDeliveries({ frequency: 'daily', now: at, schedule: DEFAULT_DIGEST_SCHEDULE, calendar, timezone: TZ, lookAheadMs: HOUR + 1, lookBackMs: 3 * HOUR });
    expect(daily.map((d) => d.period.key)).toEqual(['2026-01-12']);
  });

  it('a delivery run on time is built as of its slot, with the slot’s others; a late one as of its own time', () => {
    const slot = '2026-01-12T01:00:00.000Z';
    expect(digestInstant(slot, new Date('2026-01-12T01:00:40.000Z'))).toEqual({ now: new Date(slot), batch: true });
    expect(digestInstant(slot, new Date('2026-01-12T01:15:00.000Z'))).toEqual({ now: new Date(slot), batch: true });
    const late = new Date('2026-01-12T01:15:00.001Z');
    expect(digestInstant(slot, late)).toEqual({ now: late, batch: false });
    // Early (a clock behind) and a job without a slot: now.
    const early = new Date('2026-01-12T00:59:59.000Z');
    expect(digestInstant(slot, early)).toEqual({ now: early, batch: false });
    expect(digestInstant(undefined, late)).toEqual({ now: late, batch: false });
  });
});
