// The SQLite client's connection settings and its transaction discipline: one connection
// shared by a whole process must not mix other statements into an open transaction, and two
// processes on one file must wait for each other instead of failing with SQLITE_BUSY.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { enqueueJob, listJobs } from '../../src/db/repositories/job.repository.ts';
import { sleep } from '../support/wait-for.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';
import { runReadThenWriteTransactions, startWriterChild } from './sqlite-writers.ts';

const T0 = new Date('2026-11-30T01:00:00.000Z');
const job = (key: string) => ({ kind: 'k', payload: null, runAt: T0, idempotencyKey: key });

describe('SQLite client', () => {
  let target: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    target = await createTestDatabase('sqlite');
    db = await target.open();
  });
  afterAll(async () => {
    await db.close();
    await target.cleanup();
  });

  it('runs in WAL mode with foreign keys on, and leaves waiting for locks to kehu (busy_timeout 0)', async () => {
    const pragma = async (name: string) =>
      Object.values((await db.prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(`PRAGMA ${name}`))[0] ?? {})[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(Number(await pragma('foreign_keys'))).toBe(1);
    expect(Number(await pragma('busy_timeout'))).toBe(0);
  });

  /**
   * A second connection (as the main thread and the chat worker thread have) opens a
   * transaction holding the write lock, with job `key` in it, until `release()` is called.
   */
  async function withLockHeld(key: string, body: (held: { release: () => Promise<void> }) => Promise<void>) {
    const other = await target.open();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holding = other.prisma.$transaction(
      async (t) => {
        await enqueueJob(t, job(key)); // BEGIN IMMEDIATE has the write lock; this row proves it
        locked();
        await gate;
      },
      { timeout: 20_000 },
    );
    try {
      await lockTaken;
      await body({
        release: async () => {
          open();
          await holding;
        },
      });
    } finally {
      open();
      await holding.catch(() => undefined);
      await other.close();
    }
  }

  it("a writer waiting for another connection's write lock keeps the event loop turning, then writes", async () => {
    await withLockHeld('holder', async ({ release }) => {
      let written = false;
      const waiting = enqueueJob(db.prisma, job('waiter')).then(() => (written = true));
      // While the lock is held, timers still fire: nothing sleeps on the thread.
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 5);
      await sleep(200);
      clearInterval(ticker);
      expect(written).toBe(false);
      expect(ticks).toBeGreaterThan(10);
      await release();
      await waiting;
    });
    expect((await listJobs(db)).map((j) => j.idempotencyKey)).toEqual(expect.arrayContaining(['holder', 'waiter']));
  });

  it("a transaction waits past Prisma's default maxWait (2 s) for another connection's write lock", async () => {
    await withLockHeld('long-holder', async ({ release }) => {
      // Settled either way at once, so a regression fails here, not as an unhandled rejection.
      const waiting = db.prisma.$transaction(async (t) => enqueueJob(t, job('patient'))).then(
        () => 'committed',
        (e: unknown) => e,
      );
      await sleep(2_500);
      await release();
      expect(await waiting).toBe('committed');
    });
    expect((await listJobs(db)).map((j) => j.idempotencyKey)).toEqual(expect.arrayContaining(['long-holder', 'patient']));
  });

  it('stores DateTime as fixed-width ISO 8601 text in UTC', async () => {
    await enqueueJob(db.prisma, job('iso'));
    const [row] = await db.prisma.$queryRaw<Array<{ kind: string; value: string }>>`
      SELECT typeof("runAt") AS kind, "runAt" || '' AS value FROM "Job" WHERE "idempotencyKey" = 'iso'`;
    expect(row).toEqual({ kind: 'text', value: '2026-11-30T01:00:00.000+00:00' });
  });

  it('a statement outside an open transaction waits for it, and survives its rollback', async () => {
    let outsideDone = false;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const tx = db.prisma
      .$transaction(async (t) => {
        await enqueueJob(t, job('inside'));
        await gate;
        throw new Error('roll back');
      })
      .catch((error: Error) => error.message);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const outside = enqueueJob(db.prisma, job('outside')).then((inserted) => ((outsideDone = true), inserted));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(outsideDone).toBe(false);
    release();
    expect(await tx).toBe('roll back');
    expect(await outside).toBe(true);
    const keys = (await listJobs(db)).map((j) => j.idempotencyKey);
    expect(keys).toContain('outside');
    expect(keys).not.toContain('inside');
  });

  it('two processes running read-then-write transactions at once all commit', async () => {
    // With a deferred BEGIN the side that reads first and writes second fails with SQLITE_BUSY
    // at once; BEGIN IMMEDIATE waits for the lock (kehu's own busy wait). A real second
    // process, as a second replica on the same file would be.
    const child = await startWriterChild(target.url, 20);
    const [, mine] = await Promise.all([child.go(), runReadThenWriteTransactions(db, 'parent', 20)]);
    expect(mine).toEqual({ ok: 20, failed: [] });
    expect(child.output()).toContain('ok 20 failed 0');
    expect(await db.prisma.job.count({ where: { idempotencyKey: { startsWith: 'child-' } } })).toBe(20);
    expect(await db.prisma.job.count({ where: { idempotencyKey: { startsWith: 'parent-' } } })).toBe(20);
    // Generous: a busy CI machine starts the child slowly.
  }, 90_000);
});
