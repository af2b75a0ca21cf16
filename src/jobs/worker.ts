// The job worker: leases due jobs, runs their handlers with a bounded number in flight and
// a time limit each, and records the outcome (done, retry later, dead). Any number of
// workers may run against one database; each claims the kinds it has handlers for.
//
// Exactly once out: once a handler has returned, its outcome is written with retries (a
// transient database error, a locked SQLite file) for as long as the lease allows, never
// given up by a failed poll; a handler that hangs is failed (retried later) after its time
// limit, and its slot is free again at once.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database } from '../db/client.ts';
import { isPermanent, isRetryLater, permanentCode } from './errors.ts';
import { withTimeout } from './with-timeout.ts';
import { FencedOut, runFenced } from '../db/effect-fence.ts';
import { buryExhaustedLeases, claimDueJobs, claimJobNow, completeJob, failJob, JOBS_CHANNEL, nextPendingRunAt, onJobsCommitted, releaseLeases, renewLeases, type ClaimedJob, type FailOutcome } from '../db/repositories/job.repository.ts';
import { listenForJobs } from './job-listener.ts';

export interface JobContext {
  id: string;
  kind: string;
  /** 1 on the first run. */
  attempts: number;
  maxAttempts: number;
  /** Pass it on to the platform where it dedupes (Lark `uuid`), so a re-run after a crash is not a second message. */
  idempotencyKey: string;
}

/** What it resolves to is given to whoever asked for the job with runNow (the synchronous answer path). */
export type JobHandler = (payload: unknown, job: JobContext) => Promise<unknown>;

export interface WorkerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** How one run ended, for metrics. `error` is a short code (a platform error, a class name). */
export interface JobSettled {
  kind: string;
  /** superseded: its writes were refused (an earlier attempt applied them, or the lease was lost: db/effect-fence.ts). */
  outcome: 'done' | 'retry' | 'throttled' | 'dead' | 'superseded';
  error?: string;
  ms: number;
}

export interface WorkerOptions {
  db: Database;
  handlers: Record<string, JobHandler>;
  /** Claim only the kinds in `handlers` (a specialised worker, e.g. the back office's inbox). */
  onlyOwnKinds?: boolean;
  /**
   * Each run's transactions are fenced by its attempt (db/effect-fence.ts): whatever the
   * jobs change is changed once, even when a job runs twice (the inbox: acked requests).
   */
  fenceWrites?: boolean;
  /** Unique per worker; defaults to host:pid:random. */
  owner?: string;
  /** Pause between polls when the last one found nothing to do. */
  pollMs?: number;
  /**
   * How long a claim holds without news: renewed every third of it while the job runs, so
   * after a crash (SIGKILL, a lost machine) another worker takes the job over this soon.
   */
  leaseMs?: number;
  /** A handler still running after this is failed (retried later) and its slot freed. */
  timeoutMs?: number;
  /** Jobs running at once. */
  concurrency?: number;
  clock?: () => Date;
  logger?: WorkerLogger;
  /** Delay before retry number `attempt` (1 = after the first failure), in ms. */
  backoff?: (attempt: number) => number;
  /** Start polling at once (default). Tests that step with drain() pass false. */
  autoStart?: boolean;
  /** How long stop() waits for running jobs before handing their leases back. */
  stopTimeoutMs?: number;
  /** Pause between tries of writing an outcome the database refused (tests shorten it). */
  settleRetryMs?: number;
  onSettled?: (s: JobSettled) => void;
  /**
   * Do not wait for the next poll when jobs are enqueued: woken in-process after the
   * enqueuing transaction commits (jobsCommitted), and on PostgreSQL by LISTEN/NOTIFY, so a
   * job written by another replica wakes this one too. A job due later arms one timer for
   * the earliest known due time (a person at the door: an escalation step fires on time).
   */
  wakeOnEnqueue?: boolean;
}

export interface Worker {
  readonly owner: string;
  /** Poll now (a front end has just written an inbox row). */
  wake(): void;
  /** Leases and runs this pending job at once, resolving with what its handler returned (undefined if someone else had it). */
  runNow(id: string): Promise<{ ran: boolean; result?: unknown }>;
  /** Stops claiming, waits (bounded) for running handlers, hands back every lease still held. */
  stop(): Promise<void>;
  /** Runs until no due job is left and nothing runs (tests, CLI, the shell). */
  drain(): Promise<void>;
  /** Jobs running now. */
  readonly running: number;
}

export const DEFAULT_LEASE_MS = 30_000;
/** Jobs a worker runs at once unless told otherwise (the back office's workers run with it). */
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_DRAIN_POLLS = 10_000;
/** How often a worker looks for jobs whose last allowed attempt's lease ran out (at most every leaseMs). */
const BURY_EVERY_MS = 5_000;
/** A job due further ahead than this is left to the regular polls. */
const MAX_DUE_TIMER_MS = 60 * 60_000;

function parseRunAt(payload: string | undefined): Date | undefined {
  const t = payload ? Date.parse(payload) : NaN;
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** Exponential from 5 s, capped at an hour, with jitter so that failed jobs do not retry in lockstep. */
export function defaultBackoff(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(3_600_000, 5_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.5 + random() * 0.5));
}

const silentInfo: WorkerLogger = {
  info: () => {},
  warn: (obj, msg) => console.warn(msg, obj),
  error: (obj, msg) => console.error(msg, obj),
};

class JobTimeoutError extends Error {
  override name = 'JobTimeoutError';
}

export function startWorker(opts: WorkerOptions): Worker {
  const { db, handlers } = opts;
  const owner = opts.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const pollMs = opts.pollMs ?? 1000;
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
  const clock = opts.clock ?? (() => new Date());
  const log = opts.logger ?? silentInfo;
  const backoff = opts.backoff ?? ((attempt: number) => defaultBackoff(attempt));
  const stopTimeoutMs = opts.stopTimeoutMs ?? 10_000;
  const settleRetryMs = opts.settleRetryMs ?? 250;
  const kinds = opts.onlyOwnKinds ? Object.keys(handlers) : undefined;

  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  /** Runs in flight (each settles its job before it leaves the set). */
  const inFlight = new Set<Promise<void>>();
  let polling: Promise<number> | undefined;
  /**
   * A poll was asked for while one was in flight: that one's claim may have read the table
   * before the job that asked committed, so another follows at once (else the job waited
   * for the next regular poll: a lost wake-up).
   */
  let askedWhilePolling = false;
  let lastBuried = -Infinity;

  /** Claims as many due jobs as there are free slots and starts them; resolves with how many. */
  const poll = (): Promise<number> => {
    if (polling) {
      askedWhilePolling = true;
      return polling;
    }
    // Asked for now, this poll answers it (with no free slot, the next slot to free polls).
    askedWhilePolling = false;
    const free = concurrency - inFlight.size;
    if (stopping || free <= 0) return Promise.resolve(0);
    const claiming = (async () => {
      try {
        const now = clock();
        // Now and then, not on every claim: a lease runs out no more often than leaseMs.
        if (now.getTime() - lastBuried >= Math.min(BURY_EVERY_MS, leaseMs)) {
          lastBuried = now.getTime();
          const buried = await buryExhaustedLeases(db, now);
          if (buried > 0) log.error({ owner, buried }, 'jobs are dead: their lease expired during the last allowed attempt (worker crashed or hung)');
        }
        const jobs = await claimDueJobs(db, { owner, now, leaseMs, limit: free, kinds });
        for (const job of jobs) track(execute(job).then(() => undefined));
        return jobs.length;
      } finally {
        polling = undefined;
      }
    })();
    polling = claiming;
    return claiming;
  };

  // While jobs run, their leases are renewed: a live worker keeps them, a dead one soon loses them.
  let renewing: NodeJS.Timeout | undefined;
  const renew = () => {
    if (inFlight.size === 0) return;
    renewLeases(db, owner, new Date(clock().getTime() + leaseMs)).catch((error: unknown) =>
      log.warn({ owner, error: describeError(error) }, 'could not renew job leases; trying again'),
    );
  };
  const track = (p: Promise<void>) => {
    renewing ??= setInterval(renew, Math.max(250, Math.floor(leaseMs / 3))).unref();
    inFlight.add(p);
    void p.finally(() => {
      inFlight.delete(p);
      if (inFlight.size === 0) {
        clearInterval(renewing);
        renewing = undefined;
      }
      // A slot is free: look for more work now rather than at the next tick.
      if (auto) schedule(0);
    });
  };

  /** Runs one leased job and records its outcome; resolves with the handler's result. */
  async function execute(job: ClaimedJob): Promise<unknown> {
    const started = Date.now();
    const settled = (outcome: JobSettled['outcome'], error?: string) => opts.onSettled?.({ kind: job.kind, outcome, error, ms: Date.now() - started });
    const handler = Object.hasOwn(handlers, job.kind) ? handlers[job.kind] : undefined;
    if (!handler) {
      const known = Object.keys(handlers).join(', ') || 'none';
      await bury(job, `no handler for job kind "${job.kind}" (this worker knows: ${known})`);
      settled('dead', 'no_handler');
      return undefined;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(job.payload);
    } catch {
      await bury(job, 'payload is not valid JSON');
      settled('dead', 'invalid_json');
      return undefined;
    }
    const context: JobContext = { id: job.id, kind: job.kind, attempts: job.attempts, maxAttempts: job.maxAttempts, idempotencyKey: job.idempotencyKey };
    let result: unknown;
    try {
      const fence = opts.fenceWrites ? { jobId: job.id, owner, attempt: job.attempts } : undefined;
      result = await withTimeout(runFenced(fence, () => handler(payload, context)), timeoutMs, () => new JobTimeoutError(`handler still running after ${timeoutMs} ms`));
    } catch (error) {
      if (error instanceof FencedOut) return settleFenced(job, error, settled);
      const outcome = await settleFailure(job, error);
      settled(outcome, errorCode(error));
      return undefined;
    }
    const ok = await done(job);
    if (!ok) log.warn({ jobId: job.id, kind: job.kind }, 'job finished after its lease was lost; another worker may have run it too');
    settled('done');
    return result;
  }

  /**
   * A run whose writes the fence refused: done when an earlier attempt applied them (not
   * applied twice; that attempt answered, or died before it could), else nothing to write:
   * the worker that holds the lease now settles it.
   */
  async function settleFenced(job: ClaimedJob, error: FencedOut, settled: (outcome: JobSettled['outcome'], error?: string) => void): Promise<undefined> {
    const fields = { jobId: job.id, kind: job.kind, attempt: job.attempts };
    if (error.reason === 'applied') {
      log.warn(fields, 'an earlier attempt of this job already applied its change: done, without applying it again');
      await done(job);
    } else {
      log.warn(fields, 'this job’s lease was lost while it ran: its change is left to the worker that holds it now');
    }
    settled('superseded', error.reason);
    return undefined;
  }

  async function settleFailure(job: ClaimedJob, error: unknown): Promise<JobSettled['outcome']> {
    const message = describeError(error);
    const fields = { jobId: job.id, kind: job.kind, attempt: job.attempts, maxAttempts: job.maxAttempts, error: message };
    if (isPermanent(error)) {
      await bury(job, message);
      return 'dead';
    }
    if (isRetryLater(error)) {
      const retryAt = new Date(clock().getTime() + error.retryAfterMs);
      log.info({ ...fields, retryAt }, 'job throttled by the platform; retrying later');
      await fail(job, { error: message, retryAt, countAttempt: false });
      return 'throttled';
    }
    if (job.attempts >= job.maxAttempts) {
      await bury(job, `gave up after ${job.attempts} attempts: ${message}`);
      return 'dead';
    }
    const retryAt = new Date(clock().getTime() + Math.max(0, backoff(job.attempts)));
    log.warn({ ...fields, retryAt }, 'job failed; will retry');
    await fail(job, { error: message, retryAt });
    return 'retry';
  }

  async function bury(job: ClaimedJob, error: string): Promise<void> {
    log.error({ jobId: job.id, kind: job.kind, attempt: job.attempts, error }, 'job is dead');
    await fail(job, { error, dead: true });
  }

  const done = (job: ClaimedJob) => persist(job, 'done', () => completeJob(db, job.id, owner, clock()));
  const fail = (job: ClaimedJob, outcome: FailOutcome) => persist(job, 'failed', () => failJob(db, job.id, owner, outcome, clock()));

  /**
   * Writes an outcome, trying again while the database refuses (down, locked) and the lease
   * still holds: a send that succeeded must not be sent again because "done" failed once.
   * Past the lease another worker may have taken the job; then it is theirs.
   */
  async function persist(job: ClaimedJob, what: string, write: () => Promise<boolean>): Promise<boolean> {
    // The lease is renewed meanwhile; past this the database has been away too long to wait on.
    const until = Date.now() + Math.max(leaseMs, 60_000);
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (error) {
        if (Date.now() + settleRetryMs >= until) {
          log.error({ jobId: job.id, kind: job.kind, error: describeError(error) }, `could not record the job as ${what} before its lease ran out`);
          return false;
        }
        if (attempt === 1) log.warn({ jobId: job.id, kind: job.kind, error: describeError(error) }, `recording the job as ${what} failed; trying again`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(settleRetryMs * attempt, 5_000)));
      }
    }
  }

  /** When the pending poll timer fires (a later poll never puts off one due sooner: a wake-up is not lost). */
  let timerAt = Infinity;
  function schedule(delayMs: number): void {
    if (stopping) return;
    const at = Date.now() + delayMs;
    if (timer !== undefined && timerAt <= at) return;
    clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => {
      timer = undefined;
      timerAt = Infinity;
      poll().then(
        (claimed) => schedule((claimed > 0 && inFlight.size < concurrency) || askedWhilePolling ? 0 : pollMs),
        (error: unknown) => {
          // The database may be restarting: keep polling, loudly.
          log.error({ error: describeError(error) }, 'job poll failed');
          schedule(pollMs);
        },
      );
    }, delayMs);
  }

  // Polling on a timer; a worker stepped by drain() (tests, the CLI) polls only when told.
  const auto = opts.autoStart !== false;
  if (auto) schedule(0);

  // Woken by enqueues: now, or at the earliest due time known (one timer, so bounded).
  let dueTimer: NodeJS.Timeout | undefined;
  let dueAt: number | undefined;
  const wakeFor = (runAt: Date | undefined) => {
    if (stopping) return;
    const delay = runAt ? runAt.getTime() - clock().getTime() : 0;
    if (delay <= 0) return schedule(0);
    // Far ahead: the regular polls get there; a timer is kept only for the soonest.
    if (delay > MAX_DUE_TIMER_MS || (dueAt !== undefined && dueAt <= Date.now() + delay)) return;
    clearTimeout(dueTimer);
    dueAt = Date.now() + delay;
    dueTimer = setTimeout(() => {
      dueAt = undefined;
      schedule(0);
      // The timer knew only the soonest: arm it for the next one (due later wakes were dropped).
      nextPendingRunAt(db, { after: clock(), kinds }).then(
        (next) => next && wakeFor(next),
        (error: unknown) => stopping || log.warn({ error: describeError(error) }, 'could not read when the next job is due; the regular polls get there'),
      );
    }, delay);
    dueTimer.unref?.();
  };
  const unsubscribes: Array<() => void | Promise<void>> = [];
  if (auto && opts.wakeOnEnqueue) {
    unsubscribes.push(onJobsCommitted(db, wakeFor));
    if (db.provider === 'postgresql') {
      unsubscribes.push(listenForJobs({ url: db.url, channel: JOBS_CHANNEL, onNotify: (payload) => wakeFor(parseRunAt(payload)), log }));
    }
  }

  let stopped: Promise<void> | undefined;
  return {
    owner,
    get running() {
      return inFlight.size;
    },
    wake: () => (auto ? schedule(0) : undefined),
    async runNow(id) {
      if (stopping) return { ran: false };
      const job = await claimJobNow(db, id, { owner, now: clock(), leaseMs });
      if (!job) return { ran: false };
      const run = execute(job);
      track(run.then(() => undefined));
      return { ran: true, result: await run };
    },
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        clearTimeout(timer);
        clearTimeout(dueTimer);
        await Promise.all(unsubscribes.map((u) => Promise.resolve().then(u).catch(() => undefined)));
        await polling?.catch(() => undefined);
        const waited = await Promise.race([
          Promise.allSettled([...inFlight]).then(() => true),
          new Promise<false>((resolve) => setTimeout(() => resolve(false), stopTimeoutMs).unref()),
        ]);
        if (!waited) log.warn({ owner, running: inFlight.size, stopTimeoutMs }, 'jobs still running at shutdown: handing them back');
        const released = await releaseLeases(db, owner, { now: clock() }).catch((error: unknown) => {
          log.error({ owner, error: describeError(error) }, 'could not hand back job leases (they return when the lease runs out)');
          return 0;
        });
        if (released > 0) log.info({ owner, released }, 'handed back job leases on shutdown');
      })()),
    drain: async () => {
      for (let polls = 0; polls < MAX_DRAIN_POLLS; polls++) {
        const claimed = await poll();
        if (claimed === 0 && inFlight.size === 0) return;
        if (claimed === 0) await Promise.race([...inFlight]);
      }
      throw new Error(`drain: jobs still due after ${MAX_DRAIN_POLLS} polls (a handler keeps asking to retry at once?)`);
    },
  };
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** A short, bounded label for metrics: the platform's error code where known, else the class name. */
function errorCode(error: unknown): string {
  const code = permanentCode(error);
  if (code) return code;
  const data = (error as { data?: { error?: unknown }; code?: unknown }) ?? {};
  if (typeof data.data?.error === 'string') return data.data.error.slice(0, 40);
  if (typeof data.code === 'string') return data.code.slice(0, 40);
  return error instanceof Error ? error.name : 'unknown';
}
