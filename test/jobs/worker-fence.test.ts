// A job run twice changes things once (db/effect-fence.ts), on both databases: two real
// workers with their own clocks, one whose lease runs out while its run is still going.
import { beforeEach, expect, it } from 'vitest';
import { FencedOut } from '../../src/core/errors.ts';
import { enqueueJob, listJobs } from '../../src/db/repositories/job.repository.ts';
import { startWorker, type JobSettled, type WorkerOptions } from '../../src/jobs/worker.ts';
import { waitFor } from '../support/wait-for.ts';
import { describeEachDatabase } from '../db/databases.ts';

const T0 = new Date('2026-11-30T01:00:00.000Z');
const LEASE_MS = 1_000;
/** Past the first worker's lease: the second finds the row's lease ran out. */
const LATER = new Date(T0.getTime() + 2 * LEASE_MS);
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** A gate a handler waits at until the test opens it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describeEachDatabase('a job run twice (fenced writes)', (getDb) => {
  beforeEach(async () => {
    await getDb().prisma.job.deleteMany();
    await getDb().prisma.heartbeat.deleteMany();
  });

  /** The change a run makes: one row, in a transaction (what a command's repository does). */
  let made = 0;
  const change = () => getDb().prisma.$transaction((tx) => tx.heartbeat.create({ data: { id: `change-${++made}`, beatAt: T0 } }));
  const changes = () => getDb().prisma.heartbeat.count();

  const worker = (name: string, clock: () => Date, handler: () => Promise<unknown>, settled: JobSettled[], opts: Partial<WorkerOptions> = {}) =>
    startWorker({ db: getDb(), owner: name, handlers: { 'inbox.test': handler }, onlyOwnKinds: true, fenceWrites: true, clock, leaseMs: LEASE_MS, logger: quiet, autoStart: false, onSettled: (s) => void settled.push(s), ...opts });

  it('runs again after its change committed (its lease ran out before "done"): applies nothing, and is done', async () => {
    await enqueueJob(getDb().prisma, { kind: 'inbox.test', payload: {}, runAt: T0, idempotencyKey: 'once' });
    const held = gate();
    const settledA: JobSettled[] = [];
    const settledB: JobSettled[] = [];
    // A commits its change, then stalls (starved, or the database away) past its lease; a second change after that is refused too.
    const a = worker('worker-a', () => T0, async () => {
      await change();
      await held.opened;
      await change();
    }, settledA);
    const runA = a.drain();
    await waitFor(async () => (await changes()) === 1, { what: 'the first run’s change' });
    // B finds the lease run out and runs the row again: its first write is refused, the row is done.
    let ranB = 0;
    const b = worker('worker-b', () => LATER, async () => {
      ranB++;
      await change();
    }, settledB);
    await b.drain();
    expect(ranB).toBe(1);
    expect(settledB).toEqual([expect.objectContaining({ outcome: 'superseded', error: 'applied' })]);
    expect((await listJobs(getDb()))[0]).toMatchObject({ status: 'done', attempts: 2, effectAttempt: 1 });
    // A wakes: its later change is refused as well; it writes nothing on the row.
    held.open();
    await runA;
    expect(settledA).toEqual([expect.objectContaining({ outcome: 'superseded', error: 'leaseLost' })]);
    expect(await changes()).toBe(1);
    expect((await listJobs(getDb()))[0]).toMatchObject({ status: 'done', attempts: 2 });
    await Promise.all([a.stop(), b.stop()]);
  });

  it('a run that lost its lease before writing writes nothing; the run that holds it makes the change, once', async () => {
    await enqueueJob(getDb().prisma, { kind: 'inbox.test', payload: {}, runAt: T0, idempotencyKey: 'stale' });
    const held = gate();
    const settledA: JobSettled[] = [];
    let started = false;
    const a = worker('worker-a', () => T0, async () => {
      started = true;
      await held.opened;
      await change();
    }, settledA);
    const runA = a.drain();
    await waitFor(() => started, { what: 'the first run' });
    const b = worker('worker-b', () => LATER, change, []);
    await b.drain();
    expect(await changes()).toBe(1);
    held.open();
    await runA;
    expect(settledA).toEqual([expect.objectContaining({ outcome: 'superseded', error: 'leaseLost' })]);
    expect(await changes()).toBe(1);
    expect((await listJobs(getDb()))[0]).toMatchObject({ status: 'done', attempts: 2, effectAttempt: 2 });
    await Promise.all([a.stop(), b.stop()]);
  });

  it('a run that timed out and was handed back writes nothing when its handler wakes; the retry makes the change', async () => {
    await enqueueJob(getDb().prisma, { kind: 'inbox.test', payload: {}, runAt: T0, idempotencyKey: 'slow' });
    const held = gate();
    let runs = 0;
    const refused: unknown[] = [];
    const slowFirst = async () => {
      if (++runs === 1) {
        await held.opened;
        await change().catch((e: unknown) => {
          refused.push(e);
          throw e;
        });
        return;
      }
      await change();
    };
    const w = worker('worker-a', () => T0, slowFirst, [], { timeoutMs: 50, backoff: () => 0 });
    await w.drain();
    expect(runs).toBe(2);
    expect(await changes()).toBe(1);
    held.open();
    await waitFor(() => refused.length === 1, { what: 'the timed-out run’s write refused' });
    expect(refused[0]).toBeInstanceOf(FencedOut);
    expect(await changes()).toBe(1);
    await w.stop();
  });

  it('fences nothing outside a fenced worker: another worker’s job, started from an inbox run’s timer while it runs, is not counted as the inbox row’s change', async () => {
    await enqueueJob(getDb().prisma, { kind: 'inbox.test', payload: {}, runAt: T0, idempotencyKey: 'inbox' });
    await enqueueJob(getDb().prisma, { kind: 'notice', payload: {}, runAt: T0, idempotencyKey: 'notice' });
    const plain = startWorker({ db: getDb(), owner: 'jobs', handlers: { notice: change }, clock: () => T0, logger: quiet, autoStart: false });
    // The inbox run wakes the other worker from inside its own async context (as jobsCommitted does) and waits for it.
    const inbox = worker('inbox', () => T0, () => new Promise((resolve, reject) => setTimeout(() => plain.drain().then(resolve, reject), 20)), []);
    await inbox.drain();
    expect(await changes()).toBe(1);
    const jobs = await listJobs(getDb());
    expect(jobs.map((j) => [j.idempotencyKey, j.status, j.effectAttempt]).sort()).toEqual([
      ['inbox', 'done', null],
      ['notice', 'done', null],
    ]);
    await Promise.all([inbox.stop(), plain.stop()]);
  });
});
