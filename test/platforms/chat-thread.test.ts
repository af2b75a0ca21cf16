// The worker thread that runs the work after an ack (src/platforms/chat-thread.ts), driven
// with a probe entry (test/support/probe-thread.ts): payloads reach it in order, its log
// lines land in the main thread's log (scrubbed), its counters in the main thread's
// /metrics, its clock follows the main thread's, its org follows the main thread's
// reloads, idle() waits for its work, a crash restarts it, a thread that cannot start
// says why, and stop() ends it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Settings } from '../../src/config/env.ts';
import { OrgStore } from '../../src/config/org-file.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { Metrics } from '../../src/observability/metrics.ts';
import { startChatThread, type ChatThread } from '../../src/platforms/chat-thread.ts';
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
  lost?: number;
  scheduling?: { nice: number; policy: number };
}

// Each test boots a thread through tsx: generous limits for a loaded CI machine.
describe('the chat worker thread', { timeout: 30_000 }, () => {
  let dir: string;
  let orgFile: string;
  let lines: Line[];
  let raw: string;
  let threads: ChatThread[];
  let now: Date | undefined;

  const host = (settings: Partial<Settings> = {}) => {
    const org = new OrgStore(orgFile, { info: () => undefined, error: () => undefined });
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        raw += chunk.toString('utf8');
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Line);
        done();
      },
    });
    const metrics = new Metrics(async () => ({ pending: 0, running: 0, dead: 0, oldestDueLagMs: 0 }));
    return {
      org,
      metrics,
      start: async () => {
        const thread = await startChatThread({
          name: 'probe',
          entry: PROBE_ENTRY,
          host: { settings: { databaseUrl: `file:${join(dir, 'kehu.db')}`, port: 0, orgFile, logLevel: 'info', ...settings }, org },
          deps: { logger: createLogger('info', sink), metrics, clock: () => now ?? new Date() },
        });
        threads.push(thread);
        return thread;
      },
    };
  };
  const handled = (tag: string) => lines.find((l) => l.msg === 'probe handled' && l.tag === tag);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kehu-thread-'));
    orgFile = join(dir, 'org.yaml');
    writeFileSync(orgFile, ORG);
    lines = [];
    raw = '';
    threads = [];
    now = undefined;
  });
  afterEach(async () => {
    for (const t of threads) await t.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('handles every payload posted; idle() waits for them; its log lines reach the main log, scrubbed', async () => {
    const thread = await host().start();
    thread.post({ op: 'note', tag: 'slow', delayMs: 150 });
    thread.post({ op: 'note', tag: 'fast' });
    await thread.idle();
    expect(handled('slow')).toBeDefined();
    expect(handled('fast')).toBeDefined();
    expect(handled('fast')!.thread).toBe('probe');
    expect(handled('fast')!.note).toBe('call [phone]');
    expect(raw).not.toContain('13812345678');
  });

  it.runIf(process.platform === 'linux')('runs at the lowest priority (SCHED_IDLE, nice 19): acks on the main thread go first', async () => {
    const thread = await host().start();
    thread.post({ op: 'note', tag: 'sched' });
    await thread.idle();
    const SCHED_IDLE = 5;
    expect(handled('sched')!.scheduling).toEqual({ nice: 19, policy: SCHED_IDLE });
  });

  it("follows the main thread's clock, even a test's", async () => {
    const thread = await host().start();
    now = new Date('2031-03-04T05:06:07.000Z');
    thread.post({ op: 'note', tag: 'clock' });
    await thread.idle();
    expect(Date.parse(handled('clock')!.now!) - now.getTime()).toBeGreaterThanOrEqual(0);
    expect(Date.parse(handled('clock')!.now!) - now.getTime()).toBeLessThan(60_000);
  });

  it("reloads its org when the main thread's org reloads", async () => {
    const h = host();
    const thread = await h.start();
    thread.post({ op: 'note', tag: 'before' });
    await thread.idle();
    expect(handled('before')!.people).toBe(1);
    writeFileSync(orgFile, `${ORG}  - { id: b, name: B, email: b@probe.test, department: s }\n`);
    expect(h.org.reload()).toBe(true);
    thread.post({ op: 'note', tag: 'after' });
    await thread.idle();
    expect(handled('after')!.people).toBe(2);
  });

  it('keeps the org the main thread took, even when the file on disk holds a refused edit and the thread restarts', async () => {
    const h = host();
    const thread = await h.start();
    writeFileSync(orgFile, 'company: [broken');
    expect(h.org.reload()).toBe(false);
    thread.post({ op: 'crash' });
    await waitFor(() => lines.some((l) => l.msg === 'worker thread exited; starting it again'), { what: 'the restart notice' });
    thread.post({ op: 'note', tag: 'restarted' });
    await waitFor(() => handled('restarted'), { what: 'the payload posted after the crash', timeoutMs: 15_000 });
    expect(handled('restarted')!.people).toBe(1);
  });

  it("adds its counters to the main thread's /metrics", async () => {
    const h = host();
    const thread = await h.start();
    h.metrics.acks.inc({ platform: 'slack', kind: 'probe' });
    thread.post({ op: 'note', tag: 'm1' });
    thread.post({ op: 'note', tag: 'm2' });
    await thread.idle();
    const { body } = await h.metrics.exposition();
    expect(body).toMatch(/^kehu_acks_total\{platform="slack",kind="probe"\} 3$/m);
    // The main thread's own process metrics stay.
    expect(body).toMatch(/^kehu_process_start_time_seconds \d+/m);
  });

  it('starts again after a crash, and goes on handling', async () => {
    const thread = await host().start();
    thread.post({ op: 'crash' });
    await waitFor(() => lines.some((l) => l.msg === 'worker thread exited; starting it again'), { what: 'the restart notice' });
    expect(lines.some((l) => l.msg === 'worker thread failed' && l.level === 'error')).toBe(true);
    thread.post({ op: 'note', tag: 'after-crash' });
    await waitFor(() => handled('after-crash'), { what: 'the payload posted after the crash', timeoutMs: 15_000 });
  });

  it('stopped while down after a crash: says what was not handled, and starts no thread', async () => {
    const thread = await host().start();
    thread.post({ op: 'crash' });
    await waitFor(() => lines.some((l) => l.msg === 'worker thread exited; starting it again'), { what: 'the restart notice' });
    thread.post({ op: 'note', tag: 'never' });
    await thread.stop();
    expect(lines.find((l) => l.msg === 'stopped while the worker thread was down: acked requests not handled')).toMatchObject({ lost: 1 });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(handled('never')).toBeUndefined();
  });

  it('that cannot start says why, and is not started again', async () => {
    const h = host({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none' });
    await expect(h.start()).rejects.toThrow(/the probe thread could not start: cannot open the postgresql database/);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(lines.some((l) => l.msg?.includes('starting it again'))).toBe(false);
  });

  it('stop() finishes what was posted, then ends the thread', async () => {
    const thread = await host().start();
    thread.post({ op: 'note', tag: 'last', delayMs: 100 });
    await thread.stop();
    expect(handled('last')).toBeDefined();
    await thread.stop(); // a second stop is a no-op
  });
});
