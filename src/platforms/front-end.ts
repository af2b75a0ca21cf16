// What every chat front end gets from main: the running org, the services the commands
// use, a logger and the metrics. And the checks each adapter runs before any work.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Platform, Services } from '../chat/command.ts';
import type { Inbound } from '../chat/dispatch.ts';
import type { Database } from '../db/client.ts';
import { createCustomerBook } from '../db/repositories/customer-book.repository.ts';
import { createCustomerStore } from '../db/repositories/customer.repository.ts';
import type { OrgDirectory, Person } from '../core/org/org.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';

export interface FrontEndDeps {
  directory: () => OrgDirectory;
  services: Services;
  logger: Logger;
  metrics: Metrics;
}

/** The services commands use, over one database connection (the main thread's or a worker thread's). */
export function createServices(db: Database, clock: () => Date): Services {
  return { db, clock, customers: createCustomerStore(db), customerBook: createCustomerBook(db) };
}

/** Requests signed more than this far from now (either way) are refused: replay window. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export const MAX_BODY_BYTES = 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

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
