// What every chat front end gets from main: the running org, the services the commands
// use, a logger and the metrics. And the checks each adapter runs before any work.
import type { IncomingMessage } from 'node:http';
import type { Services } from '../chat/command.ts';
import type { OrgDirectory } from '../core/org/org.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';

export interface FrontEndDeps {
  directory: () => OrgDirectory;
  services: Services;
  logger: Logger;
  metrics: Metrics;
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
