// The work thread: the one mechanism between kehu's two threads. The main thread is the
// front door — it verifies each Slack or Lark request, writes it to the inbox and acks,
// and answers /healthz and /metrics — and loads no database layer, no domain code. This
// worker thread runs the back office (back-office.ts): the database, the org, the job
// workers, the replies. Slack and Lark judge a bot by how fast it acks; the work after
// the ack (a command, an export of 100,000 rows, 500 notices) never stands in front of
// the next ack, and the thread runs at nice 19 so acks go first when both want a core.
//
// The database is the only queue between them. The main thread says "wake" (a row is
// waiting), "run this one now" (an answer must ride in the response), "reload the org"
// (SIGHUP), "stop"; the thread says "ready", sends its log lines (serialised and scrubbed
// there, written to the main thread's log stream), job outcomes and queue samples (for
// /metrics). A thread that dies is started again; the rows it held go back to the queue
// as the new one starts.
//
// Main thread:   const thread = await startWorkThread({ settings, logTo, metrics, clock });
//                thread.wake(); await thread.answer(jobId, ms); await thread.stop();
// Worker thread: await runWorkThread(startBackOffice);   (chat-worker.ts)
import { readlinkSync } from 'node:fs';
import { hostname, setPriority } from 'node:os';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { DestinationStream } from 'pino';
import type { Settings } from '../config/env.ts';
import { StartRefusal } from '../config/start-refusal.ts';
import type { QueueStats } from '../db/repositories/job.repository.ts';
import type { JobSettled } from '../jobs/worker.ts';
import { createLogger, type Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { BackOffice, BackOfficeOptions } from './back-office.ts';
import type { Office } from './front-end.ts';
import { withAnswer } from './inbox.ts';

/** Main thread → worker thread. */
type ToThread =
  | { kind: 'wake'; clockOffsetMs: number }
  | { kind: 'run'; id: number; jobId: string; deadline: number; clockOffsetMs: number }
  | { kind: 'reload' }
  | { kind: 'idle'; id: number; clockOffsetMs: number }
  | { kind: 'stop' };

/** Worker thread → main thread. */
type FromThread =
  | { kind: 'ready' }
  | { kind: 'failed'; message: string; refusal: boolean }
  | { kind: 'log'; line: string }
  | { kind: 'idle'; id: number }
  | { kind: 'answer'; id: number; body?: unknown }
  | { kind: 'settled'; settled: JobSettled }
  | { kind: 'queue'; stats: QueueStats };

interface ThreadData {
  settings: Settings;
  /** Lease owner prefix of this thread's workers. */
  owner: string;
  /** Owners of threads that died: their leases are handed back as this one starts. */
  releaseOwners: string[];
  worker?: BackOfficeOptions['worker'];
  /** The main thread's clock against Date.now() (tests set a clock); updated with every message. */
  clockOffsetMs: number;
}

/** The back office's module: in the built service plain JavaScript; from source (dev, tests) through tsx. */
const DEFAULT_ENTRY = new URL(import.meta.url.endsWith('.ts') ? './chat-worker.ts' : './chat-worker.js', import.meta.url);
/** Worker threads start without the main thread's loader hooks (Node 20): a .ts entry is loaded by this file. */
const TS_LOADER = new URL('./load-ts-entry.mjs', import.meta.url);

export interface WorkThread extends Office {
  reloadOrg(): void;
  /** Resolves when the thread has no due row or job left and runs none. */
  idle(): Promise<void>;
  /** Stops the back office (bounded), closes its database and ends the thread. */
  stop(): Promise<void>;
}

export interface WorkThreadOptions {
  settings: Settings;
  /** The main thread's logger, and where it writes: the thread's lines are written there too. */
  logger: Logger;
  logTo: DestinationStream;
  metrics: Metrics;
  clock: () => Date;
  worker?: BackOfficeOptions['worker'];
  /** Another thread module (tests: a probe). */
  entry?: URL;
  restartDelayMs?: number;
}

/**
 * The work thread's young generation (V8's nursery: three semi-spaces). V8 grows it to 48 MB
 * under load and seldom gives it back: most of a bot's idle memory. At 6 MB the thread's
 * objects are collected a little more often (it runs at nice 19, behind the acks anyway).
 */
const WORK_THREAD_YOUNG_MB = 6;
/** A thread that dies is started again after this long (a crash loop stays slow). */
export const RESTART_DELAY_MS = 1000;
const STOP_TIMEOUT_MS = 15_000;
/** The thread answers a synchronous request only this long before the main thread's bound, so the answer still arrives in time. */
const ANSWER_MARGIN_MS = 300;

/** Starts the thread and resolves once it is ready (migrations applied, org loaded); rejects with why it could not start. */
export async function startWorkThread(o: WorkThreadOptions): Promise<WorkThread> {
  const entry = o.entry ?? DEFAULT_ENTRY;
  const waiting = new Map<number, (message: FromThread | undefined) => void>();
  let nextId = 0;
  let generation = 0;
  let stopping: Promise<void> | undefined;
  let live: Worker | undefined;
  const threads = new Set<Worker>();
  const dead: string[] = [];
  const offset = () => o.clock().getTime() - Date.now();
  const log = o.logger;

  const spawn = () =>
    new Promise<void>((resolve, reject) => {
      const owner = `${hostname()}:${process.pid}:work:${generation++}`;
      const data: ThreadData = { settings: o.settings, owner, releaseOwners: [...dead], worker: o.worker, clockOffsetMs: offset() };
      const ts = entry.pathname.endsWith('.ts');
      const w = new Worker(ts ? TS_LOADER : entry, { workerData: { ...data, entry: entry.href }, name: 'kehu-work', resourceLimits: { maxYoungGenerationSizeMb: WORK_THREAD_YOUNG_MB } });
      threads.add(w);
      w.on('message', (m: FromThread) => {
        if (m.kind === 'log') o.logTo.write(m.line);
        else if (m.kind === 'settled') o.metrics.jobSettled(m.settled);
        else if (m.kind === 'queue') o.metrics.setQueue(m.stats);
        else if (m.kind === 'ready') {
          if (stopping) return void w.terminate();
          dead.length = 0;
          live = w;
          w.postMessage({ kind: 'wake', clockOffsetMs: offset() } satisfies ToThread);
          resolve();
        } else if (m.kind === 'failed') reject(m.refusal ? new StartRefusal(m.message) : new Error(`the work thread could not start: ${m.message}`));
        else {
          waiting.get(m.id)?.(m);
          waiting.delete(m.id);
        }
      });
      w.on('error', (e) => log.error({ err: e }, 'work thread failed'));
      w.on('exit', (code) => {
        threads.delete(w);
        reject(new Error(`the work thread exited (${code}) before it was ready`));
        if (live !== w) return; // never ready: its start or restart says why
        live = undefined;
        for (const done of waiting.values()) done(undefined);
        waiting.clear();
        if (stopping) return;
        // What it was running goes back to the queue as the next thread starts.
        dead.push(owner);
        log.error({ code }, 'work thread exited; starting it again');
        restart();
      });
    });
  const restart = (): void =>
    void setTimeout(() => {
      if (stopping) return;
      spawn().catch((e: unknown) => {
        log.error({ err: e }, 'work thread restart failed; trying again');
        restart();
      });
    }, o.restartDelayMs ?? RESTART_DELAY_MS).unref();

  const ask = (make: (id: number) => ToThread, timeoutMs?: number) =>
    new Promise<FromThread | undefined>((resolve) => {
      // No thread (being started again): nobody to ask; the rows wait in the database.
      if (!live) return resolve(undefined);
      const id = nextId++;
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => (waiting.delete(id), resolve(undefined)), timeoutMs);
      waiting.set(id, (m) => (clearTimeout(timer), resolve(m)));
      live.postMessage(make(id));
    });
  const tell = (m: ToThread) => live?.postMessage(m);

  await spawn();

  const stop = async () => {
    for (const done of waiting.values()) done(undefined);
    const exits = [...threads].map((w) => new Promise<void>((resolve) => w.once('exit', () => resolve())));
    for (const w of threads) {
      if (w === live) w.postMessage({ kind: 'stop' } satisfies ToThread);
      else void w.terminate(); // still starting: it holds nothing yet
    }
    const timer = setTimeout(() => {
      log.warn('work thread did not stop in time; terminating it');
      for (const w of threads) void w.terminate();
    }, STOP_TIMEOUT_MS);
    await Promise.all(exits);
    clearTimeout(timer);
  };

  return {
    wake: () => tell({ kind: 'wake', clockOffsetMs: offset() }),
    async answer(jobId, ms) {
      const m = await ask((id) => ({ kind: 'run', id, jobId, deadline: Date.now() + ms - ANSWER_MARGIN_MS, clockOffsetMs: offset() }), ms);
      return m?.kind === 'answer' ? m.body : undefined;
    },
    reloadOrg: () => tell({ kind: 'reload' }),
    idle: async () => void (await ask((id) => ({ kind: 'idle', id, clockOffsetMs: offset() }))),
    stop: () => (stopping ??= stop()),
  };
}

/** The worker-thread side: starts the back office with what the main thread sent, then serves its messages. */
export async function runWorkThread(start: (o: BackOfficeOptions) => Promise<Pick<BackOffice, 'wake' | 'answer' | 'reloadOrg' | 'idle' | 'stop'>>): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('runWorkThread runs in a worker thread');
  const tell = (m: FromThread) => port.postMessage(m);
  yieldToAcks();
  const data = workerData as ThreadData;
  let clockOffsetMs = data.clockOffsetMs;
  // Lines are serialised and scrubbed here, written by the main thread.
  const logger = createLogger(data.settings.logLevel, { write: (line: string) => tell({ kind: 'log', line }) }).child({ thread: 'work' });
  const clock = () => new Date(Date.now() + clockOffsetMs);
  let office;
  try {
    office = await start({
      settings: data.settings,
      logger,
      clock,
      owner: data.owner,
      releaseOwners: data.releaseOwners,
      worker: data.worker,
      onSettled: (settled) => tell({ kind: 'settled', settled }),
      onQueue: (stats) => tell({ kind: 'queue', stats }),
    });
  } catch (e) {
    tell({ kind: 'failed', message: e instanceof Error ? e.message : String(e), refusal: e instanceof StartRefusal });
    process.exit(1);
  }
  const ready = office;
  port.on('message', (m: ToThread) => {
    switch (m.kind) {
      case 'wake':
        clockOffsetMs = m.clockOffsetMs;
        ready.wake();
        return;
      case 'run': {
        clockOffsetMs = m.clockOffsetMs;
        let answered = false;
        const answer = async (body: unknown) => {
          if (answered || Date.now() > m.deadline) return false;
          answered = true;
          tell({ kind: 'answer', id: m.id, body });
          return true;
        };
        void withAnswer(answer, () => ready.answer(m.jobId))
          .catch((e: unknown) => logger.error({ err: e, jobId: m.jobId }, 'could not run an inbox row at once; it runs when due'))
          .finally(() => {
            // No answer (none needed, someone else had the row, or it failed): the front end stops waiting.
            if (!answered) tell({ kind: 'answer', id: m.id });
          });
        return;
      }
      case 'reload':
        ready.reloadOrg();
        return;
      case 'idle':
        // A test that moved its clock drains with it (escalation steps fall due).
        clockOffsetMs = m.clockOffsetMs;
        void ready.idle().then(
          () => tell({ kind: 'idle', id: m.id }),
          (e: unknown) => (logger.error({ err: e }, 'work thread could not drain'), tell({ kind: 'idle', id: m.id })),
        );
        return;
      case 'stop':
        void ready.stop().finally(() => process.exit(0));
        return;
    }
  });
  tell({ kind: 'ready' });
}

/**
 * Puts this thread at nice 19, so that when both want a core the main thread's acks go
 * before this thread's work; an idle core still runs it at full speed. Linux schedules
 * threads one by one (the id is read from /proc/thread-self). Not SCHED_IDLE: a thread at
 * that policy gets no CPU at all while other programs keep the cores busy, and rows would
 * wait for minutes. Elsewhere than Linux, the default priority.
 */
function yieldToAcks(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid === process.pid) return;
    setPriority(tid, 19);
  } catch {
    // Not Linux, or not allowed: the same work at a higher priority, never a failure.
  }
}
