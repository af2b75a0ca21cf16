// What every chat front end gets from main: the running org, the services the commands
// use, a logger and the metrics. And the checks each adapter runs before any work.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Platform, Services } from '../chat/command.ts';
import type { Inbound } from '../chat/dispatch.ts';
import type { Database } from '../db/client.ts';
import { HttpError } from '../http/http-error.ts';
import { createContestStore } from '../db/repositories/contest.repository.ts';
import { createCustomerBook } from '../db/repositories/customer-book.repository.ts';
import { createExtensionStore } from '../db/repositories/extension-request.repository.ts';
import { createCustomerStore } from '../db/repositories/customer.repository.ts';
import type { OrgDirectory, Person } from '../core/org/org.ts';
import type { InboxWriter } from '../db/repositories/inbox.repository.ts';
import type { ChatThread } from './chat-thread.ts';
import { acceptDelivery, SYNC_ANSWER_MS, type Delivery } from './inbox.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';

export interface FrontEndDeps {
  directory: () => OrgDirectory;
  services: Services;
  /** For the adapters' own tables (chat identities); the commands get services only. */
  db: Database;
  logger: Logger;
  metrics: Metrics;
}

/** The services commands use, over one database connection (the main thread's or a worker thread's). */
export function createServices(db: Database, clock: () => Date): Services {
  return { clock, customers: createCustomerStore(db), contests: createContestStore(db), extensions: createExtensionStore(db), customerBook: createCustomerBook(db) };
}

/** Requests signed more than this far from now (either way) are refused: replay window. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export const MAX_BODY_BYTES = 1024 * 1024;

export { HttpError };

/** Reads the whole body, refusing more than MAX_BODY_BYTES with 413. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function withinClockSkew(timestampSeconds: number, now: Date): boolean {
  return Number.isFinite(timestampSeconds) && Math.abs(now.getTime() / 1000 - timestampSeconds) <= MAX_CLOCK_SKEW_SECONDS;
}

/** JSON.parse that answers undefined instead of throwing (payload fields from outside). */
export function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/** What the chat layer gets for one message or click: the sender and a fresh request id. */
export function inboundFor(deps: FrontEndDeps, platform: Platform, sender: { person?: Person; who: string }): Inbound {
  const requestId = randomUUID();
  return {
    directory: deps.directory(),
    person: sender.person,
    who: sender.who,
    platform,
    services: deps.services,
    requestId,
    logger: deps.logger.child({ requestId, platform }),
  };
}

/** What a front end needs to take a delivery in: the inbox it writes to and the thread it wakes. */
export interface InboxDeps {
  inbox: InboxWriter;
  thread: ChatThread;
}

/**
 * The front ends' one way to take a delivery in: write it to the inbox, count it, drop a
 * repeat, wake the chat thread — or, for a delivery whose answer rides in the response, run
 * it at once and return what it answered within the bound. Null: not stored (do not ack; the
 * platform delivers it again).
 */
export async function receive(
  deps: FrontEndDeps & InboxDeps,
  d: Delivery & { kind: string; log: Logger },
): Promise<{ answer?: unknown } | null> {
  const { metrics, services, thread } = deps;
  let accepted;
  try {
    accepted = await acceptDelivery(deps.inbox, d, services.clock());
  } catch (e) {
    metrics.refused.inc({ platform: d.platform });
    d.log.error({ err: e }, 'could not write a delivery to the inbox: not acked (the platform delivers it again)');
    return null;
  }
  metrics.acks.inc({ platform: d.platform, kind: d.kind });
  if (!accepted.fresh) {
    metrics.duplicates.inc({ platform: d.platform });
    d.log.info({ eventId: d.deliveryId, platform: d.platform }, 'duplicate event dropped');
    return {};
  }
  if (!d.sync) {
    thread.wake();
    return {};
  }
  return { answer: await thread.answer(accepted.id, SYNC_ANSWER_MS) };
}

/** How often a platform's reachability is checked. */
export const REACHABILITY_CHECK_MS = 30_000;

/**
 * Whether a platform answers: `probe` resolves true or false (a throw is false), run at
 * start() and every REACHABILITY_CHECK_MS, mirrored in kehu_platform_up. Down until the
 * first probe answers.
 */
export function reachability(metrics: Metrics, platform: 'slack' | 'lark', probe: () => Promise<boolean>, log: Logger) {
  let up = false;
  let timer: NodeJS.Timeout | undefined;
  const mark = (answered: boolean) => {
    if (up && !answered) log.warn({ platform }, 'the platform does not answer');
    up = answered;
    metrics.platformUp.set({ platform }, answered ? 1 : 0);
  };
  mark(false);
  const check = async () => mark(await probe().catch(() => false));
  return {
    reachable: () => up,
    mark,
    start() {
      void check();
      timer = setInterval(() => void check(), REACHABILITY_CHECK_MS).unref();
    },
    stop: () => clearInterval(timer),
  };
}
