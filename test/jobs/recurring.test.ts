// Recurring work: period keys in the org's zone, one job per period across replicas, a
// real node-cron tick enqueueing through scheduleRecurring, and the slot missed while no
// replica ran made up at start-up (latestSlot checked against node-cron's own matcher).
import { createTask } from 'node-cron';
import { describe, expect, it } from 'vitest';
import { HOUSEKEEPING_ENTRY, KEEP_DONE_JOBS_MS } from '../../src/jobs/housekeeping.job.ts';
import { listJobs } from '../../src/db/repositories/job.repository.ts';
import {
  CATCH_UP_WINDOW_MS,
  catchUpRecurring,
  enqueueRecurring,
  latestSlot,
  periodKey,
  scheduleRecurring,
  type RecurringEntry,
} from '../../src/jobs/recurring.ts';
import { waitFor } from '../support/wait-for.ts';
import { describeEachDatabase } from '../db/databases.ts';

const DAY = 24 * 3600_000;
const SHANGHAI = 'Asia/Shanghai';
/** 07:00 in Shanghai on 2 December 2026 (UTC+8, no DST). */
const SEVEN_AM = new Date('2026-12-01T23:00:00Z');
/** 03:30 in Shanghai that morning. */
const HALF_PAST_THREE = new Date('2026-12-01T19:30:00Z');

/** The same question answered the slow way: each minute (second, for six fields) back from `now`, node-cron's matcher. */
function bruteForceLatest(cron: string, timezone: string, now: Date, windowMs: number): Date | undefined {
  const task = createTask(cron, () => undefined, { timezone });
  const step = cron.trim().split(/\s+/).length === 6 ? 1000 : 60_000;
  try {
    for (let t = Math.floor(now.getTime() / step) * step; t >= now.getTime() - windowMs; t -= step) {
      if (task.match(new Date(t))) return new Date(t);
    }
    return undefined;
  } finally {
    void task.destroy();
  }
}

describe('latestSlot', () => {
  it('a daily 03:30: today\'s at 07:00, yesterday\'s at 03:00, today\'s at 03:30 sharp', () => {
    expect(latestSlot('30 3 * * *', SHANGHAI, SEVEN_AM)).toEqual(HALF_PAST_THREE);
    expect(latestSlot('30 3 * * *', SHANGHAI, new Date('2026-12-01T19:00:00Z'))).toEqual(new Date(HALF_PAST_THREE.getTime() - DAY));
    expect(latestSlot('30 3 * * *', SHANGHAI, HALF_PAST_THREE)).toEqual(HALF_PAST_THREE);
  });

  it('a weekly Monday 09:00, asked on a Sunday: the Monday before', () => {
    // 2026-12-06 is a Sunday; Monday 2026-11-30 09:00 in Shanghai is 01:00 UTC.
    expect(latestSlot('0 9 * * 1', SHANGHAI, new Date('2026-12-06T04:00:00Z'))).toEqual(new Date('2026-11-30T01:00:00Z'));
  });

  it('nothing older than the window: a yearly slot eleven months back is not made up', () => {
    expect(latestSlot('0 0 1 1 *', SHANGHAI, SEVEN_AM)).toBeUndefined();
    expect(latestSlot('0 0 1 1 *', SHANGHAI, SEVEN_AM, 400 * DAY)).toEqual(new Date('2025-12-31T16:00:00Z'));
  });

  it('a day of the month AND a weekday, as node-cron reads them (not cron\'s "or")', () => {
    // The 1st of a month that is a Monday: in 2026 only 1 June.
    expect(latestSlot('0 9 1 * 1', SHANGHAI, SEVEN_AM, 365 * DAY)).toEqual(new Date('2026-06-01T01:00:00Z'));
  });

  it('the made-up slot lies inside the month finished jobs are kept: a slot that ran keeps its key', () => {
    expect(CATCH_UP_WINDOW_MS + DAY).toBeLessThan(KEEP_DONE_JOBS_MS);
  });

  // Three days back, second by second through node-cron's own matcher, against latestSlot.
  const cases: Array<[string, string, string]> = [
    ['30 3 * * *', SHANGHAI, '2026-12-01T23:00:00Z'],
    ['*/15 9-17 * * 1-5', SHANGHAI, '2026-12-06T04:00:00Z'], // a Sunday: Friday 17:45
    ['0 12 L * *', SHANGHAI, '2026-12-02T01:00:00Z'], // the last day of the month
    ['5 4 * * 0', 'Europe/Berlin', '2026-12-08T10:00:00Z'],
    ['30 2 * * *', 'America/New_York', '2026-03-08T17:00:00Z'], // 02:30 does not exist that day
    ['30 1 * * *', 'America/New_York', '2026-11-01T06:45:00Z'], // 01:30 came twice: the second
    ['30 1 * * *', 'America/New_York', '2026-11-01T06:15:00Z'], // between the two: the first
    ['*/20 * * * * *', 'UTC', '2026-12-01T10:00:07Z'],
    ['0 0 * * *', 'Asia/Kolkata', '2026-12-01T18:29:59Z'],
  ];
  it.each(cases)('%s in %s at %s: what node-cron itself would have fired last', (cron, timezone, at) => {
    const now = new Date(at);
    const windowMs = cron.split(' ').length === 6 ? 3600_000 : 3 * DAY;
    const slot = latestSlot(cron, timezone, now, windowMs);
    expect(slot).toBeDefined();
    expect(slot).toEqual(bruteForceLatest(cron, timezone, now, windowMs));
  });
});

describe('periodKey', () => {
  it('names the minute as a wall clock in the org zone', () => {
    expect(periodKey(new Date('2026-11-30T01:00:00Z'), 'Asia/Shanghai')).toBe('2026-11-30T09:00');
    expect(periodKey(new Date('2026-11-30T01:00:59.999Z'), 'Asia/Shanghai')).toBe('2026-11-30T09:00');
    expect(periodKey(new Date('2026-11-30T01:00:00Z'), 'UTC')).toBe('2026-11-30T01:00');
  });

  it('crosses midnight and year ends by the zone, not by UTC', () => {
    expect(periodKey(new Date('2026-12-31T16:30:00Z'), 'Asia/Shanghai')).toBe('2027-01-01T00:30');
    expect(periodKey(new Date('2026-12-31T16:30:00Z'), 'America/New_York')).toBe('2026-12-31T11:30');
  });

  it('writes midnight as 00, never 24', () => {
    expect(periodKey(new Date('2026-03-01T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-03-02T00:00');
  });

  it('gives a wall-clock minute that repeats at a DST fall-back one key: the job runs once that night', () => {
    // New York, 2026-11-01: 01:30 happens twice; a "30 1 * * *" entry enqueues on the first.
    expect(periodKey(new Date('2026-11-01T05:30:00Z'), 'America/New_York')).toBe('2026-11-01T01:30');
    expect(periodKey(new Date('2026-11-01T06:30:00Z'), 'America/New_York')).toBe('2026-11-01T01:30');
  });

  it('rejects an unknown zone', () => {
    expect(() => periodKey(new Date(), 'Mars/Olympus')).toThrow(RangeError);
  });
});

describeEachDatabase('recurring jobs', (getDb) => {
  const entry = { name: 'weekly-digest', cron: '0 9 * * 1', kind: 'digest.weekly', payload: { scope: 'all' } };

  it('two replicas ticking for the same slot enqueue one job', async () => {
    const db = getDb();
    const slot = new Date('2026-11-30T01:00:00Z');
    const results = await Promise.all([
      enqueueRecurring(db, entry, slot, 'Asia/Shanghai'),
      enqueueRecurring(db, entry, slot, 'Asia/Shanghai'),
    ]);
    expect(results.sort()).toEqual([false, true]);
    const next = await enqueueRecurring(db, entry, new Date('2026-12-07T01:00:00Z'), 'Asia/Shanghai');
    expect(next).toBe(true);
    const jobs = await listJobs(db, { kind: 'digest.weekly' });
    expect(jobs.map((j) => j.idempotencyKey)).toEqual(['weekly-digest:2026-11-30T09:00', 'weekly-digest:2026-12-07T09:00']);
    expect(JSON.parse(jobs[0]!.payload)).toEqual({ scope: 'all' });
  });

  it('a real cron tick enqueues through scheduleRecurring, once for two schedulers', async () => {
    const db = getDb();
    const every = { name: 'every-minute', cron: '* * * * * *', kind: 'test.tick' };
    // Six fields tick every second, but the key is per minute: still at most one job a minute.
    const stops = [
      scheduleRecurring({ db, timezone: 'Asia/Shanghai', entries: [every] }),
      scheduleRecurring({ db, timezone: 'Asia/Shanghai', entries: [every] }),
    ];
    try {
      const [job] = await waitFor(async () => {
        const jobs = await listJobs(db, { kind: 'test.tick' });
        return jobs.length > 0 && jobs;
      }, { timeoutMs: 5000, what: 'a tick enqueues a job' });
      expect(job?.idempotencyKey).toMatch(/^every-minute:\d{4}-\d\d-\d\dT\d\d:\d\d$/);
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const jobs = await listJobs(db, { kind: 'test.tick' });
      expect(new Set(jobs.map((j) => j.idempotencyKey)).size).toBe(jobs.length);
      expect(jobs.length).toBeLessThanOrEqual(2); // the minute may roll over once meanwhile
    } finally {
      for (const stop of stops) await stop();
    }
  });

  describe('made up at start-up', () => {
    const entry = (name: string): RecurringEntry => ({ ...HOUSEKEEPING_ENTRY, name, kind: `test.${name}` });
    const at = (now: Date) => () => now;

    it('kehu stopped over 03:30 and started at 07:00: that 03:30 housekeeping is enqueued, once, however often it starts', async () => {
      const db = getDb();
      const opts = { db, timezone: SHANGHAI, entries: [HOUSEKEEPING_ENTRY], clock: at(SEVEN_AM) };
      expect(await catchUpRecurring(opts)).toEqual([{ name: 'housekeeping', slot: HALF_PAST_THREE }]);
      expect(await catchUpRecurring(opts)).toEqual([]);
      // Two replicas starting at the same moment.
      const both = await Promise.all([catchUpRecurring(opts), catchUpRecurring(opts)]);
      expect(both).toEqual([[], []]);
      const jobs = await listJobs(db, { kind: HOUSEKEEPING_ENTRY.kind });
      expect(jobs.map((j) => [j.idempotencyKey, j.runAt])).toEqual([['housekeeping:2026-12-02T03:30', HALF_PAST_THREE]]);
    });

    it('a slot whose tick did enqueue it is not enqueued again, nor the other way round', async () => {
      const db = getDb();
      const ticked = entry('ticked');
      expect(await enqueueRecurring(db, ticked, HALF_PAST_THREE, SHANGHAI)).toBe(true);
      expect(await catchUpRecurring({ db, timezone: SHANGHAI, entries: [ticked], clock: at(SEVEN_AM) })).toEqual([]);
      const caught = entry('caught');
      expect(await catchUpRecurring({ db, timezone: SHANGHAI, entries: [caught], clock: at(SEVEN_AM) })).toHaveLength(1);
      expect(await enqueueRecurring(db, caught, HALF_PAST_THREE, SHANGHAI)).toBe(false);
    });

    it('down for three nights: only the latest night is made up', async () => {
      const db = getDb();
      const away = entry('away');
      const opts = { db, timezone: SHANGHAI, entries: [away] };
      await catchUpRecurring({ ...opts, clock: at(new Date(SEVEN_AM.getTime() - 3 * DAY)) }); // the last start
      await catchUpRecurring({ ...opts, clock: at(SEVEN_AM) });
      const jobs = await listJobs(db, { kind: away.kind });
      expect(jobs.map((j) => j.idempotencyKey)).toEqual(['away:2026-11-29T03:30', 'away:2026-12-02T03:30']);
    });

    it('scheduleRecurring makes it up as it starts; stopping waits for it', async () => {
      const db = getDb();
      const started = entry('started');
      const logs: string[] = [];
      const logger = { error: () => undefined, info: (_: object, msg: string) => logs.push(msg) };
      const stop = scheduleRecurring({ db, timezone: SHANGHAI, entries: [started], clock: at(SEVEN_AM), logger });
      await stop();
      expect(await stop.caughtUp).toEqual([{ name: 'started', slot: HALF_PAST_THREE }]);
      expect(await listJobs(db, { kind: started.kind })).toHaveLength(1);
      expect(logs).toEqual(['enqueued a recurring job missed while kehu was not running']);
    });
  });

  it('refuses invalid entries before scheduling anything', () => {
    const db = getDb();
    expect(() => scheduleRecurring({ db, timezone: 'Asia/Shanghai', entries: [{ ...entry, cron: '61 * * * *' }] })).toThrow(
      /weekly-digest.*invalid cron/,
    );
    expect(() => scheduleRecurring({ db, timezone: 'Asia/Shanghai', entries: [entry, entry] })).toThrow(/listed twice/);
    expect(() => scheduleRecurring({ db, timezone: 'Nowhere/Land', entries: [entry] })).toThrow(RangeError);
  });
});
