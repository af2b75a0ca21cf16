// A worker thread for the work that follows an ack. Slack and Lark judge a bot by how fast
// it answers their HTTP request; the answer itself (identity, the command, the database,
// the reply POST) can take a millisecond of CPU or more. Run on the thread that accepts
// requests, that work would stand in front of the next request's ack. So the main thread
// only verifies and acks, and posts the payload here; the thread has its own database
// connection, its own copy of the org (the main thread's accepted text, sent again on each
// reload), its own counters (added to the main thread's /metrics) and sends its log lines
// to the main thread's log.
//
// Main thread:   const thread = await startChatThread({ name: 'chat', entry, host: { settings, org }, deps });
//                thread.post(payload);
// Worker thread: await runChatThread(async (deps, settings) => ({ handle, idle }));
import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { Settings } from '../config/env.ts';
import { EXAMPLE_ORG_FILE, parseOrgText, type OrgStore } from '../config/org-file.ts';
import { openDatabase } from '../db/client.ts';
import { createLogger, writeLogLine } from '../observability/logger.ts';
import { Metrics, type MetricsJson } from '../observability/metrics.ts';
import { createServices, type FrontEndDeps } from './front-end.ts';

/** Main thread → worker thread. */
type ToThread =
  | { kind: 'event'; payload: unknown; clockOffsetMs: number }
  | { kind: 'org'; text: string }
  | { kind: 'idle'; id: number }
  | { kind: 'metrics'; id: number }
  | { kind: 'stop' };
type EventMessage = Extract<ToThread, { kind: 'event' }>;

/** Worker thread → main thread. */
type FromThread =
  | { kind: 'ready' }
  | { kind: 'failed'; message: string }
  | { kind: 'log'; line: string }
  | { kind: 'idle'; id: number }
  | { kind: 'metrics'; id: number; json: MetricsJson };

interface ThreadData {
  name: string;
  entry: string;
  /** tsx's loader API, resolved from this module (not from the working directory). */
  tsx: string;
  settings: Settings;
  orgText: string;
  /** [0]: events the thread has taken off its port (shared memory, counted by the thread). */
  received: BigInt64Array;
}

// Worker threads start as plain JavaScript, without the loader hooks of the main thread
// (Node 20 does not pass them on): the TypeScript entry is loaded through tsx's API.
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
(async () => {
  (await import(workerData.tsx)).register();
  await import(workerData.entry);
})().catch((e) => { process.nextTick(() => { throw e; }); });
`;
const TSX_API = import.meta.resolve('tsx/esm/api');

/** What a thread is started from: the settings it rebuilds its own services from, the org it follows. */
export interface ChatThreadHost {
  settings: Settings;
  org: OrgStore;
}

export interface ChatThread {
  /** Hands a payload to the thread's handler (in order, never awaited). */
  post(payload: unknown): void;
  /** Resolves when the thread has finished everything posted so far. */
  idle(): Promise<void>;
  /** Finishes what was posted, closes the thread's database and ends the thread. */
  stop(): Promise<void>;
}

/** A thread that dies is started again after this long (a crash loop stays slow). */
const RESTART_DELAY_MS = 1000;
const STOP_TIMEOUT_MS = 15_000;
/** A scrape of /metrics does not wait longer than this for the thread's counters. */
const METRICS_TIMEOUT_MS = 2000;
/** Payloads kept for a thread being started again; beyond this the oldest are dropped. */
const MAX_BACKLOG = 10_000;

/** Starts the thread and resolves once it is ready (database open, org loaded). */
export async function startChatThread(o: {
  name: string;
  /** The thread's module: it calls runChatThread. */
  entry: URL;
  host: ChatThreadHost;
  deps: Pick<FrontEndDeps, 'logger' | 'metrics'> & { clock: () => Date };
}): Promise<ChatThread> {
  const { host, deps } = o;
  const log = deps.logger.child({ thread: o.name });
  const waiting = new Map<number, (message: FromThread | undefined) => void>();
  let nextId = 0;
  let stopping: Promise<void> | undefined;
  /** Every thread not yet exited: the running one, one being started. */
  const threads = new Set<Worker>();
  /** The running thread, with the events posted to it that it has not yet taken. */
  let live: { worker: Worker; received: BigInt64Array; untaken: EventMessage[]; taken: number } | undefined;
  /** What was posted while no thread was running: handed to the next one. */
  const backlog: ToThread[] = [];
  let droppedWhileDown = 0;

  const spawn = () =>
    new Promise<void>((resolve, reject) => {
      const received = new BigInt64Array(new SharedArrayBuffer(8));
      const data: ThreadData = { name: o.name, entry: o.entry.href, tsx: TSX_API, settings: host.settings, orgText: host.org.source(), received };
      const w = new Worker(BOOTSTRAP, { eval: true, workerData: data, name: `kehu-${o.name}` });
      threads.add(w);
      w.on('message', (m: FromThread) => {
        if (m.kind === 'log') writeLogLine(deps.logger, m.line);
        else if (m.kind === 'ready') {
          if (stopping) return void w.terminate();
          live = { worker: w, received, untaken: [], taken: 0 };
          if (droppedWhileDown > 0) log.error({ dropped: droppedWhileDown }, 'worker thread was down too long: oldest requests dropped');
          droppedWhileDown = 0;
          for (const queued of backlog.splice(0)) send(queued);
          resolve();
        } else if (m.kind === 'failed') reject(new Error(`the ${o.name} thread could not start: ${m.message}`));
        else {
          waiting.get(m.id)?.(m);
          waiting.delete(m.id);
        }
      });
      w.on('error', (e) => log.error({ err: e }, 'worker thread failed'));
      w.on('exit', (code) => {
        threads.delete(w);
        reject(new Error(`the ${o.name} thread exited (${code}) before it was ready`));
        if (live?.worker !== w) return; // never ready: its start or restart says why
        // Events it never took off its port were never started: the next thread gets them.
        // What it had taken is lost (acked, unanswered); whoever waits on it gets an empty
        // answer rather than none.
        const untaken = untakenBy(live);
        live = undefined;
        backlog.unshift(...untaken);
        for (const done of waiting.values()) done(undefined);
        waiting.clear();
        if (stopping) return;
        log.error({ code, handedOn: untaken.length }, 'worker thread exited; starting it again');
        restart();
      });
    });
  const restart = (): void =>
    void setTimeout(() => {
      if (stopping) return;
      spawn().catch((e: unknown) => {
        log.error({ err: e }, 'worker thread restart failed; trying again');
        restart();
      });
    }, RESTART_DELAY_MS).unref();

  const send = (m: ToThread) => {
    if (!live) {
      // Past the cap the oldest request goes (its response_url is soon stale anyway);
      // questions (idle, metrics) stay, someone waits on each.
      if (backlog.push(m) > MAX_BACKLOG) {
        const oldest = backlog.findIndex((q) => q.kind === 'event');
        if (oldest >= 0) backlog.splice(oldest, 1);
        droppedWhileDown++;
      }
      return;
    }
    if (m.kind === 'event' && live.untaken.push(m) > 256) untakenBy(live);
    live.worker.postMessage(m);
  };
  const ask = (kind: 'idle' | 'metrics', timeoutMs?: number) =>
    new Promise<FromThread | undefined>((resolve) => {
      const id = nextId++;
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => (waiting.delete(id), resolve(undefined)), timeoutMs);
      waiting.set(id, (m) => (clearTimeout(timer), resolve(m)));
      send({ kind, id });
    });

  await spawn();
  const unsubscribe = host.org.onReload(() => send({ kind: 'org', text: host.org.source() }));
  const removeSource = deps.metrics.addSource(async () => {
    // A scrape does not wait for a thread being started again, nor for a busy one.
    if (!live) return [];
    const m = await ask('metrics', METRICS_TIMEOUT_MS);
    return m?.kind === 'metrics' ? m.json : [];
  });

  const stop = async () => {
    unsubscribe();
    removeSource();
    if (!live) {
      const lost = backlog.filter((m) => m.kind === 'event').length;
      if (lost > 0) log.error({ lost }, 'stopped while the worker thread was down: acked requests not handled');
      for (const done of waiting.values()) done(undefined);
    }
    const exits = [...threads].map((w) => new Promise<void>((resolve) => w.once('exit', () => resolve())));
    for (const w of threads) {
      if (w === live?.worker) w.postMessage({ kind: 'stop' } satisfies ToThread);
      else void w.terminate(); // still starting: it has nothing of ours yet
    }
    const timer = setTimeout(() => {
      log.warn('worker thread did not stop in time; terminating it');
      for (const w of threads) void w.terminate();
    }, STOP_TIMEOUT_MS);
    await Promise.all(exits);
    clearTimeout(timer);
  };

  return {
    // The thread's clock follows the main thread's (tests may set one): the offset travels
    // with every payload.
    post: (payload) => send({ kind: 'event', payload, clockOffsetMs: deps.clock().getTime() - Date.now() }),
    idle: async () => void (await ask('idle')),
    stop: () => (stopping ??= stop()),
  };
}

/** The events posted to a thread that it has not taken yet (and forgets the ones it has). */
function untakenBy(t: { received: BigInt64Array; untaken: EventMessage[]; taken: number }): EventMessage[] {
  const taken = Number(Atomics.load(t.received, 0));
  t.untaken.splice(0, taken - t.taken);
  t.taken = taken;
  return t.untaken;
}

/** What a thread's entry gives back: how to handle one payload, and how to know it is done. */
export interface ThreadHandler {
  handle(payload: unknown): Promise<unknown>;
  idle(): Promise<void>;
}

/** The worker-thread side: builds the front-end dependencies, then serves the main thread. */
export async function runChatThread(setup: (deps: FrontEndDeps, settings: Settings) => Promise<ThreadHandler>): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('runChatThread runs in a worker thread');
  const tell = (m: FromThread) => port.postMessage(m);
  yieldToAcks();
  const { name, settings, orgText, received } = workerData as ThreadData;
  // Lines are serialised and scrubbed here, written by the main thread.
  const logger = createLogger(settings.logLevel, { write: (line: string) => tell({ kind: 'log', line }) }).child({ thread: name });
  let clockOffsetMs = 0;
  const clock = () => new Date(Date.now() + clockOffsetMs);
  try {
    // On PostgreSQL a smaller pool than the main thread's: this thread's work is short.
    const db = await openDatabase(settings.databaseUrl, { poolSize: 5 });
    // The org as the main thread took it: never a later, or refused, edit of the file.
    const orgFile = settings.orgFile ?? EXAMPLE_ORG_FILE;
    let org = parseOrgText(orgText, orgFile);
    const deps: FrontEndDeps = { directory: () => org, services: createServices(db, clock), logger, metrics: new Metrics() };
    const handler = await setup(deps, settings);

    const inFlight = new Set<Promise<unknown>>();
    const idle = async () => {
      // Handling one payload may queue more work; wait until both are empty together.
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      await handler.idle();
      if (inFlight.size > 0) await idle();
    };
    port.on('message', (m: ToThread) => {
      switch (m.kind) {
        case 'event': {
          Atomics.add(received, 0, 1n);
          clockOffsetMs = m.clockOffsetMs;
          const p = handler.handle(m.payload).catch((e: unknown) => logger.error({ err: e }, 'work in the worker thread failed'));
          inFlight.add(p);
          void p.finally(() => inFlight.delete(p));
          return;
        }
        case 'org':
          org = parseOrgText(m.text, orgFile);
          return;
        case 'idle':
          void idle().then(() => tell({ kind: 'idle', id: m.id }));
          return;
        case 'metrics':
          void deps.metrics.json().then((json) => tell({ kind: 'metrics', id: m.id, json }));
          return;
        case 'stop':
          void idle()
            .then(() => db.close())
            .finally(() => process.exit(0));
          return;
      }
    });
    tell({ kind: 'ready' });
  } catch (e) {
    tell({ kind: 'failed', message: e instanceof Error ? e.message : String(e) });
    process.exit(1);
  }
}

/**
 * Puts this thread at the lowest scheduling priority, so that when both want a core the
 * main thread's acks go before this thread's replies; an idle core still runs it at full
 * speed. Linux schedules threads one by one (the id is read from /proc/thread-self):
 * nice 19, then the SCHED_IDLE policy (util-linux `chrt`; Node has no call for it). With
 * SCHED_IDLE a waking ack preempts the thread at once, and the kernel counts a core that
 * runs only this thread as free when it places the main thread: in the ack-latency bench
 * on 2 cores that took kehu's p99 from ~1.3-1.5x bare Bolt's to ~1.1x. Where chrt is
 * missing, nice 19 alone; elsewhere than Linux, the default priority.
 */
function yieldToAcks(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid === process.pid) return;
    setPriority(tid, 19);
    execFileSync('chrt', ['--idle', '-p', '0', String(tid)], { stdio: 'ignore', timeout: 5_000 });
  } catch {
    // Not Linux, no chrt, or not allowed: the same work at a higher priority, never a failure.
  }
}
