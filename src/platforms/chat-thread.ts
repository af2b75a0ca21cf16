// A worker thread for the work that follows an ack. Slack and Lark judge a bot by how fast
// it answers their HTTP request; the answer itself (identity, the command, the database,
// the reply POST) can take a millisecond of CPU or more. Run on the thread that accepts
// requests, that work would stand in front of the next request's ack. So the main thread
// only verifies and acks, and posts the payload here; the thread has its own database
// connection, its own copy of the org (reloaded when the main thread's reloads), its own
// counters (added to the main thread's /metrics) and sends its log lines to the main
// thread's log.
//
// Main thread:   const thread = await startChatThread({ name: 'slack', entry, host: { settings, org }, deps });
//                thread.post(payload);
// Worker thread: await runChatThread(async (deps, settings) => ({ handle, idle }));
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { Settings } from '../config/env.ts';
import { EXAMPLE_ORG_FILE, OrgStore } from '../config/org-file.ts';
import { openDatabase } from '../db/client.ts';
import { createLogger, writeLogLine } from '../observability/logger.ts';
import { Metrics, type MetricsJson } from '../observability/metrics.ts';
import { createServices, type FrontEndDeps } from './front-end.ts';

/** Main thread → worker thread. */
type ToThread =
  | { kind: 'event'; payload: unknown; clockOffsetMs: number }
  | { kind: 'org-reload' }
  | { kind: 'idle'; id: number }
  | { kind: 'metrics'; id: number }
  | { kind: 'stop' };

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
  settings: Settings;
}

// Worker threads start as plain JavaScript, without the loader hooks of the main thread
// (Node 20 does not pass them on): the TypeScript entry is loaded through tsx's API.
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
(async () => {
  (await import('tsx/esm/api')).register();
  await import(workerData.entry);
})().catch((e) => { process.nextTick(() => { throw e; }); });
`;

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

/** A thread that dies is started again after this long. */
const RESTART_DELAY_MS = 1000;
const STOP_TIMEOUT_MS = 15_000;

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
  const data: ThreadData = { name: o.name, entry: o.entry.href, settings: host.settings };
  const waiting = new Map<number, (message: FromThread | undefined) => void>();
  let nextId = 0;
  let stopping = false;
  /** The running thread; undefined while it is being started (again). */
  let live: Worker | undefined;
  /** What was posted while no thread was running: handed to the next one. */
  const backlog: ToThread[] = [];

  const spawn = () =>
    new Promise<void>((resolve, reject) => {
      const w = new Worker(BOOTSTRAP, { eval: true, workerData: data, name: `kehu-${o.name}` });
      w.on('message', (m: FromThread) => {
        if (m.kind === 'log') writeLogLine(deps.logger, m.line);
        else if (m.kind === 'ready') {
          live = w;
          for (const queued of backlog.splice(0)) w.postMessage(queued);
          resolve();
        } else if (m.kind === 'failed') reject(new Error(`the ${o.name} thread could not start: ${m.message}`));
        else {
          waiting.get(m.id)?.(m);
          waiting.delete(m.id);
        }
      });
      w.on('error', (e) => log.error({ err: e }, 'worker thread failed'));
      w.on('exit', (code) => {
        reject(new Error(`the ${o.name} thread exited (${code}) before it was ready`));
        if (live !== w) return; // never ready: its start() or restart() says why
        live = undefined;
        // What the dead thread had in hand is lost (it was acked); whoever waits on it
        // gets an empty answer rather than none.
        for (const done of waiting.values()) done(undefined);
        waiting.clear();
        if (stopping) return;
        log.error({ code }, 'worker thread exited; starting it again');
        restart();
      });
    });
  // A crash loop stays slow: one attempt a second.
  const restart = (): void =>
    void setTimeout(() => {
      if (stopping) return;
      spawn().catch((e: unknown) => {
        log.error({ err: e }, 'worker thread restart failed; trying again');
        restart();
      });
    }, RESTART_DELAY_MS).unref();

  const send = (m: ToThread) => (live ? live.postMessage(m) : backlog.push(m));
  const ask = (kind: 'idle' | 'metrics') =>
    new Promise<FromThread | undefined>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      send({ kind, id });
    });

  await spawn();
  const unsubscribe = host.org.onReload(() => send({ kind: 'org-reload' }));
  const removeSource = deps.metrics.addSource(async () => {
    // A scrape does not wait for a thread being started again.
    if (!live) return [];
    const m = await ask('metrics');
    return m?.kind === 'metrics' ? m.json : [];
  });

  return {
    // The thread's clock follows the main thread's (tests may set one): the offset travels
    // with every payload.
    post: (payload) => send({ kind: 'event', payload, clockOffsetMs: deps.clock().getTime() - Date.now() }),
    idle: async () => void (await ask('idle')),
    async stop() {
      if (stopping) return;
      stopping = true;
      unsubscribe();
      removeSource();
      const w = live;
      if (!w) {
        const lost = backlog.filter((m) => m.kind === 'event').length;
        if (lost > 0) log.error({ lost }, 'stopped while the worker thread was down: acked requests not handled');
        for (const done of waiting.values()) done(undefined);
        return;
      }
      const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
      w.postMessage({ kind: 'stop' } satisfies ToThread);
      const timer = setTimeout(() => {
        log.warn('worker thread did not stop in time; terminating it');
        void w.terminate();
      }, STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
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
  const { name, settings } = workerData as ThreadData;
  // Lines are serialised and scrubbed here, written by the main thread.
  const logger = createLogger(settings.logLevel, { write: (line: string) => tell({ kind: 'log', line }) }).child({ thread: name });
  let clockOffsetMs = 0;
  const clock = () => new Date(Date.now() + clockOffsetMs);
  try {
    const db = await openDatabase(settings.databaseUrl);
    // The main thread logs reloads; this copy only says when something is wrong.
    const org = new OrgStore(settings.orgFile ?? EXAMPLE_ORG_FILE, logger.child({}, { level: 'warn' }));
    const deps: FrontEndDeps = { directory: () => org.current(), services: createServices(db, clock), logger, metrics: new Metrics() };
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
          clockOffsetMs = m.clockOffsetMs;
          const p = handler.handle(m.payload).catch((e: unknown) => logger.error({ err: e }, 'work in the worker thread failed'));
          inFlight.add(p);
          void p.finally(() => inFlight.delete(p));
          return;
        }
        case 'org-reload':
          org.reload();
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
 * Lowers this thread's scheduling priority (nice 10), so that when both want a core the
 * main thread's acks go before this thread's replies. Linux schedules threads one by one:
 * the thread id is read from /proc/thread-self. Elsewhere the thread keeps the default.
 */
function yieldToAcks(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid !== process.pid) setPriority(tid, 10);
  } catch {
    // Not Linux, or not allowed: the same work, at the same priority as the acks.
  }
}
