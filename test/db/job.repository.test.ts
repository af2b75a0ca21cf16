// The job queue table on both databases: outbox enqueue, leases, ownership, statistics.
import { beforeEach, expect, it } from 'vitest';
import {
  buryExhaustedLeases,
  claimDueJobs,
  completeJob,
  enqueueJob,
  failJob,
  listJobs,
  queueStats,
  releaseLeases,
  reviveDeadJob,
} from '../../src/db/repositories/job.repository.ts';
import { describeEachDatabase } from './databases.ts';

const T0 = new Date('2026-11-30T01:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describeEachDatabase('job repository', (getDb, provider) => {
  beforeEach(async () => {
    await getDb().prisma.job.deleteMany();
  });

  const job = (key: string, runAt = T0, extra: { maxAttempts?: number; kind?: string } = {}) => ({
    kind: extra.kind ?? 'test.kind',
    payload: { key, text: '你好' },
    runAt,
    idempotencyKey: key,
    maxAttempts: extra.maxAttempts,
  });

  it('enqueues once per idempotency key; the duplicate is a no-op, not an error', async () => {
    const db = getDb();
    expect(await enqueueJob(db.prisma, job('k1'))).toBe(true);
    expect(await enqueueJob(db.prisma, job('k1', at(5000)))).toBe(false);
    const rows = await listJobs(db);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'pending', attempts: 0, maxAttempts: 8, idempotencyKey: 'k1' });
    expect(rows[0]?.runAt.toISOString()).toBe(T0.toISOString());
    expect(JSON.parse(rows[0]?.payload ?? '')).toEqual({ key: 'k1', text: '你好' });
  });

  it('a duplicate inside a transaction does not abort it (PostgreSQL would on a unique violation)', async () => {
    const db = getDb();
    await enqueueJob(db.prisma, job('dup'));
    const result = await db.prisma.$transaction(async (tx) => {
      const again = await enqueueJob(tx, job('dup'));
      const other = await enqueueJob(tx, job('after-dup'));
      return { again, other, count: await tx.job.count() };
    });
    expect(result).toEqual({ again: false, other: true, count: 2 });
    expect(await db.prisma.job.count()).toBe(2);
  });

  it('a job enqueued in a transaction that rolls back is gone with it', async () => {
    const db = getDb();
    await expect(
      db.prisma.$transaction(async (tx) => {
        await enqueueJob(tx, job('rolled-back'));
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    expect(await listJobs(db, { idempotencyKey: 'rolled-back' })).toEqual([]);
  });

  it('leases due jobs only, once, to one owner, counting the attempt', async () => {
    const db = getDb();
    await enqueueJob(db.prisma, job('a', at(-2000)));
    await enqueueJob(db.prisma, job('b', at(-1000)));
    await enqueueJob(db.prisma, job('c', T0));
    await enqueueJob(db.prisma, job('future', at(60_000)));

    const first = await claimDueJobs(db, { owner: 'w1', now: T0, leaseMs: 30_000, limit: 2 });
    expect(first.map((j) => j.idempotencyKey).sort()).toEqual(['a', 'b']);
    expect(first[0]).toMatchObject({ kind: 'test.kind', attempts: 1, maxAttempts: 8 });
    const second = await claimDueJobs(db, { owner: 'w2', now: T0, leaseMs: 30_000, limit: 10 });
    expect(second.map((j) => j.idempotencyKey)).toEqual(['c']);
    expect(await claimDueJobs(db, { owner: 'w3', now: T0, leaseMs: 30_000, limit: 10 })).toEqual([]);

    const running = await listJobs(db, { status: 'running' });
    expect(running.map((j) => [j.idempotencyKey, j.leaseOwner]).sort()).toEqual([
      ['a', 'w1'],
      ['b', 'w1'],
      ['c', 'w2'],
    ]);
    expect(running[0]?.leaseUntil?.toISOString()).toBe(at(30_000).toISOString());
  });

  it('a worker of some kinds claims the earliest due of those kinds, expired leases among them, and nothing else', async () => {
    const db = getDb();
    await enqueueJob(db.prisma, job('other-early', at(-9000), { kind: 'other.kind' }));
    await enqueueJob(db.prisma, job('b-2', at(-2000), { kind: 'b.kind' }));
    await enqueueJob(db.prisma, job('a-3', at(-3000), { kind: 'a.kind' }));
    await enqueueJob(db.prisma, job('a-1', at(-1000), { kind: 'a.kind' }));
    await enqueueJob(db.prisma, job('a-later', at(5000), { kind: 'a.kind' }));
    // Claimed by a worker that died: its lease ran out at -500 (its runAt, -4000, is the earliest).
    await enqueueJob(db.prisma, job('b-expired', at(-4000), { kind: 'b.kind' }));
    await claimDueJobs(db, { owner: 'dead', now: at(-4000), leaseMs: 3500, limit: 1, kinds: ['b.kind'] });
    const kinds = ['a.kind', 'b.kind'];
    const first = await claimDueJobs(db, { owner: 'w', now: T0, leaseMs: 30_000, limit: 3, kinds });
    expect(first.map((j) => j.idempotencyKey)).toEqual(expect.arrayContaining(['b-expired', 'a-3', 'b-2']));
    expect(first).toHaveLength(3);
    expect((await claimDueJobs(db, { owner: 'w', now: T0, leaseMs: 30_000, limit: 10, kinds })).map((j) => j.idempotencyKey)).toEqual(['a-1']);
    expect(await claimDueJobs(db, { owner: 'w', now: T0, leaseMs: 30_000, limit: 10, kinds })).toEqual([]);
    expect((await listJobs(db, { status: 'pending' })).map((j) => j.idempotencyKey).sort()).toEqual(['a-later', 'other-early']);
  });

  it('an expired lease can be claimed again by another worker', async () => {
    const db = getDb();
    await enqueueJob(db.prisma, job('crashy'));
    const [claimed] = await claimDueJobs(db, { owner: 'dead-worker', now: T0, leaseMs: 1000, limit: 1 });
    expect(claimed).toBeDefined();
    expect(await claimDueJobs(db, { owner: 'w2', now: at(999), leaseMs: 1000, limit: 1 })).toEqual([]);
    const [again] = await claimDueJobs(db, { owner: 'w2', now: at(1000), leaseMs: 1000, limit: 1 });
    expect(again).toMatchObject({ id: claimed?.id, attempts: 2 });
    // The first worker wakes up: its lease is gone, its completion must not count.
    expect(await completeJob(db, claimed!.id, 'dead-worker', at(1500))).toBe(false);
    expect(await completeJob(db, claimed!.id, 'w2', at(1500))).toBe(true);
    expect((await listJobs(db))[0]).toMatchObject({ status: 'done', leaseOwner: null });
  });

  it('completeJob and failJob by a worker that does not hold the lease do nothing', async () => {
    const db = getDb();
    await enqueueJob(db.prisma, job('owned'));
    const [claimed] = await claimDueJobs(db, { owner: 'w1', now: T0, leaseMs: 30_000, limit: 1 });
    expect(await completeJob(db, claimed!.id, 'intruder')).toBe(false);
    expect(await failJob(db, claimed!.id, 'intruder', { error: 'x', dead: true })).toBe(false);
    expect((await listJobs(db))[0]).toMatchObject({ status: 'running', leaseOwner: 'w1' });
  });

  it('failJob reschedules or buries, keeping the error visible', async () => {
    const db = getDb();
    await enqueueJob(db.prisma, job('f'));
    const [c1] = await claimDueJobs(db, { owner: 'w', now: T0, leaseMs: 30_000, limit: 1 });
    expect(await failJob(db, c1!.id, 'w', { error: 'boom', retryAt: at(5000) }, T0)).toBe(true);
    expect((await listJobs(db))[0]).toMatchObject({ status: 'pending', attempts: 1, lastError: 'boom', leaseOwner: null });
    expect(await claimDueJobs(db, { owner: 'w', now: at(4999), leaseMs: 30_000, limit: 1 })).toEqual([]);
    const [c2] = await claimDueJobs(db, { owner: 'w', now: at(5000), leaseMs: 30_000, limit: 1 });
    expect(await failJob(db, c2!.id, 'w', { error: 'boom again', dead: true }, at(5000))).toBe(true);
    const [dead] = await listJobs(db, { status: 'dead' });
    expect(dead).toMatchObject({ attempts: 2, lastError: 'boom again' });
    expect(dead?.doneAt?.toISOString()).toBe(at(5000).toISOString());
    // Dead jobs stay dead until someone revives them.
    expect(await claimDueJobs(db, { owner: 'w', now: at(99_999), leaseMs: 30_000, limit: 1 })).toEqual([]);
    expect(await reviveDeadJob(db, dead!.id, at(6000))).toBe(true);
    expect((await listJobs(db))[0]).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('a lease that expires on the last allowed attempt makes the job dead, not run again', async () => {
    const db = getDb();
    await enqueueJob(db.prisma, job('last', T0, { maxAttempts: 1 }));
    await claimDueJobs(db, { owner: 'crashed', now: T0, leaseMs: 1000, limit: 1 });
    expect(await claimDueJobs(db, { owner: 'w2', now: at(2000), leaseMs: 1000, limit: 1 })).toEqual([]);
    expect(await buryExhaustedLeases(db, at(999))).toBe(0);
    expect(await buryExhaustedLeases(db, at(2000))).toBe(1);
    expect((await listJobs(db))[0]).toMatchObject({ status: 'dead', attempts: 1 });
    expect((await listJobs(db))[0]?.lastError).toMatch(/lease expired/);
  });

  it('releaseLeases hands unstarted jobs back without counting the attempt', async () => {
    const db = getDb();
    await enqueueJob(db.prisma, job('r1'));
    await enqueueJob(db.prisma, job('r2'));
    await claimDueJobs(db, { owner: 'stopping', now: T0, leaseMs: 30_000, limit: 10 });
    expect(await releaseLeases(db, 'stopping')).toBe(2);
    const rows = await listJobs(db);
    expect(rows.map((r) => [r.status, r.attempts, r.leaseOwner])).toEqual([
      ['pending', 0, null],
      ['pending', 0, null],
    ]);
  });

  it('queueStats counts by status and measures how late the oldest due job is', async () => {
    const db = getDb();
    expect(await queueStats(db, T0)).toEqual({ pending: 0, running: 0, dead: 0, oldestDueLagMs: 0, inbox: 0, inboxOldestMs: 0 });
    await enqueueJob(db.prisma, job('late', at(-7000)));
    await enqueueJob(db.prisma, job('later', at(-3000)));
    await enqueueJob(db.prisma, job('not-yet', at(5000)));
    await enqueueJob(db.prisma, job('run', at(-1)));
    await enqueueJob(db.prisma, job('bury', at(-1)));
    const leased = await claimDueJobs(db, { owner: 'w', now: at(-1), leaseMs: 30_000, limit: 2 });
    // ORDER BY runAt: 'late' and 'later' are leased; bury one of them.
    expect(leased.map((j) => j.idempotencyKey).sort()).toEqual(['late', 'later']);
    await failJob(db, leased[0]!.id, 'w', { error: 'x', dead: true });
    expect(await queueStats(db, T0)).toMatchObject({ pending: 3, running: 1, dead: 1, oldestDueLagMs: 1, inbox: 0 });
  });

  it(`stores DateTime so raw comparisons agree with Prisma's (${provider})`, async () => {
    const db = getDb();
    // Millisecond neighbours on both sides of "now" must compare correctly in raw SQL.
    await enqueueJob(db.prisma, job('ms-before', at(-1)));
    await enqueueJob(db.prisma, job('ms-after', at(1)));
    const claimed = await claimDueJobs(db, { owner: 'w', now: T0, leaseMs: 1, limit: 10 });
    expect(claimed.map((j) => j.idempotencyKey)).toEqual(['ms-before']);
    expect(await db.prisma.job.count({ where: { runAt: { lte: T0 } } })).toBe(1);
  });
});
