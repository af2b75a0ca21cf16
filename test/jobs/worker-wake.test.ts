// The job worker's wake-up (issue 12 point 10): a job enqueued does not wait for the next
// poll. In-process, the enqueuing transaction's commit wakes the worker (jobsCommitted); a
// job due later fires at its due time, not at the next poll; on PostgreSQL a job written by
// another replica (another connection, no in-process call) wakes this worker through
// LISTEN/NOTIFY, and the listener comes back after its connection is killed.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { enqueueJob, jobsCommitted } from '../../src/db/repositories/job.repository.ts';
import { startWorker, type Worker } from '../../src/jobs/worker.ts';
import { waitFor } from '../support/wait-for.ts';
import { describeEachDatabase } from '../db/databases.ts';
import type { Database } from '../../src/db/client.ts';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
/** Far longer than any assertion waits: a run within the test's time was woken, not polled. */
const SLOW_POLL_MS = 60_000;

describeEachDatabase('worker wake-up', (getDb, provider, getTarget) => {
  let worker: Worker | undefined;
  let other: Database | undefined;
  beforeEach(async () => {
    await getDb().prisma.job.deleteMany();
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await other?.close();
    other = undefined;
  });

  const start = (ran: Map<string, number>) => {
    worker = startWorker({
      db: getDb(),
      handlers: { ping: async (payload) => void ran.set((payload as { key: string }).key, Date.now()) },
      logger: quiet,
      pollMs: SLOW_POLL_MS,
      wakeOnEnqueue: true,
    });
    return worker;
  };

  it('runs a job enqueued in a committed transaction at once, not at the next poll', async () => {
    const ran = new Map<string, number>();
    start(ran);
    await new Promise((r) => setTimeout(r, 100)); // the first poll (at start) is over
    const t0 = Date.now();
    const runAt = new Date();
    await getDb().prisma.$transaction((tx) => enqueueJob(tx, { kind: 'ping', payload: { key: 'now' }, runAt, idempotencyKey: 'wake-now' }));
    jobsCommitted(getDb(), runAt);
    await waitFor(() => ran.has('now'), { what: 'the woken job', timeoutMs: 5_000 });
    expect(ran.get('now')! - t0).toBeLessThan(1_000);
  });

  it('fires a job due later at its due time (one timer), not at the next poll', async () => {
    const ran = new Map<string, number>();
    start(ran);
    await new Promise((r) => setTimeout(r, 100));
    const runAt = new Date(Date.now() + 400);
    await getDb().prisma.$transaction((tx) => enqueueJob(tx, { kind: 'ping', payload: { key: 'later' }, runAt, idempotencyKey: 'wake-later' }));
    jobsCommitted(getDb(), runAt);
    await waitFor(() => ran.has('later'), { what: 'the due job', timeoutMs: 5_000 });
    expect(ran.get('later')!).toBeGreaterThanOrEqual(runAt.getTime() - 5);
    expect(ran.get('later')! - runAt.getTime()).toBeLessThan(500);
  });

  it('without a wake, waits for its poll (the wake is what makes it fast)', async () => {
    const ran = new Map<string, number>();
    start(ran);
    await new Promise((r) => setTimeout(r, 100));
    other = await getTarget().open();
    // Another replica's enqueue: on SQLite nothing tells this process; on PostgreSQL the NOTIFY does.
    await other.prisma.$transaction((tx) => enqueueJob(tx, { kind: 'ping', payload: { key: 'replica' }, runAt: new Date(), idempotencyKey: 'wake-replica' }));
    if (provider === 'postgresql') {
      await waitFor(() => ran.has('replica'), { what: 'the job written by another replica', timeoutMs: 5_000 });
    } else {
      await new Promise((r) => setTimeout(r, 500));
      expect(ran.has('replica')).toBe(false);
    }
  });

  if (provider === 'postgresql') {
    it('listens again after its connection is killed', async () => {
      const ran = new Map<string, number>();
      start(ran);
      await new Promise((r) => setTimeout(r, 300));
      await getDb().prisma.$executeRawUnsafe(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN kehu_jobs' AND datname = current_database()`);
      other = await getTarget().open();
      // The listener reconnects (backoff about 1 s) and polls once it listens again.
      await new Promise((r) => setTimeout(r, 1_500));
      await other.prisma.$transaction((tx) => enqueueJob(tx, { kind: 'ping', payload: { key: 'after' }, runAt: new Date(), idempotencyKey: 'wake-after' }));
      await waitFor(() => ran.has('after'), { what: 'the job after the reconnect', timeoutMs: 5_000 });
    });
  }
});
