// A job kind as data: its name, a zod schema for its payload and a handler typed by it
// (documenso's jobs/definitions). The payload is checked when the job runs: one that fails
// is a dead job whose error says what is wrong, never a handler guessing at a shape.
// Handlers take what they need as a third argument, so the definitions are plain data
// that any thread can import and turn into the worker's handlers with jobHandlers().
import { z } from 'zod';
import type { Tx } from '../db/client.ts';
import { enqueueJob, type NewJob } from '../db/repositories/job.repository.ts';
import { PermanentJobError } from './errors.ts';
import type { JobContext, JobHandler } from './worker.ts';

export interface JobDefinition<K extends string, S extends z.ZodType, D> {
  readonly kind: K;
  readonly schema: S;
  /** Runs one job whose payload passed `schema`; what it resolves to goes to a runNow caller. */
  readonly handler: (payload: z.output<S>, job: JobContext, deps: D) => Promise<unknown>;
}

// `any` deps: a list of definitions each wanting its own dependencies.
export type AnyJobDefinition = JobDefinition<string, z.ZodType, any>;

/** Infers the kind's literal type and the payload's type for the handler. */
export function defineJob<const K extends string, S extends z.ZodType, D>(definition: JobDefinition<K, S, D>): JobDefinition<K, S, D> {
  return definition;
}

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** Everything the handlers of `Defs` need, together. */
export type JobDepsOf<Defs extends readonly AnyJobDefinition[]> = UnionToIntersection<
  { [I in keyof Defs]: Defs[I] extends JobDefinition<string, z.ZodType, infer D> ? D : never }[number]
>;

export type JobKindOf<Defs extends readonly AnyJobDefinition[]> = Defs[number]['kind'];

/** The payload `definition` takes, checked before its handler runs. */
export function parsePayload<S extends z.ZodType>(definition: JobDefinition<string, S, never>, raw: unknown): z.output<S> {
  const parsed = definition.schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new PermanentJobError(`the payload of a "${definition.kind}" job is invalid: ${z.prettifyError(parsed.error)}`, { code: 'invalid_payload' });
}

/** The worker's handlers for `definitions`, keyed by kind, each checking its payload first. */
export function jobHandlers<const Defs extends readonly AnyJobDefinition[]>(definitions: Defs, deps: JobDepsOf<Defs>): Record<JobKindOf<Defs>, JobHandler> {
  const handlers: Record<string, JobHandler> = {};
  for (const definition of definitions) {
    if (Object.hasOwn(handlers, definition.kind)) throw new Error(`job kind "${definition.kind}" is defined twice`);
    handlers[definition.kind] = (raw, job) => definition.handler(parsePayload(definition, raw), job, deps);
  }
  return handlers;
}

/** Adds a job of `definition`'s kind in `tx` (outbox); false when its idempotency key exists. */
export function enqueue<S extends z.ZodType>(
  tx: Tx,
  definition: JobDefinition<string, S, never>,
  job: Omit<NewJob, 'kind' | 'payload'> & { payload: z.input<S> },
): Promise<boolean> {
  return enqueueJob(tx, { ...job, kind: definition.kind });
}
