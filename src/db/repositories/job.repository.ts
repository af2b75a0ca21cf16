// The job queue's table: enqueue inside the caller's transaction (outbox), lease due jobs to
// one worker at a time across processes and replicas, and record how each attempt ended.
// Raw SQL only where Prisma's API cannot say it (ON CONFLICT DO NOTHING, SKIP LOCKED,
// UPDATE ... RETURNING); it binds Date objects so the adapter stores them in its own format.
import { randomUUID } from 'node:crypto';
import type { Database, Tx } from '../client.ts';
import { Prisma, type Job } from '../generated/sqlite/client.ts';

export type JobStatus = 'pending' | 'running' | 'done' | 'dead';
export type { Job };

export const DEFAULT_MAX_ATTEMPTS = 8;

export interface NewJob {
  kind: string;
  /** Stored as JSON. */
  payload: unknown;
  runAt: Date;
  /** A second enqueue with the same key is dropped: make it name the fact, e.g. `remind:req42:2026-11-30`. */
  idempotencyKey: string;
  maxAttempts?: number;
  /** Chosen by the caller when it must name the job later (the synchronous answer path). */
  id?: string;
}

/** What a worker needs to run a job it has leased. */
export interface ClaimedJob {
  id: string;
  kind: string;
  /** JSON text, as stored. */
  payload: string;
  idempotencyKey: string;
  /** Including the attempt just leased. */
  attempts: number;
  maxAttempts: number;
}

/**
 * Adds a job in `tx` (pass the transaction of the change that causes it, so that both or
 * neither persist). Returns false when the idempotency key exists: ON CONFLICT DO NOTHING
 * rather than a caught unique violation, which would abort a PostgreSQL transaction.
 */
export async function enqueueJob(tx: Tx, job: NewJob): Promise<boolean> {
  const inserted = await insertJob(tx, job);
  // PostgreSQL delivers a NOTIFY when (and only if) the transaction commits, to every
  // replica that listens (jobs/worker.ts): a job written anywhere wakes the workers at once.
  if (inserted && isPostgresTx(tx)) await tx.$executeRaw`SELECT pg_notify(${JOBS_CHANNEL}, ${job.runAt.toISOString()})`;
  return inserted;
}

/** The PostgreSQL channel a committed enqueue notifies (payload: the job's runAt, ISO). */
export const JOBS_CHANNEL = 'kehu_jobs';

/** Prisma's transaction client names its provider (both generated clients share the API). */
function isPostgresTx(tx: Tx): boolean {
  return (tx as unknown as { _activeProvider?: string })._activeProvider === 'postgresql';
}

type Wake = (runAt: Date | undefined) => void;
const wakers = new WeakMap<Database, Set<Wake>>();

/**
 * Tells this process's workers on `db` that jobs were committed (due at `earliest`): called
 * after the transaction that wrote them, so the worker does not wait for its next poll.
 */
export function jobsCommitted(db: Database, earliest?: Date): void {
  for (const wake of wakers.get(db) ?? []) wake(earliest);
}

/** Subscribes a worker to jobsCommitted on `db`; returns the unsubscribe. */
export function onJobsCommitted(db: Database, wake: Wake): () => void {
  let set = wakers.get(db);
  if (!set) wakers.set(db, (set = new Set()));
  set.add(wake);
  return () => set.delete(wake);
}

async function insertJob(tx: Tx, job: NewJob): Promise<boolean> {
  const maxAttempts = job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(`maxAttempts must be >= 1, got ${maxAttempts}`);
  const payload = JSON.stringify(job.payload ?? null);
  const now = new Date();
  const inserted = await tx.$executeRaw`
    INSERT INTO "Job" ("id", "kind", "payload", "idempotencyKey", "status", "runAt",
                       "attempts", "maxAttempts", "createdAt", "updatedAt")
    VALUES (${job.id ?? randomUUID()}, ${job.kind}, ${payload}, ${job.idempotencyKey}, 'pending', ${job.runAt},
            0, ${maxAttempts}, ${now}, ${now})
    ON CONFLICT ("idempotencyKey") DO NOTHING`;
  return inserted === 1;
}

export interface ClaimOptions {
  /** Unique per worker instance; only the owner may complete or fail its leases. */
  owner: string;
  now: Date;
  /** How long the job is ours: longer than any send, or another worker runs it too. */
  leaseMs: number;
  limit: number;
  /** Only jobs of these kinds (a worker claims what it has handlers for); default every kind. */
  kinds?: readonly string[];
}

/**
 * Leases up to `limit` due jobs to `owner`: pending ones whose runAt has come, and running
 * ones whose lease ran out (their worker died) with an attempt left. Each claim counts an
 * attempt, so a job that kills its worker every time still ends dead (buryExhaustedLeases).
 * One statement: on PostgreSQL concurrent claimers skip each other's rows (SKIP LOCKED);
 * SQLite runs it under its write lock.
 */
export async function claimDueJobs(db: Database, opts: ClaimOptions): Promise<ClaimedJob[]> {
  const { owner, now, leaseMs, limit, kinds } = opts;
  if (kinds?.length === 0 || limit < 1) return [];
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const skipLocked = Prisma.raw(db.provider === 'postgresql' ? 'FOR UPDATE SKIP LOCKED' : '');
  // Each branch reads an index in order and stops after `limit` rows, so a claim costs the
  // same with 100,000 rows waiting as with none: pending rows of each kind by
  // (status, kind, runAt); of any kind by (status, runAt); expired leases by (status, leaseUntil).
  // (One OR of the two states read every due row and sorted them: a backlog made each claim slower.)
  const branch = (where: Prisma.Sql, order: string) =>
    Prisma.sql`SELECT "id", "runAt" FROM (SELECT "id", "runAt" FROM "Job" WHERE ${where} ORDER BY ${Prisma.raw(`"${order}"`)} LIMIT ${limit} ${skipLocked}) AS b`;
  const pending = kinds
    ? kinds.map((kind) => branch(Prisma.sql`"status" = 'pending' AND "kind" = ${kind} AND "runAt" <= ${now}`, 'runAt'))
    : [branch(Prisma.sql`"status" = 'pending' AND "runAt" <= ${now}`, 'runAt')];
  const kindIn = kinds ? Prisma.sql`AND "kind" IN (${Prisma.join(kinds)})` : Prisma.empty;
  const expired = branch(Prisma.sql`"status" = 'running' AND "leaseUntil" <= ${now} AND "attempts" < "maxAttempts" ${kindIn}`, 'leaseUntil');

  const rows = await db.prisma.$queryRaw<Array<Record<keyof ClaimedJob, unknown>>>`
    UPDATE "Job"
       SET "status" = 'running', "leaseOwner" = ${owner}, "leaseUntil" = ${leaseUntil},
           "attempts" = "attempts" + 1, "updatedAt" = ${now}
     WHERE "id" IN (
           SELECT "id" FROM (${Prisma.join([...pending, expired], ' UNION ALL ')}) AS due
            ORDER BY "runAt"
            LIMIT ${limit})
    RETURNING "id", "kind", "payload", "idempotencyKey", "attempts", "maxAttempts"`;
  return rows.map(toClaimed);
}

/**
 * The earliest runAt after `after` of a pending job of these kinds (of any kind when
 * undefined), or undefined: when a worker's timer for the soonest job it knew of fires, the
 * next one to arm. One index read per kind, as a claim's.
 */
export async function nextPendingRunAt(db: Database, opts: { after: Date; kinds?: readonly string[] }): Promise<Date | undefined> {
  const { after, kinds } = opts;
  if (kinds?.length === 0) return undefined;
  const first = (kind: Prisma.Sql) => Prisma.sql`SELECT "runAt" FROM (SELECT "runAt" FROM "Job" WHERE "status" = 'pending' ${kind} AND "runAt" > ${after} ORDER BY "runAt" LIMIT 1) AS f`;
  const branches = kinds ? kinds.map((k) => first(Prisma.sql`AND "kind" = ${k}`)) : [first(Prisma.empty)];
  const rows = await db.prisma.$queryRaw<Array<{ runAt: unknown }>>`SELECT "runAt" FROM (${Prisma.join(branches, ' UNION ALL ')}) AS n ORDER BY "runAt" LIMIT 1`;
  const at = rows[0]?.runAt;
  return at === undefined ? undefined : at instanceof Date ? at : new Date(at as string | number);
}

/**
 * A lease that expired during the last allowed attempt (its worker crashed or hung every
 * time): the job is dead, with the reason. Claims skip such rows; workers call this now
 * and then (not on every claim: it is one more statement, and such rows are rare).
 */
export async function buryExhaustedLeases(db: Database, now: Date): Promise<number> {
  const { count } = await db.prisma.job.updateMany({
    where: { status: 'running', leaseUntil: { lte: now }, attempts: { gte: db.prisma.job.fields.maxAttempts } },
    data: {
      status: 'dead',
      lastError: 'lease expired during the last allowed attempt (worker crashed or hung)',
      leaseOwner: null,
      leaseUntil: null,
      doneAt: now,
    },
  });
  return count;
}

/**
 * Leases one pending job by id whatever its runAt (the synchronous answer path: the front
 * end wrote it a moment ago, due later so that no poll takes it first). Undefined when it
 * is not pending any more.
 */
export async function claimJobNow(db: Database, id: string, opts: { owner: string; now: Date; leaseMs: number }): Promise<ClaimedJob | undefined> {
  const leaseUntil = new Date(opts.now.getTime() + opts.leaseMs);
  const rows = await db.prisma.$queryRaw<Array<Record<keyof ClaimedJob, unknown>>>`
    UPDATE "Job"
       SET "status" = 'running', "leaseOwner" = ${opts.owner}, "leaseUntil" = ${leaseUntil},
           "attempts" = "attempts" + 1, "updatedAt" = ${opts.now}
     WHERE "id" = ${id} AND "status" = 'pending'
    RETURNING "id", "kind", "payload", "idempotencyKey", "attempts", "maxAttempts"`;
  return rows.map(toClaimed)[0];
}

function toClaimed(row: Record<keyof ClaimedJob, unknown>): ClaimedJob {
  return {
    id: String(row.id),
    kind: String(row.kind),
    payload: String(row.payload),
    idempotencyKey: String(row.idempotencyKey),
    attempts: Number(row.attempts),
    maxAttempts: Number(row.maxAttempts),
  };
}

/** Marks the job done if `owner` still holds it; false when the lease was lost meanwhile. */
export async function completeJob(db: Database, id: string, owner: string, now = new Date()): Promise<boolean> {
  const { count } = await db.prisma.job.updateMany({
    where: { id, leaseOwner: owner, status: 'running' },
    data: { status: 'done', leaseOwner: null, leaseUntil: null, doneAt: now, updatedAt: now },
  });
  return count === 1;
}

export type FailOutcome =
  /** countAttempt false: the attempt is given back (the platform throttled us, nothing failed). */
  | { error: string; retryAt: Date; countAttempt?: boolean }
  | { error: string; dead: true };

/** Records a failed attempt: back to pending at retryAt, or dead (kept, with its error, for people to see). */
export async function failJob(
  db: Database,
  id: string,
  owner: string,
  outcome: FailOutcome,
  now = new Date(),
): Promise<boolean> {
  const next: Prisma.JobUpdateManyMutationInput =
    'retryAt' in outcome
      ? {
          status: 'pending',
          runAt: outcome.retryAt,
          ...(outcome.countAttempt === false ? { attempts: { decrement: 1 } } : {}),
        }
      : { status: 'dead', doneAt: now };
  const { count } = await db.prisma.job.updateMany({
    where: { id, leaseOwner: owner, status: 'running' },
    data: { ...next, lastError: outcome.error.slice(0, 4000), leaseOwner: null, leaseUntil: null, updatedAt: now },
  });
  return count === 1;
}

/**
 * Extends every lease `owner` holds to `until` (the worker is alive and still running them):
 * leases can then be short, so that the jobs of a worker that died are taken over soon.
 */
export async function renewLeases(db: Database, owner: string, until: Date): Promise<number> {
  const { count } = await db.prisma.job.updateMany({ where: { leaseOwner: owner, status: 'running' }, data: { leaseUntil: until } });
  return count;
}

/**
 * Hands back every lease `owner` still holds, due at once. Uncounted by default (graceful
 * shutdown: the jobs were claimed but their attempt is given back); `countAttempt` keeps
 * the attempt (the owner died while running them: one of them may be what killed it).
 */
export async function releaseLeases(db: Database, owner: string, opts: { countAttempt?: boolean; now?: Date } = {}): Promise<number> {
  const { count } = await db.prisma.job.updateMany({
    where: { leaseOwner: owner, status: 'running' },
    data: {
      status: 'pending',
      leaseOwner: null,
      leaseUntil: null,
      ...(opts.now ? { runAt: opts.now } : {}),
      ...(opts.countAttempt ? {} : { attempts: { decrement: 1 } }),
    },
  });
  return count;
}

export interface QueueStats {
  pending: number;
  running: number;
  dead: number;
  /** How long the oldest due pending job has waited past its runAt (0 when none). */
  oldestDueLagMs: number;
  /** Inbox rows (acked requests) not yet done: pending or running. */
  inbox: number;
  /** Age of the oldest of them since it was acked (0 when none). */
  inboxOldestMs: number;
}

/** `inboxKinds`: the kinds that are acked requests (platforms/inbox.ts). */
export async function queueStats(db: Database, now: Date, inboxKinds: readonly string[] = []): Promise<QueueStats> {
  const count = (status: JobStatus) => db.prisma.job.count({ where: { status } });
  const open = { status: { in: ['pending', 'running'] }, kind: { in: [...inboxKinds] } };
  const [pending, running, dead, oldest, inbox, oldestInbox] = await Promise.all([
    count('pending'),
    count('running'),
    count('dead'),
    db.prisma.job.findFirst({
      where: { status: 'pending', runAt: { lte: now } },
      orderBy: { runAt: 'asc' },
      select: { runAt: true },
    }),
    db.prisma.job.count({ where: open }),
    db.prisma.job.findFirst({ where: open, orderBy: { createdAt: 'asc' }, select: { createdAt: true } }),
  ]);
  return {
    pending,
    running,
    dead,
    oldestDueLagMs: oldest ? Math.max(0, now.getTime() - oldest.runAt.getTime()) : 0,
    inbox,
    inboxOldestMs: oldestInbox ? Math.max(0, now.getTime() - oldestInbox.createdAt.getTime()) : 0,
  };
}

export interface JobFilter {
  status?: JobStatus;
  kind?: string;
  idempotencyKey?: string;
  limit?: number;
}

/** For admin views and tests: newest runAt last. */
export async function listJobs(db: Database, filter: JobFilter = {}): Promise<Job[]> {
  return db.prisma.job.findMany({
    where: { status: filter.status, kind: filter.kind, idempotencyKey: filter.idempotencyKey },
    orderBy: [{ runAt: 'asc' }, { id: 'asc' }],
    take: filter.limit ?? 1000,
  });
}

/** Admin: give a dead job a fresh set of attempts, due at `now`. */
export async function reviveDeadJob(db: Database, id: string, now = new Date()): Promise<boolean> {
  const { count } = await db.prisma.job.updateMany({
    where: { id, status: 'dead' },
    data: { status: 'pending', attempts: 0, runAt: now, doneAt: null, updatedAt: now },
  });
  return count === 1;
}

/**
 * Deletes done jobs finished before `before`. Their idempotency keys go with them, so keep
 * them longer than any duplicate could arrive (days, not minutes).
 */
export async function purgeDoneJobs(db: Database, before: Date): Promise<number> {
  const { count } = await db.prisma.job.deleteMany({ where: { status: 'done', doneAt: { lt: before } } });
  return count;
}
