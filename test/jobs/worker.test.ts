// The worker in one process, on both databases, with a fixed clock: outcomes of a run
// (done, throttled, retried, dead), leases honoured, graceful stop.
import { beforeEach, expect, it } from 'vitest';
import { PermanentJobError, RetryLaterError } from '../../src/jobs/errors.ts';
import { enqueueJob, listJobs } from '../../src/db/repositories/job.repository.ts';
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

  it('buries a job whose lease ran out during its last allowed attempt (its worker died), and never runs it again', async () => {
    await enqueue('killer', 'greet', 1);
    // A worker that took the job and died: its lease of 1 s runs out.
    const dying = worker({ leaseMs: 1000, stopTimeoutMs: 0, handlers: { greet: () => new Promise(() => {}) } });
    void dying.drain();
    await waitFor(async () => (await listJobs(getDb()))[0]?.status === 'running', { what: 'the claim' });
    let now = T0;
    const errors: unknown[] = [];
    let ran = 0;
    const w = worker({ leaseMs: 1000, clock: () => now, logger: { ...quiet, error: (obj: unknown) => void errors.push(obj) }, handlers: { greet: async () => void ran++ } });
    now = new Date(T0.getTime() + 1000);
    await w.drain();
    expect(ran).toBe(0);
    expect((await listJobs(getDb()))[0]).toMatchObject({ status: 'dead', attempts: 1 });
    expect(errors).toEqual([expect.objectContaining({ buried: 1 })]);
    await w.stop();
    await dying.stop();
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

describeEachDatabase('job worker: hung calls, lost writes, slots', (getDb) => {
  beforeEach(async () => {
    await getDb().prisma.job.deleteMany();
  });
  const enqueue = (key: string) => enqueueJob(getDb().prisma, { kind: 'greet', payload: { to: key }, runAt: T0, idempotencyKey: key });

  it('a handler that hangs is failed after its time limit, frees its slot, and never stalls the others or stop()', async () => {
    await enqueue('hangs');
    await enqueue('fine');
    const ran: string[] = [];
    const w = startWorker({
      db: getDb(),
      clock: () => T0,
      logger: quiet,
      concurrency: 1,
      timeoutMs: 200,
      pollMs: 10,
      backoff: () => 60_000,
      handlers: {
        greet: async (payload) => {
          const to = (payload as { to: string }).to;
          ran.push(to);
          if (to === 'hangs') await new Promise(() => undefined);
        },
      },
    });
    await waitFor(async () => (await listJobs(getDb(), { status: 'done' })).length === 1, { what: 'the other job done' });
    const jobs = await listJobs(getDb());
    expect(jobs.find((j) => j.idempotencyKey === 'hangs')).toMatchObject({ status: 'pending', attempts: 1, lastError: 'JobTimeoutError: handler still running after 200 ms' });
    expect(ran).toEqual(['hangs', 'fine']);
    const stopping = Date.now();
    await w.stop();
    expect(Date.now() - stopping).toBeLessThan(2_000);
  });

  it('a database error when recording "done" is retried: the job is not run, nor sent, again', async () => {
    await enqueue('sent-once');
    const db = getDb();
    let refusals = 2;
    // The database refuses the first two writes of the outcome, as during a restart or a held SQLite lock.
    const flaky = new Proxy(db.prisma.job, {
      get(target, prop, receiver) {
        if (prop === 'updateMany') {
          return async (args: { data?: { status?: string } }) => {
            if (args.data?.status === 'done' && refusals-- > 0) throw new Error('Connection terminated unexpectedly');
            return target.updateMany(args as never);
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const flakyDb = { ...db, prisma: new Proxy(db.prisma, { get: (t, p, r) => (p === 'job' ? flaky : Reflect.get(t, p, r)) }) } as typeof db;
    let sends = 0;
    const w = startWorker({ db: flakyDb, clock: () => T0, logger: quiet, autoStart: false, settleRetryMs: 10, handlers: { greet: async () => void sends++ } });
    await w.drain();
    expect(sends).toBe(1);
    expect(refusals).toBeLessThan(0);
    expect((await listJobs(db))[0]).toMatchObject({ status: 'done', attempts: 1 });
    await w.drain();
    expect(sends).toBe(1);
    await w.stop();
  });

  it('with every slot busy at a poll, the next free slot still takes the waiting jobs', async () => {
    for (let i = 0; i < 5; i++) await enqueue(`j${i}`);
    let done = 0;
    const w = startWorker({
      db: getDb(),
      clock: () => T0,
      logger: quiet,
      concurrency: 1,
      pollMs: 5,
      handlers: { greet: async () => void (await new Promise((resolve) => setTimeout(resolve, 20)), done++) },
    });
    await waitFor(() => done === 5, { what: 'all five jobs through one slot' });
    await w.stop();
  });
});
