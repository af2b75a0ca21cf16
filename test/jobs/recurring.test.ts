// Recurring work: period keys in the org's zone, one job per period across replicas, and a
// real node-cron tick enqueueing through scheduleRecurring.
import { describe, expect, it } from 'vitest';
import { listJobs } from '../../src/jobs/job.repository.ts';
import { enqueueRecurring, periodKey, scheduleRecurring } from '../../src/jobs/recurring.ts';
import { waitFor } from '../support/wait-for.ts';
import { describeEachDatabase } from '../db/databases.ts';

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

  it('refuses invalid entries before scheduling anything', () => {
    const db = getDb();
    expect(() => scheduleRecurring({ db, timezone: 'Asia/Shanghai', entries: [{ ...entry, cron: '61 * * * *' }] })).toThrow(
      /weekly-digest.*invalid cron/,
    );
    expect(() => scheduleRecurring({ db, timezone: 'Asia/Shanghai', entries: [entry, entry] })).toThrow(/listed twice/);
    expect(() => scheduleRecurring({ db, timezone: 'Nowhere/Land', entries: [entry] })).toThrow(RangeError);
  });
});
