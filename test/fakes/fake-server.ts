// What the fake platform servers share: an HTTP server on 127.0.0.1 with a free port,
// body reading, JSON answers, a queue of programmed failures per API method, and the
// requests a fake holds without answering.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeServer {
  server: Server;
  /** http://127.0.0.1:PORT (no trailing slash) */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startFakeServer(
  handler: (req: IncomingMessage, res: ServerResponse, raw: Buffer) => Promise<void> | void,
): Promise<FakeServer> {
  const server = createServer((req, res) => {
    readRaw(req)
      .then((raw) => handler(req, res, raw))
      .catch((e: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: `fake server failed: ${(e as Error).message}` });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}

/** The Bearer token of a request, if any. */
export function bearerOf(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  return typeof h === 'string' && /^Bearer /i.test(h) ? h.slice(7) : undefined;
}

/**
 * Failures programmed per method: each call of that method takes the next one, if any — or,
 * for a failure given a `when`, only a call whose parameters it accepts (one person's DM).
 */
export class FailureQueue<F> {
  private readonly queued = new Map<string, { failure: F; when?: (params: Record<string, unknown>) => boolean }[]>();

  add(method: string, failure: F, times = 1, when?: (params: Record<string, unknown>) => boolean): void {
    const list = this.queued.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push({ failure, when });
    this.queued.set(method, list);
  }

  take(method: string, params: Record<string, unknown> = {}): F | undefined {
    const list = this.queued.get(method);
    const at = list?.findIndex((q) => !q.when || q.when(params)) ?? -1;
    return at < 0 ? undefined : list!.splice(at, 1)[0]!.failure;
  }

  clear(): void {
    this.queued.clear();
  }
}

/** Requests read and never answered (a platform that hangs), until dropped or the connection closes. */
export class HeldRequests {
  private readonly held = new Set<ServerResponse>();

  get size(): number {
    return this.held.size;
  }

  hold(res: ServerResponse): void {
    this.held.add(res);
    res.on('close', () => this.held.delete(res));
  }

  /** Closes their connections: the client sees a reset socket, as when the platform gives up. */
  dropAll(): void {
    for (const res of this.held) res.destroy();
    this.held.clear();
  }
}
