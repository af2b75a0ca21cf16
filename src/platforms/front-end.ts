// The front door's common parts (main thread): what each front end gets, the checks each
// adapter runs before anything is stored, and receive(), the one way a delivery is taken
// in. Nothing here loads the database layer: the work is the back office's (back-office.ts).
import type { IncomingMessage } from 'node:http';
import { HttpError } from '../http/http-error.ts';
import type { InboxWriter } from '../db/repositories/inbox.repository.ts';
import { acceptDelivery, SYNC_ANSWER_MS, type Delivery } from './inbox.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';

/** Where the front door hands what it stored: the back office (in the work thread). */
export interface Office {
  /** An inbox row is waiting. */
  wake(): void;
  /** Runs this row at once; resolves with the answer its handler gave within `ms`, else undefined. */
  answer(jobId: string, ms: number): Promise<unknown>;
}

export interface FrontDoorDeps {
  clock: () => Date;
  logger: Logger;
  metrics: Metrics;
  inbox: InboxWriter;
  office: Office;
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
export { safeParseJson as safeJson } from '../chat/json.ts';

/**
 * The front ends' one way to take a delivery in: write it to the inbox, count it, drop a
 * repeat, wake the back office — or, for a delivery whose answer rides in the response, run
 * it at once and return what it answered within the bound. Null: not stored (do not ack; the
 * platform delivers it again). `fresh`: a delivery not seen before (a repeat is dropped).
 */
export async function receive(
  deps: FrontDoorDeps,
  d: Delivery & { kind: string; log: Logger },
): Promise<{ answer?: unknown; fresh?: boolean } | null> {
  const { metrics, office } = deps;
  let accepted;
  try {
    accepted = await acceptDelivery(deps.inbox, d, deps.clock());
  } catch (e) {
    metrics.refused.inc({ platform: d.platform });
    d.log.error({ err: e }, 'could not write a delivery to the inbox: not acked (the platform delivers it again)');
    return null;
  }
  metrics.acks.inc({ platform: d.platform, kind: d.kind });
  if (!accepted.fresh) {
    metrics.duplicates.inc({ platform: d.platform });
    d.log.info({ eventId: d.deliveryId, platform: d.platform }, 'duplicate event dropped');
    return { fresh: false };
  }
  if (!d.sync) {
    office.wake();
    return { fresh: true };
  }
  return { answer: await office.answer(accepted.id, SYNC_ANSWER_MS) };
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
