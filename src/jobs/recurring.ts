// Recurring work (weekly digest, nightly pool sweep, daily handover prompts): node-cron only
// enqueues a job per tick, keyed by the tick's minute in the org's time zone, so replicas
// that all tick at 09:00 enqueue it once between them and the worker does the rest.
import { schedule, validate, type ScheduledTask } from 'node-cron';
import type { Database } from '../db/client.ts';
import { enqueueJob } from './job.repository.ts';

export interface RecurringEntry {
  /** Stable: it is part of the idempotency key, renaming it re-runs the current period. */
  name: string;
  /** Five fields (minute granularity); a seconds field would still enqueue once a minute. */
  cron: string;
  kind: string;
  payload?: unknown;
}

export interface RecurringOptions {
  db: Database;
  /** IANA zone of the org, e.g. Asia/Shanghai: both the cron fields and the keys use it. */
  timezone: string;
  entries: RecurringEntry[];
  /** Only used when node-cron does not say which slot fired. */
  clock?: () => Date;
  logger?: { error(obj: object, msg: string): void };
}

/**
 * `2026-11-30T09:00`: the minute `date` falls in, as a wall clock in `timezone`. The same
 * scheduled tick gives the same key on every replica, whatever its own TZ setting.
 */
export function periodKey(date: Date, timezone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** What a tick does; exported so that tests (and a manual "run now") need not wait for cron. */
export async function enqueueRecurring(
  db: Database,
  entry: RecurringEntry,
  scheduledAt: Date,
  timezone: string,
): Promise<boolean> {
  return enqueueJob(db.prisma, {
    kind: entry.kind,
    payload: entry.payload ?? null,
    runAt: scheduledAt,
    idempotencyKey: `${entry.name}:${periodKey(scheduledAt, timezone)}`,
  });
}

/** Starts one cron task per entry; the returned function stops them all. */
export function scheduleRecurring(opts: RecurringOptions): () => Promise<void> {
  const { db, timezone, entries } = opts;
  const clock = opts.clock ?? (() => new Date());
  periodKey(new Date(0), timezone); // throws RangeError on an unknown zone, before anything starts
  const names = new Set<string>();
  for (const entry of entries) {
    if (names.has(entry.name)) throw new Error(`recurring job "${entry.name}" is listed twice`);
    names.add(entry.name);
    if (!validate(entry.cron)) throw new Error(`recurring job "${entry.name}": invalid cron expression "${entry.cron}"`);
  }

  const tasks: ScheduledTask[] = entries.map((entry) =>
    schedule(
      entry.cron,
      async (context) => {
        // context.date is the slot that matched, not when the timer woke: a late tick keeps its key.
        const scheduledAt = context?.date ?? clock();
        try {
          await enqueueRecurring(db, entry, scheduledAt, timezone);
        } catch (error) {
          opts.logger?.error({ recurring: entry.name, error: String(error) }, 'could not enqueue recurring job');
        }
      },
      { timezone, name: `kehu:${entry.name}`, noOverlap: true },
    ),
  );

  return async () => {
    for (const task of tasks) await task.destroy();
  };
}
