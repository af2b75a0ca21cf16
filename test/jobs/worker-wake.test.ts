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

  it('fires each of several jobs due later at its due time, not only the soonest', async () => {
    const ran = new Map<string, number>();
    start(ran);
    await new Promise((r) => setTimeout(r, 100));
    const due = { first: new Date(Date.now() + 300), second: new Date(Date.now() + 700) };
    for (const [key, runAt] of Object.entries(due)) {
      await getDb().prisma.$transaction((tx) => enqueueJob(tx, { kind: 'ping', payload: { key }, runAt, idempotencyKey: `wake-${key}` }));
      jobsCommitted(getDb(), runAt);
    }
    await waitFor(() => ran.has('second'), { what: 'the second due job', timeoutMs: 5_000 });
    for (const [key, runAt] of Object.entries(due)) expect(ran.get(key)! - runAt.getTime(), key).toBeLessThan(500);
  });

  // A wake that comes while a claim is in flight: the claim read the table before the job
  // committed, so it did not see it; the poll after it must not be put off to the next
  // regular one (a lost wake-up: the job waited pollMs). Whether the wake's own timer fired
  // before the claim answered (it then joined the claim) or not (the claim's answer then
  // scheduled the next poll over it), the job runs at once.
  for (const wakeFiredFirst of [true, false]) {
    it(`runs a job committed while a claim is in flight at once (the wake ${wakeFiredFirst ? 'joined the claim' : 'was still pending when it answered'})`, async () => {
      const db = getDb();
      let holdNextQuery = false;
      let claimRead!: () => void;
      const read = new Promise<void>((r) => (claimRead = r));
      let answer!: () => void;
      const answered = new Promise<void>((r) => (answer = r));
      // The claim's statement runs, and its rows come back only when the test says so.
      const prisma = new Proxy(db.prisma, {
        get(target, prop) {
          const value = Reflect.get(target, prop) as unknown;
          if (prop !== '$queryRaw') return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
          return async (...args: Parameters<typeof target.$queryRaw>) => {
            const rows = await target.$queryRaw(...args);
            if (holdNextQuery) {
              holdNextQuery = false;
              claimRead();
              await answered;
            }
            return rows;
          };
        },
      });
      const held: Database = { ...db, prisma };
      const ran = new Map<string, number>();
      worker = startWorker({ db: held, handlers: { ping: async (payload) => void ran.set((payload as { key: string }).key, Date.now()) }, logger: quiet, pollMs: SLOW_POLL_MS, wakeOnEnqueue: true });
      await new Promise((r) => setTimeout(r, 100));
      holdNextQuery = true;
      worker.wake();
      await read;
      const runAt = new Date();
      await db.prisma.$transaction((tx) => enqueueJob(tx, { kind: 'ping', payload: { key: 'raced' }, runAt, idempotencyKey: 'wake-raced' }));
      jobsCommitted(held, runAt);
      if (wakeFiredFirst) await new Promise((r) => setTimeout(r, 50));
      answer();
      await waitFor(() => ran.has('raced'), { what: 'the job committed during the claim', timeoutMs: 5_000 });
      expect(ran.get('raced')! - runAt.getTime()).toBeLessThan(1_000);
    });
  }

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
