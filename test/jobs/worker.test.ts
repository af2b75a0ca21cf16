// The worker in one process, on both databases, with a fixed clock: outcomes of a run
// (done, throttled, retried, dead), leases honoured, graceful stop.
import { beforeEach, expect, it } from 'vitest';
import { PermanentJobError, RetryLaterError } from '../../src/jobs/errors.ts';
import { enqueueJob, listJobs } from '../../src/jobs/job.repository.ts';
import { defaultBackoff, startWorker, type JobContext, type WorkerOptions } from '../../src/jobs/worker.ts';
import { waitFor } from '../support/wait-for.ts';
import { describeEachDatabase } from '../db/databases.ts';

const T0 = new Date('2026-11-30T01:00:00.000Z');
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describeEachDatabase('job worker', (getDb) => {
  beforeEach(async () => {
    await getDb().prisma.job.deleteMany();
  });

  const enqueue = (key: string, kind = 'greet', maxAttempts?: number) =>
    enqueueJob(getDb().prisma, { kind, payload: { to: key }, runAt: T0, idempotencyKey: key, maxAttempts });

  const worker = (opts: Partial<WorkerOptions>) =>
    startWorker({ db: getDb(), handlers: {}, clock: () => T0, logger: quiet, autoStart: false, ...opts });

  it('runs due jobs with their payload and marks them done', async () => {
    await enqueue('p1');
    await enqueue('p2');
    const seen: Array<[unknown, JobContext]> = [];
    const w = worker({ handlers: { greet: async (payload, job) => void seen.push([payload, job]) } });
    await w.drain();
    expect(seen.map(([p]) => p)).toEqual(expect.arrayContaining([{ to: 'p1' }, { to: 'p2' }]));
    expect(seen[0]?.[1]).toMatchObject({ kind: 'greet', attempts: 1, maxAttempts: 8 });
    expect((await listJobs(getDb())).map((j) => j.status)).toEqual(['done', 'done']);
    await w.stop();
  });

  it('RetryLaterError reschedules at now + retryAfterMs without using up an attempt', async () => {
    await enqueue('throttled');
    const w = worker({
      handlers: {
        greet: async () => {
          throw new RetryLaterError('slack rate limited', 30_000);
        },
      },
    });
    await w.drain();
    const [job] = await listJobs(getDb());
    expect(job).toMatchObject({ status: 'pending', attempts: 0, lastError: 'RetryLaterError: slack rate limited' });
    expect(job?.runAt.toISOString()).toBe(new Date(T0.getTime() + 30_000).toISOString());
  });

  it('retries other errors with backoff, then buries the job after maxAttempts', async () => {
    await enqueue('flaky', 'greet', 3);
    const delays: number[] = [];
    let calls = 0;
    const w = worker({
      // Zero delay keeps the job due under the fixed clock, so drain() runs every attempt.
      backoff: (attempt) => (delays.push(attempt), 0),
      handlers: {
        greet: async () => {
          calls++;
          throw new Error('chat API is down');
        },
      },
    });
    await w.drain();
    expect(calls).toBe(3);
    expect(delays).toEqual([1, 2]);
    const [job] = await listJobs(getDb());
    expect(job).toMatchObject({ status: 'dead', attempts: 3, lastError: 'gave up after 3 attempts: Error: chat API is down' });
  });

  it('backs off exponentially with jitter by default', async () => {
    expect(defaultBackoff(1, () => 1)).toBe(5_000);
    expect(defaultBackoff(2, () => 1)).toBe(10_000);
    expect(defaultBackoff(3, () => 0)).toBe(10_000);
    expect(defaultBackoff(30, () => 1)).toBe(3_600_000);
    await enqueue('later');
    const w = worker({
      handlers: {
        greet: async () => {
          throw new Error('nope');
        },
      },
    });
    await w.drain();
    const [job] = await listJobs(getDb());
    const delay = (job?.runAt.getTime() ?? 0) - T0.getTime();
    expect(delay).toBeGreaterThanOrEqual(2_500);
    expect(delay).toBeLessThanOrEqual(5_000);
  });

  it('an unknown kind or a PermanentJobError is dead at once, with a readable reason', async () => {
    await enqueue('mystery', 'no.such.kind');
    await enqueue('gone', 'greet');
    const w = worker({
      handlers: {
        greet: async () => {
          throw new PermanentJobError('person "p9" is no longer in the org file');
        },
      },
    });
    await w.drain();
    const jobs = await listJobs(getDb());
    expect(jobs.map((j) => [j.idempotencyKey, j.status, j.attempts, j.lastError]).sort()).toEqual([
      ['gone', 'dead', 1, 'PermanentJobError: person "p9" is no longer in the org file'],
      ['mystery', 'dead', 1, 'no handler for job kind "no.such.kind" (this worker knows: greet)'],
    ]);
  });

  it('a long-running job is not run twice while its lease holds; stop() waits for it', async () => {
    await enqueue('slow');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const handlers = {
      greet: async () => {
        runs++;
        await gate;
      },
    };
    const a = worker({ handlers, owner: 'a', leaseMs: 60_000, autoStart: true, pollMs: 10 });
    await waitFor(() => runs === 1, { what: 'worker a starts the job' });
    const b = worker({ handlers, owner: 'b', leaseMs: 60_000 });
    await b.drain();
    expect(runs).toBe(1);

    const stopping = a.stop();
    let stopped = false;
    void stopping.then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect((await listJobs(getDb()))[0]).toMatchObject({ status: 'done', attempts: 1 });
    await b.stop();
  });
});
