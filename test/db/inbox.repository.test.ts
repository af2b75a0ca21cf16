// The ack path's insert (db/repositories/inbox.repository.ts) writes rows the job queue
// reads like its own: leased when due (its timestamps compare with the worker's), not
// before; a repeated idempotency key is refused without an error, also within one group
// commit; rows that arrive together are all written, and each caller learns its own
// outcome. On both databases.
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { openInboxWriter, type InboxWriter } from '../../src/db/repositories/inbox.repository.ts';
import { claimDueJobs, listJobs } from '../../src/db/repositories/job.repository.ts';
import { describeEachDatabase } from './databases.ts';

describeEachDatabase('inbox writer', (getDb) => {
  let writer: InboxWriter;
  beforeAll(() => {
    writer = openInboxWriter(getDb().url);
  });
  afterAll(async () => {
    await writer.close();
  });
  beforeEach(async () => {
    await getDb().prisma.job.deleteMany();
  });
  const row = (key: string, runAt: Date) => ({ id: `id-${key}`, kind: 'inbox.slack', payload: JSON.stringify({ key, 名: '华为' }), idempotencyKey: key, runAt, maxAttempts: 8 });

  it('writes a row the worker leases when it is due, and not a moment before', async () => {
    const due = new Date('2026-12-01T08:00:00.000Z');
    expect(await writer.insert(row('k1', due))).toBe(true);
    expect(await claimDueJobs(getDb(), { owner: 'w', now: new Date(due.getTime() - 1), leaseMs: 1000, limit: 10 })).toEqual([]);
    const [claimed] = await claimDueJobs(getDb(), { owner: 'w', now: due, leaseMs: 1000, limit: 10 });
    expect(claimed).toMatchObject({ id: 'id-k1', kind: 'inbox.slack', idempotencyKey: 'k1', attempts: 1, maxAttempts: 8 });
    expect(JSON.parse(claimed!.payload)).toEqual({ key: 'k1', 名: '华为' });
    const [job] = await listJobs(getDb());
    expect(job!.runAt.toISOString()).toBe(due.toISOString());
  });

  it('refuses a repeated delivery id without an error', async () => {
    const now = new Date();
    expect(await writer.insert(row('k2', now))).toBe(true);
    expect(await writer.insert({ ...row('k2', now), id: 'another' })).toBe(false);
    expect((await listJobs(getDb())).map((j) => j.id)).toEqual(['id-k2']);
  });

  it('writes every row of a burst (one group commit on SQLite), each caller told its own outcome', async () => {
    const now = new Date();
    const keys = Array.from({ length: 50 }, (_, i) => `burst-${i}`);
    // Fifty acks in one turn of the event loop, a retry of one of them among them.
    const fresh = await Promise.all([...keys.map((k) => writer.insert(row(k, now))), writer.insert({ ...row('burst-7', now), id: 'retry-of-7' })]);
    expect(fresh).toEqual([...keys.map(() => true), false]);
    const ids = (await listJobs(getDb())).map((j) => j.id).sort();
    expect(ids).toEqual(keys.map((k) => `id-${k}`).sort());
  });

  it('heartbeat writes one row per replica, updated in place', async () => {
    await writer.heartbeat('host:1', new Date('2026-12-01T08:00:00.000Z'));
    await writer.heartbeat('host:1', new Date('2026-12-01T08:00:05.000Z'));
    const beats = await getDb().prisma.heartbeat.findMany({ where: { id: 'host:1' } });
    expect(beats.map((b) => b.beatAt.toISOString())).toEqual(['2026-12-01T08:00:05.000Z']);
  });
});
