// The work thread that runs the back office (src/platforms/chat-thread.ts), driven with a
// probe entry (test/support/probe-thread.ts) on a real SQLite file: rows written to the
// queue are run when it is woken; idle() waits for them; its log lines land in the main
// thread's log (scrubbed), its job outcomes and queue samples in the main thread's
// /metrics; its clock follows the main thread's; it re-reads the org when told (SIGHUP);
// answer() brings a handler's answer back within a bound; a crash restarts the thread and
// the row it was running goes back to the queue; a thread that cannot start says why;
// stop() lets running rows finish.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Settings } from '../../src/config/env.ts';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { enqueueJob, listJobs } from '../../src/db/repositories/job.repository.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { Metrics } from '../../src/observability/metrics.ts';
import { startWorkThread, type WorkThread } from '../../src/platforms/chat-thread.ts';
import { freshSqliteFile } from '../support/db-templates.ts';
import type { Probe } from '../support/probe-thread.ts';
import { waitFor } from '../support/wait-for.ts';

const PROBE_ENTRY = new URL('../support/probe-thread.ts', import.meta.url);

const ORG = `company: Probe
timezone: Asia/Shanghai
departments:
  - { id: s, name: Sales, kind: sales }
people:
  - { id: a, name: A, email: a@probe.test, department: s }
`;

interface Line {
  msg?: string;
  thread?: string;
  tag?: string;
  now?: string;
  people?: number;
  note?: string;
  level?: string;
  attempt?: number;
  taken?: boolean;
  handedBack?: number;
  scheduling?: { nice: number; policy: number };
}

// Each test boots a thread through tsx: generous limits for a loaded CI machine.
describe('the work thread', { timeout: 30_000 }, () => {
  let dir: string;
  let orgFile: string;
  let lines: Line[];
  let raw: string;
  let threads: WorkThread[];
  let now: Date | undefined;
  let db: Database;
  let databaseUrl: string;

  const host = (settings: Partial<Settings> = {}) => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        raw += chunk.toString('utf8');
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Line);
        done();
      },
    });
    const metrics = new Metrics({ process: true });
    return {
      metrics,
      start: async () => {
        const thread = await startWorkThread({
          entry: PROBE_ENTRY,
          settings: { databaseUrl, port: 0, orgFile, logLevel: 'info', ...settings },
          logger: createLogger('info', sink),
          logTo: sink,
          metrics,
          clock: () => now ?? new Date(),
          restartDelayMs: 50,
          worker: { pollMs: 25 },
        });
        threads.push(thread);
        return thread;
      },
    };
  };
  let seq = 0;
  /** Writes a probe row as a front end writes an inbox row; `due` false = only answer() runs it. */
  const post = async (thread: WorkThread, p: Probe, due = true) => {
    const id = `probe-${seq++}`;
    await enqueueJob(db.prisma, { id, kind: 'probe', payload: p, runAt: due ? new Date(0) : new Date(Date.now() + 60_000), idempotencyKey: id });
    thread.wake();
    return id;
  };
  const handled = (tag: string) => lines.find((l) => l.msg === 'probe handled' && l.tag === tag);

  beforeEach(async () => {
    // A copy of the run's migrated database: the thread's start finds nothing to migrate.
    ({ dir, url: databaseUrl } = freshSqliteFile('kehu-thread-'));
    orgFile = join(dir, 'org.yaml');
    writeFileSync(orgFile, ORG);
    db = await openDatabase(databaseUrl, { migrate: true });
    lines = [];
    raw = '';
    threads = [];
    now = undefined;
  });
  afterEach(async () => {
    for (const t of threads) await t.stop();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs every row it is woken for; idle() waits for them; its log lines reach the main log, scrubbed', async () => {
    const thread = await host().start();
    await post(thread, { op: 'note', tag: 'slow', delayMs: 150 });
    await post(thread, { op: 'note', tag: 'fast' });
    await thread.idle();
    expect(handled('slow')).toBeDefined();
    expect(handled('fast')).toBeDefined();
    expect(handled('fast')!.thread).toBe('work');
    expect(handled('fast')!.note).toBe('call [phone]');
    expect(raw).not.toContain('13812345678');
    expect((await listJobs(db, { kind: 'probe' })).map((j) => j.status)).toEqual(['done', 'done']);
  });

  it.runIf(process.platform === 'linux')('runs at nice 19: acks on the main thread go first', async () => {
    const thread = await host().start();
    await post(thread, { op: 'note', tag: 'sched' });
    await thread.idle();
    expect(handled('sched')!.scheduling?.nice).toBe(19);
  });

  it("follows the main thread's clock, even a test's", async () => {
    now = new Date('2031-03-04T05:06:07.000Z');
    const thread = await host().start();
    await post(thread, { op: 'note', tag: 'clock' });
    await thread.idle();
    expect(Date.parse(handled('clock')!.now!) - now.getTime()).toBeGreaterThanOrEqual(0);
    expect(Date.parse(handled('clock')!.now!) - now.getTime()).toBeLessThan(60_000);
  });

  it('re-reads the org file when told (SIGHUP), and keeps its org when the edit is invalid', async () => {
    const h = host();
    const thread = await h.start();
    await post(thread, { op: 'note', tag: 'before' });
    await thread.idle();
    expect(handled('before')!.people).toBe(1);
    writeFileSync(orgFile, 'company: [broken');
    thread.reloadOrg();
    await thread.idle(); // messages arrive in order: the reload was tried
    expect(lines.some((l) => l.msg === 'org file edit refused; keeping the running org')).toBe(true);
    await post(thread, { op: 'note', tag: 'refused' });
    await thread.idle();
    expect(handled('refused')!.people).toBe(1);
    writeFileSync(orgFile, `${ORG}  - { id: b, name: B, email: b@probe.test, department: s }\n`);
    thread.reloadOrg();
    await thread.idle();
    await post(thread, { op: 'note', tag: 'after' });
    await thread.idle();
    expect(handled('after')!.people).toBe(2);
  });

  it('a crash restarts the thread, which takes the row it was running back at once and runs it and the rest', async () => {
    const h = host();
    const thread = await h.start();
    await post(thread, { op: 'crash', tag: 'crashed' });
    await waitFor(() => lines.find((l) => l.msg === 'work thread exited; starting it again'), { what: 'the restart notice' });
    await post(thread, { op: 'note', tag: 'after-crash' });
    await waitFor(() => handled('crashed') && handled('after-crash'), { what: 'both rows after the restart', timeoutMs: 15_000 });
    // Handed back by the new thread as it started, not when the 10 s lease ran out.
    expect(lines.find((l) => l.msg === 'rows of a work thread that died are back in the queue')!.handedBack).toBe(1);
    // The second attempt, counted: a row that kills the thread every time ends dead.
    expect(handled('crashed')!.attempt).toBe(2);
    expect(lines.some((l) => l.msg === 'work thread failed' && l.level === 'error')).toBe(true);
  });

  it("reports each row's outcome to the main thread's /metrics", async () => {
    const h = host();
    const thread = await h.start();
    await post(thread, { op: 'note', tag: 'm1' });
    await post(thread, { op: 'note', tag: 'm2' });
    await thread.idle();
    const { body } = await h.metrics.exposition();
    expect(body).toMatch(/^kehu_job_runs_total\{kind="probe",outcome="done",error=""\} 2$/m);
    expect(body).toMatch(/^kehu_process_start_time_seconds \d+/m);
    // The thread samples the queue at start: the gauges are there without a database query of their own.
    expect(body).toMatch(/^kehu_queue_sample_age_seconds \d/m);
  });

  it('answer() runs a row at once and brings its answer back; past the bound it gives up and the handler is told', async () => {
    const thread = await host().start();
    const quick = await post(thread, { op: 'answer', tag: 'quick', body: { toast: 'hi' } }, false);
    expect(await thread.answer(quick, 2_000)).toEqual({ toast: 'hi' });
    const slow = await post(thread, { op: 'answer', tag: 'slow', body: { toast: 'late' }, delayMs: 800 }, false);
    const started = Date.now();
    expect(await thread.answer(slow, 500)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(700);
    await waitFor(() => handled('slow'), { what: 'the slow row' });
    expect(handled('quick')!.taken).toBe(true);
    expect(handled('slow')!.taken).toBe(false);
    // "handled" is logged before the worker records the row as done.
    await waitFor(async () => (await listJobs(db, { kind: 'probe', status: 'done' })).length === 2, { what: 'both rows done' });
  });

  it('that cannot start says why, and is not started again', async () => {
    const h = host({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none' });
    await expect(h.start()).rejects.toThrow(/the work thread could not start: .*ECONNREFUSED/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(lines.some((l) => l.msg?.includes('starting it again'))).toBe(false);
  });

  it('stop() lets the rows it runs finish, then ends the thread', async () => {
    const thread = await host().start();
    await post(thread, { op: 'note', tag: 'last', delayMs: 200 });
    await waitFor(async () => (await listJobs(db, { kind: 'probe', status: 'running' })).length === 1, { what: 'the row to start' });
    await thread.stop();
    expect(handled('last')).toBeDefined();
    expect((await listJobs(db, { kind: 'probe' }))[0]!.status).toBe('done');
    await thread.stop(); // a second stop is a no-op
  });
});
