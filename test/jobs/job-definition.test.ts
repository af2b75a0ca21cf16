// Job kinds as definitions: the payload is checked with the kind's schema when the job runs,
// and one that fails is a dead job whose error names the kind and what is wrong.
import { beforeEach, expect, it } from 'vitest';
import { z } from 'zod';
import { enqueueJob, listJobs } from '../../src/db/repositories/job.repository.ts';
import { defineJob, enqueue, jobHandlers, parsePayload } from '../../src/jobs/job-definition.ts';
import { JOB_DEFINITIONS } from '../../src/jobs/registry.ts';
import { startWorker } from '../../src/jobs/worker.ts';
import { inboxLarkJob, inboxSlackJob } from '../../src/platforms/inbox.jobs.ts';
import { describeEachDatabase } from '../db/databases.ts';

const T0 = new Date('2026-11-30T01:00:00.000Z');
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

const greetJob = defineJob({
  kind: 'greet',
  schema: z.object({ to: z.string().min(1) }),
  async handler(payload, _job, deps: { greeted: string[] }) {
    deps.greeted.push(payload.to);
  },
});

it('every registered kind is defined once', () => {
  const kinds = JOB_DEFINITIONS.map((d) => d.kind);
  expect(new Set(kinds).size).toBe(kinds.length);
  expect(() => jobHandlers([greetJob, greetJob], { greeted: [] })).toThrow('job kind "greet" is defined twice');
});

it('an inbox row is the shape the front door stores, or dead at once', () => {
  // A Socket Mode retry number that was NaN is stored as null.
  expect(parsePayload(inboxSlackJob, { body: { type: 'x' }, retryNum: null })).toEqual({ body: { type: 'x' }, retryNum: undefined, retryReason: undefined });
  expect(() => parsePayload(inboxSlackJob, { retryNum: 1 })).toThrow(/the payload of a "inbox.slack" job is invalid/);
  expect(() => parsePayload(inboxLarkJob, 'text')).toThrow(/the payload of a "inbox.lark" job is invalid/);
});

describeEachDatabase('job definitions', (getDb) => {
  beforeEach(async () => {
    await getDb().prisma.job.deleteMany();
  });

  it('runs a payload that passes the schema, and buries one that does not with a clear error', async () => {
    const db = getDb();
    await db.prisma.$transaction((tx) => enqueue(tx, greetJob, { payload: { to: 'ann' }, runAt: T0, idempotencyKey: 'good' }));
    // Written by an older version, or by hand: the handler never sees it.
    await enqueueJob(db.prisma, { kind: 'greet', payload: { to: 42 }, runAt: T0, idempotencyKey: 'bad' });
    const greeted: string[] = [];
    const w = startWorker({ db, handlers: jobHandlers([greetJob], { greeted }), clock: () => T0, logger: quiet, autoStart: false });
    await w.drain();
    await w.stop();
    expect(greeted).toEqual(['ann']);
    const jobs = Object.fromEntries((await listJobs(db)).map((j) => [j.idempotencyKey, j]));
    expect(jobs.good).toMatchObject({ status: 'done' });
    expect(jobs.bad).toMatchObject({ status: 'dead', attempts: 1 });
    expect(jobs.bad?.lastError).toMatch(/^PermanentJobError: the payload of a "greet" job is invalid: .*to/s);
  });

  it('a notify.person job with a notice of an unknown type is dead at once', async () => {
    const db = getDb();
    await enqueueJob(db.prisma, { kind: 'notify.person', payload: { personId: 'ann', notice: { type: 'customer.nope' } }, runAt: T0, idempotencyKey: 'n' });
    const deps = { senders: () => [], directory: () => { throw new Error('not reached'); }, customers: undefined as never, extensions: undefined as never, services: undefined as never, outbox: undefined as never, db, clock: () => T0 };
    const w = startWorker({ db, handlers: jobHandlers(JOB_DEFINITIONS, deps), clock: () => T0, logger: quiet, autoStart: false });
    await w.drain();
    await w.stop();
    const [job] = await listJobs(db);
    expect(job).toMatchObject({ status: 'dead', attempts: 1 });
    expect(job?.lastError).toContain('the payload of a "notify.person" job is invalid');
  });
});
