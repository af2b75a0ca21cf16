// The durable inbox. Whatever a front end acknowledges — a Slack command, click or event
// over HTTP or Socket Mode, a Lark message or card callback over HTTP or the long
// connection — is first written to the database as a job (`inbox.slack` / `inbox.lark`),
// keyed by the platform's delivery id so that a retry or a second replica finds its row
// and is dropped; only then is it acked. The work thread's inbox worker processes the rows
// with the queue's leases and retries, so a crash after the ack loses nothing: on restart,
// or on another replica, the row is still there.
//
// Answers that must travel in the platform's response (a Lark card callback's toast and
// card, a Slack modal's validation errors) take one bounded synchronous path: the row is
// written due a little later than the bound, the thread is asked to run it at once, and
// whatever the handler answers within the bound goes back in the response. Past the bound
// the front end answers safely and the handler delivers its result another way.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { InboxWriter } from '../db/repositories/inbox.repository.ts';

export const INBOX_KINDS = { slack: 'inbox.slack', lark: 'inbox.lark' } as const;
export type InboxPlatform = keyof typeof INBOX_KINDS;

/** An acked request is worth retrying for about half an hour (a response_url lasts 30 minutes). */
export const INBOX_MAX_ATTEMPTS = 8;

/** Before retry `attempt` of an inbox row: 15 s, 30 s, 1, 2, 4, 8, 10 min (about 26 min in all). */
export function inboxBackoff(attempt: number): number {
  return Math.min(600_000, 15_000 * 2 ** Math.max(0, attempt - 1));
}
/** How long a front end waits for an answer that must ride in the response (Slack and Lark allow 3 s). */
export const SYNC_ANSWER_MS = 2_500;

export interface Delivery {
  platform: InboxPlatform;
  /** The platform's id for this delivery (event_id, trigger_id, envelope id); retries repeat it. */
  deliveryId?: string;
  payload: unknown;
  /** The answer must ride in the response: written due after the bound, run at once by `answer`. */
  sync?: boolean;
}

export interface Accepted {
  id: string;
  /** False: this delivery id was seen before (a retry, another replica): nothing to do. */
  fresh: boolean;
}

/** Writes the delivery; throws when the database cannot take it (then do not ack: the platform retries). */
export async function acceptDelivery(inbox: InboxWriter, d: Delivery, now: Date): Promise<Accepted> {
  const id = randomUUID();
  const fresh = await inbox.insert({
    id,
    kind: INBOX_KINDS[d.platform],
    payload: JSON.stringify(d.payload),
    runAt: d.sync ? new Date(now.getTime() + SYNC_ANSWER_MS + 1_000) : now,
    idempotencyKey: `${INBOX_KINDS[d.platform]}:${d.deliveryId ?? id}`,
    maxAttempts: INBOX_MAX_ATTEMPTS,
  });
  return { id, fresh };
}

/** Slack's id for a delivery: the event id for events, else the trigger id of a command or click. */
export function slackDeliveryId(body: Record<string, unknown>): string | undefined {
  for (const field of ['event_id', 'trigger_id'] as const) {
    if (typeof body[field] === 'string' && body[field]) return body[field];
  }
  return undefined;
}

/** Slack payloads whose answer rides in the HTTP response (modal validation, select options). */
export function slackNeedsAnswer(body: Record<string, unknown>): boolean {
  return body.type === 'view_submission' || body.type === 'block_suggestion';
}

/**
 * Inside a handler run through the synchronous path: hands `body` to the waiting front
 * end. Resolves false when nobody waits any more (past the bound, or the row was not run
 * through the synchronous path): the handler then delivers its result another way.
 */
export type AnswerFn = (body: unknown) => Promise<boolean>;

const answerScope = new AsyncLocalStorage<AnswerFn>();

/** Runs `work` with `answer` as the answer function of everything it calls. */
export function withAnswer<T>(answer: AnswerFn, work: () => Promise<T>): Promise<T> {
  return answerScope.run(answer, work);
}

/** The answer function of the job being run (false for everyone outside the synchronous path). */
export function answerInResponse(body: unknown): Promise<boolean> {
  const answer = answerScope.getStore();
  return answer ? answer(body) : Promise.resolve(false);
}
