// The chat thread: a worker thread that runs the inbox (the jobs `inbox.slack` and
// `inbox.lark`, see inbox.ts). Slack and Lark judge a bot by how fast it answers their
// request; the work after the answer (identity, the command, the database, the reply) can
// take a millisecond of CPU or more, and on the thread that accepts requests it would stand
// in front of the next ack. So the main thread verifies, writes the inbox row and acks;
// this thread's job worker leases the rows from the database and does the work. The
// database is the only queue between them: the main thread only says "wake" (a row is
// waiting), "run this one now" (an answer must ride in the response) and "stop". A thread
// that dies is started again, and the rows it held go back to the queue at once.
//
// Main thread:   const thread = await startChatThread({ entry, host: { settings, org }, deps });
//                thread.wake(); await thread.answer(jobId, ms);
// Worker thread: await runChatThread(async (deps, settings) => ({ handlers }));
import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname, setPriority } from 'node:os';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { Settings } from '../config/env.ts';
import { EXAMPLE_ORG_FILE, parseOrgText, type OrgStore } from '../config/org-file.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { releaseLeases } from '../db/repositories/job.repository.ts';
import { startWorker, type JobHandler, type JobSettled } from '../jobs/worker.ts';
import { createLogger, writeLogLine } from '../observability/logger.ts';
import { Metrics } from '../observability/metrics.ts';
import { createServices, type FrontEndDeps } from './front-end.ts';
import { inboxBackoff, withAnswer } from './inbox.ts';

/** Main thread → worker thread. */
type ToThread =
  | { kind: 'wake'; clockOffsetMs: number }
  | { kind: 'run'; id: number; jobId: string; deadline: number; clockOffsetMs: number }
  | { kind: 'org'; text: string }
  | { kind: 'idle'; id: number }
  | { kind: 'stop' };

/** Worker thread → main thread. */
type FromThread =
  | { kind: 'ready' }
  | { kind: 'failed'; message: string }
  | { kind: 'log'; line: string }
  | { kind: 'idle'; id: number }
  | { kind: 'answer'; id: number; body?: unknown }
  | { kind: 'settled'; settled: JobSettled };

interface ThreadData {
  entry: string;
  /** tsx's loader API, resolved from this module (not from the working directory). */
  tsx: string;
  settings: Settings;
  orgText: string;
  /** The lease owner of this thread's job worker: the main thread hands its leases back if it dies. */
  owner: string;
  /** The main thread's clock against Date.now() (tests set a clock); updated with every message. */
  clockOffsetMs: number;
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

export interface ChatThreadHost {
  settings: Settings;
  org: OrgStore;
}

export interface ChatThread {
  /** A row is waiting: poll now. */
  wake(): void;
  /** Runs this inbox row at once; resolves with the answer its handler gave within `ms`, else undefined. */
  answer(jobId: string, ms: number): Promise<unknown>;
  /** Resolves when the thread has no due inbox row left and runs none. */
  idle(): Promise<void>;
  /** Stops the thread's worker (bounded), closes its database and ends the thread. */
  stop(): Promise<void>;
}

/** A thread that dies is started again after this long (a crash loop stays slow). */
export const RESTART_DELAY_MS = 1000;
const STOP_TIMEOUT_MS = 15_000;
/** The thread answers a synchronous request only this long before the main thread's bound, so the answer still arrives in time. */
const ANSWER_MARGIN_MS = 300;

/** Starts the thread and resolves once it is ready (database open, org loaded). */
export async function startChatThread(o: {
  entry: URL;
  host: ChatThreadHost;
  deps: Pick<FrontEndDeps, 'logger' | 'metrics'> & { clock: () => Date; db: Database };
  restartDelayMs?: number;
}): Promise<ChatThread> {
  const { host, deps } = o;
  const log = deps.logger.child({ thread: 'chat' });
  const waiting = new Map<number, (message: FromThread | undefined) => void>();
  let nextId = 0;
  let stopping: Promise<void> | undefined;
  let live: Worker | undefined;
  const threads = new Set<Worker>();
  const offset = () => deps.clock().getTime() - Date.now();

  const spawn = () =>
    new Promise<void>((resolve, reject) => {
      const owner = `${hostname()}:${process.pid}:chat:${randomBytes(4).toString('hex')}`;
      const data: ThreadData = { entry: o.entry.href, tsx: TSX_API, settings: host.settings, orgText: host.org.source(), owner, clockOffsetMs: offset() };
      const w = new Worker(BOOTSTRAP, { eval: true, workerData: data, name: 'kehu-chat' });
      threads.add(w);
      w.on('message', (m: FromThread) => {
        if (m.kind === 'log') writeLogLine(deps.logger, m.line);
        else if (m.kind === 'settled') deps.metrics.jobSettled(m.settled);
        else if (m.kind === 'ready') {
          if (stopping) return void w.terminate();
          live = w;
          w.postMessage({ kind: 'wake', clockOffsetMs: offset() } satisfies ToThread);
          resolve();
        } else if (m.kind === 'failed') reject(new Error(`the chat thread could not start: ${m.message}`));
        else {
          waiting.get(m.id)?.(m);
          waiting.delete(m.id);
        }
      });
      w.on('error', (e) => log.error({ err: e }, 'chat thread failed'));
      w.on('exit', (code) => {
        threads.delete(w);
        reject(new Error(`the chat thread exited (${code}) before it was ready`));
        if (live !== w) return; // never ready: its start or restart says why
        live = undefined;
        for (const done of waiting.values()) done(undefined);
        waiting.clear();
        if (stopping) return;
        // What it was running goes back to the queue now, its attempt counted (it may be what
        // killed the thread), rather than when the lease runs out.
        void releaseLeases(deps.db, owner, { countAttempt: true, now: deps.clock() }).then(
          (handedBack) => log.error({ code, handedBack }, 'chat thread exited; starting it again'),
          (e: unknown) => log.error({ code, err: e }, 'chat thread exited; its rows return when their leases run out'),
        );
        restart();
      });
    });
  const restart = (): void =>
    void setTimeout(() => {
      if (stopping) return;
      spawn().catch((e: unknown) => {
        log.error({ err: e }, 'chat thread restart failed; trying again');
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

  await spawn();
  const unsubscribe = host.org.onReload(() => live?.postMessage({ kind: 'org', text: host.org.source() } satisfies ToThread));

  const stop = async () => {
    unsubscribe();
    for (const done of waiting.values()) done(undefined);
    const exits = [...threads].map((w) => new Promise<void>((resolve) => w.once('exit', () => resolve())));
    for (const w of threads) {
      if (w === live) w.postMessage({ kind: 'stop' } satisfies ToThread);
      else void w.terminate(); // still starting: it holds nothing yet
    }
    const timer = setTimeout(() => {
      log.warn('chat thread did not stop in time; terminating it');
      for (const w of threads) void w.terminate();
    }, STOP_TIMEOUT_MS);
    await Promise.all(exits);
    clearTimeout(timer);
  };

  return {
    wake: () => live?.postMessage({ kind: 'wake', clockOffsetMs: offset() } satisfies ToThread),
    async answer(jobId, ms) {
      const m = await ask((id) => ({ kind: 'run', id, jobId, deadline: Date.now() + ms - ANSWER_MARGIN_MS, clockOffsetMs: offset() }), ms);
      return m?.kind === 'answer' ? m.body : undefined;
    },
    idle: async () => void (await ask((id) => ({ kind: 'idle', id }))),
    stop: () => (stopping ??= stop()),
  };
}

/** What a thread's entry gives back: a handler per inbox kind. */
export interface ThreadSetup {
  handlers: Record<string, JobHandler>;
}

/** The worker-thread side: builds the front-end dependencies, then runs the inbox's job worker. */
export async function runChatThread(setup: (deps: FrontEndDeps, settings: Settings) => Promise<ThreadSetup>): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('runChatThread runs in a worker thread');
  const tell = (m: FromThread) => port.postMessage(m);
  yieldToAcks();
  const { settings, orgText, owner } = workerData as ThreadData;
  let clockOffsetMs = (workerData as ThreadData).clockOffsetMs;
  // Lines are serialised and scrubbed here, written by the main thread.
  const logger = createLogger(settings.logLevel, { write: (line: string) => tell({ kind: 'log', line }) }).child({ thread: 'chat' });
  const clock = () => new Date(Date.now() + clockOffsetMs);
  try {
    // On PostgreSQL a smaller pool than the main thread's: this thread's work is short.
    const db = await openDatabase(settings.databaseUrl, { poolSize: 5 });
    // The org as the main thread took it: never a later, or refused, edit of the file.
    const orgFile = settings.orgFile ?? EXAMPLE_ORG_FILE;
    let org = parseOrgText(orgText, orgFile);
    const deps: FrontEndDeps = { directory: () => org, services: createServices(db, clock), db, logger, metrics: new Metrics() };
    const { handlers } = await setup(deps, settings);
    const worker = startWorker({
      db,
      handlers,
      onlyOwnKinds: true,
      owner,
      clock,
      logger,
      // 15 s, 30 s, 1 min … 10 min: a row outlives a platform or database outage of about
      // half an hour (INBOX_MAX_ATTEMPTS), as long as Slack keeps a response_url usable.
      backoff: inboxBackoff,
      // Renewed while a row runs: the rows of a thread or process that died are taken over in 10 s.
      leaseMs: 10_000,
      timeoutMs: 30_000,
      pollMs: 1_000,
      onSettled: (settled) => tell({ kind: 'settled', settled }),
    });

    port.on('message', (m: ToThread) => {
      switch (m.kind) {
        case 'wake':
          clockOffsetMs = m.clockOffsetMs;
          worker.wake();
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
          void withAnswer(answer, () => worker.runNow(m.jobId))
            .catch((e: unknown) => logger.error({ err: e, jobId: m.jobId }, 'could not run an inbox row at once; it runs when due'))
            .finally(() => {
              // No answer (none needed, someone else had the row, or it failed): the front end stops waiting.
              if (!answered) tell({ kind: 'answer', id: m.id });
            });
          return;
        }
        case 'org':
          org = parseOrgText(m.text, orgFile);
          return;
        case 'idle':
          void worker.drain().then(
            () => tell({ kind: 'idle', id: m.id }),
            (e: unknown) => (logger.error({ err: e }, 'chat thread could not drain'), tell({ kind: 'idle', id: m.id })),
          );
          return;
        case 'stop':
          void worker
            .stop()
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
 * Puts this thread at nice 19, so that when both want a core the main thread's acks go
 * before this thread's replies; an idle core still runs it at full speed. Linux schedules
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
