// The job worker: polls the queue, leases due jobs, runs their handlers, and records the
// outcome (done, retry later, dead). Any number of workers may run against one database.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database } from '../db/client.ts';
import { isPermanent, isRetryLater } from './errors.ts';
import { claimDueJobs, completeJob, failJob, releaseLeases, type ClaimedJob } from './job.repository.ts';

export interface JobContext {
  id: string;
  kind: string;
  /** 1 on the first run. */
  attempts: number;
  maxAttempts: number;
  /** Pass it on to the platform where it dedupes (Lark `uuid`), so a re-run after a crash is not a second message. */
  idempotencyKey: string;
}

export type JobHandler = (payload: unknown, job: JobContext) => Promise<void>;

export interface WorkerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface WorkerOptions {
  db: Database;
  handlers: Record<string, JobHandler>;
  /** Unique per worker; defaults to host:pid:random. */
  owner?: string;
  /** Pause between polls when the last one found less than a full batch. */
  pollMs?: number;
  /** Must exceed the slowest handler run: after it another worker may run the job again. */
  leaseMs?: number;
  /** Jobs leased per poll; they run concurrently. */
  batch?: number;
  clock?: () => Date;
  logger?: WorkerLogger;
  /** Delay before retry number `attempt` (1 = after the first failure), in ms. */
  backoff?: (attempt: number) => number;
  /** Start polling at once (default). Tests that step with drain() pass false. */
  autoStart?: boolean;
}

export interface Worker {
  readonly owner: string;
  /** Stops claiming, waits for running handlers, hands back leases not yet started. */
  stop(): Promise<void>;
  /** Runs polls back to back until one finds no due job (tests, CLI). */
  drain(): Promise<void>;
}

export const DEFAULT_LEASE_MS = 120_000;
const MAX_DRAIN_POLLS = 10_000;

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

export function startWorker(opts: WorkerOptions): Worker {
  const { db, handlers } = opts;
  const owner = opts.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const pollMs = opts.pollMs ?? 1000;
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const batch = opts.batch ?? 10;
  const clock = opts.clock ?? (() => new Date());
  const log = opts.logger ?? silentInfo;
  const backoff = opts.backoff ?? ((attempt: number) => defaultBackoff(attempt));

  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  // Polls run one at a time, whether from the timer or from drain().
  let serial: Promise<unknown> = Promise.resolve();
  const inSeries = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = serial.then(fn);
    serial = next.catch(() => {});
    return next;
  };

  async function poll(): Promise<number> {
    if (stopping) return 0;
    const jobs = await claimDueJobs(db, { owner, now: clock(), leaseMs, limit: batch });
    await Promise.all(jobs.map((job) => (stopping ? Promise.resolve() : run(job))));
    return jobs.length;
  }

  async function run(job: ClaimedJob): Promise<void> {
    const context: JobContext = {
      id: job.id,
      kind: job.kind,
      attempts: job.attempts,
      maxAttempts: job.maxAttempts,
      idempotencyKey: job.idempotencyKey,
    };
    const fields = { jobId: job.id, kind: job.kind, attempt: job.attempts, idempotencyKey: job.idempotencyKey };
    const handler = Object.hasOwn(handlers, job.kind) ? handlers[job.kind] : undefined;
    if (!handler) {
      const known = Object.keys(handlers).join(', ') || 'none';
      await bury(job, `no handler for job kind "${job.kind}" (this worker knows: ${known})`);
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(job.payload);
    } catch {
      await bury(job, 'payload is not valid JSON');
      return;
    }

    const started = Date.now();
    try {
      await handler(payload, context);
    } catch (error) {
      await settleFailure(job, error);
      return;
    } finally {
      const took = Date.now() - started;
      if (took > leaseMs) {
        log.warn({ ...fields, tookMs: took, leaseMs }, 'job ran longer than its lease: another worker may have run it too');
      }
    }
    if (!(await completeJob(db, job.id, owner, clock()))) {
      log.warn(fields, 'job finished after its lease was lost; another worker may have run it too');
    }
  }

  async function settleFailure(job: ClaimedJob, error: unknown): Promise<void> {
    const message = describeError(error);
    const fields = { jobId: job.id, kind: job.kind, attempt: job.attempts, maxAttempts: job.maxAttempts, error: message };
    if (isPermanent(error)) {
      await bury(job, message);
      return;
    }
    if (isRetryLater(error)) {
      const retryAt = new Date(clock().getTime() + error.retryAfterMs);
      log.info({ ...fields, retryAt }, 'job throttled by the platform; retrying later');
      await failJob(db, job.id, owner, { error: message, retryAt, countAttempt: false }, clock());
      return;
    }
    if (job.attempts >= job.maxAttempts) {
      await bury(job, `gave up after ${job.attempts} attempts: ${message}`);
      return;
    }
    const retryAt = new Date(clock().getTime() + Math.max(0, backoff(job.attempts)));
    log.warn({ ...fields, retryAt }, 'job failed; will retry');
    await failJob(db, job.id, owner, { error: message, retryAt }, clock());
  }

  async function bury(job: ClaimedJob, error: string): Promise<void> {
    log.error({ jobId: job.id, kind: job.kind, attempt: job.attempts, error }, 'job is dead');
    await failJob(db, job.id, owner, { error, dead: true }, clock());
  }

  function schedule(delayMs: number): void {
    if (stopping) return;
    timer = setTimeout(() => {
      inSeries(poll).then(
        (claimed) => schedule(claimed >= batch ? 0 : pollMs),
        (error: unknown) => {
          // The database may be restarting: keep polling, loudly.
          log.error({ error: describeError(error) }, 'job poll failed');
          schedule(pollMs);
        },
      );
    }, delayMs);
  }

  if (opts.autoStart !== false) schedule(0);

  let stopped: Promise<void> | undefined;
  return {
    owner,
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        clearTimeout(timer);
        await serial;
        const released = await releaseLeases(db, owner);
        if (released > 0) log.info({ owner, released }, 'handed back job leases on shutdown');
      })()),
    drain: async () => {
      for (let polls = 0; polls < MAX_DRAIN_POLLS; polls++) {
        if ((await inSeries(poll)) === 0) return;
      }
      throw new Error(`drain: jobs still due after ${MAX_DRAIN_POLLS} polls (a handler keeps asking to retry at once?)`);
    },
  };
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
