// Recurring work (weekly digest, nightly pool sweep, daily handover prompts): node-cron only
// enqueues a job per tick, keyed by the tick's minute in the org's time zone, so replicas
// that all tick at 09:00 enqueue it once between them and the worker does the rest. A tick
// that fell while no replica ran is made up at start-up: the latest slot of each entry is
// enqueued under the key its tick would have used, so it is a no-op when the tick happened.
import { createTask, parse, schedule, validate, type ScheduledTask } from 'node-cron';
import type { z } from 'zod';
import { instantsOf, wallClock, wallClockAsUtc as asUtc } from '../core/time/wall-clock.ts';
import type { Database } from '../db/client.ts';
import { enqueueJob } from '../db/repositories/job.repository.ts';
import type { JobDefinition } from './job-definition.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * How late a missed slot may still be made up. Shorter than the month finished jobs are kept
 * (housekeeping.job.ts): the key of a slot that did run must still be in the table, or
 * a restart would run it again.
 */
export const CATCH_UP_WINDOW_MS = 28 * DAY;

export interface RecurringEntry {
  /** Stable: it is part of the idempotency key, renaming it re-runs the current period. */
  name: string;
  /** Five fields (minute granularity); a seconds field would still enqueue once a minute. */
  cron: string;
  kind: string;
  payload?: unknown;
}

/** An entry that enqueues jobs of `definition`'s kind, with a payload its schema takes. */
export function recurringEntry<S extends z.ZodType>(
  definition: JobDefinition<string, S, never>,
  entry: { name: string; cron: string; payload: z.input<S> },
): RecurringEntry {
  return { ...entry, kind: definition.kind };
}

export interface RecurringOptions {
  db: Database;
  /** IANA zone of the org, e.g. Asia/Shanghai: both the cron fields and the keys use it. */
  timezone: string;
  entries: RecurringEntry[];
  /** Now for the start-up catch-up, and when node-cron does not say which slot fired. */
  clock?: () => Date;
  logger?: { error(obj: object, msg: string): void; info?(obj: object, msg: string): void };
}

/**
 * `2026-11-30T09:00`: the minute `date` falls in, as a wall clock in `timezone`. The same
 * scheduled tick gives the same key on every replica, whatever its own TZ setting.
 */
export function periodKey(date: Date, timezone: string): string {
  const { year, month, day, hour, minute } = wallClock(date.getTime(), timezone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}`;
}

/** A field's allowed numbers, or undefined when it holds tokens (L, 1#2) only node-cron reads. */
function numbers(field: (number | string)[]): Set<number> | undefined {
  return field.every((v) => typeof v === 'number') ? new Set(field as number[]) : undefined;
}

/**
 * The latest instant at or before `now`, no older than `windowMs`, at which node-cron would
 * fire `cron` in `timezone`; undefined when there is none. node-cron's own matcher has the
 * last word (its day-of-month AND day-of-week, its L and # tokens, its zone handling); the
 * parsed fields only say which wall-clock times to try, latest first.
 */
export function latestSlot(cron: string, timezone: string, now: Date, windowMs = CATCH_UP_WINDOW_MS): Date | undefined {
  const fields = parse(cron);
  const desc = (values: number[]) => [...values].sort((a, b) => b - a);
  const [hours, minutes, seconds] = [desc(fields.hour), desc(fields.minute), desc(fields.second)];
  const months = numbers(fields.month);
  const daysOfMonth = numbers(fields.dayOfMonth);
  const weekdays = numbers(fields.dayOfWeek);
  const matcher = createTask(cron, () => undefined, { timezone }); // never started: only match()
  try {
    const earliest = now.getTime() - windowMs;
    const today = wallClock(now.getTime(), timezone);
    // One more day than the window: its later slots may still be inside it.
    for (let back = 0; back <= Math.ceil(windowMs / DAY) + 1; back++) {
      const date = new Date(Date.UTC(today.year, today.month - 1, today.day - back));
      const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
      if (months?.has(month) === false || daysOfMonth?.has(day) === false || weekdays?.has(date.getUTCDay()) === false) continue;
      for (const hour of hours) {
        for (const minute of minutes) {
          for (const second of seconds) {
            const w = { year, month, day, hour, minute, second };
            // Surely later today (a fall-back hour shows earlier wall times again: a margin).
            if (back === 0 && asUtc(w) > asUtc(today) + 3 * 3600_000) continue;
            const at = instantsOf(w, timezone)
              .filter((t) => t <= now.getTime())
              .pop();
            if (at === undefined) continue;
            if (at < earliest) return undefined;
            if (matcher.match(new Date(at))) return new Date(at);
          }
        }
      }
    }
    return undefined;
  } finally {
    void matcher.destroy();
  }
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

/**
 * Start-up: enqueues the latest slot of each entry (within CATCH_UP_WINDOW_MS) under the key
 * its tick would have used. Only the latest: a daily job missed for three nights runs once.
 * Resolves with the entries whose slot was missing, i.e. really enqueued now.
 */
export async function catchUpRecurring(opts: RecurringOptions): Promise<Array<{ name: string; slot: Date }>> {
  const now = (opts.clock ?? (() => new Date()))();
  const enqueued: Array<{ name: string; slot: Date }> = [];
  for (const entry of opts.entries) {
    const slot = latestSlot(entry.cron, opts.timezone, now);
    if (slot && (await enqueueRecurring(opts.db, entry, slot, opts.timezone))) {
      enqueued.push({ name: entry.name, slot });
      opts.logger?.info?.({ recurring: entry.name, slot: periodKey(slot, opts.timezone) }, 'enqueued a recurring job missed while kehu was not running');
    }
  }
  return enqueued;
}

export type StopRecurring = (() => Promise<void>) & {
  /** The start-up catch-up (catchUpRecurring): what it enqueued; [] when it failed (logged). */
  caughtUp: Promise<Array<{ name: string; slot: Date }>>;
};

/**
 * Starts one cron task per entry and, beside them, the catch-up of slots missed while no
 * replica ran; the returned function stops them all (after the catch-up has finished).
 */
export function scheduleRecurring(opts: RecurringOptions): StopRecurring {
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

  const caughtUp = catchUpRecurring(opts).catch((error: unknown) => {
    opts.logger?.error({ error: String(error) }, 'could not enqueue the recurring jobs missed while kehu was not running');
    return [];
  });

  const stop = async () => {
    for (const task of tasks) await task.destroy();
    await caughtUp; // it writes to the database the caller is about to close
  };
  return Object.assign(stop, { caughtUp });
}
