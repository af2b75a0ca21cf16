// The one HTTP server on PORT: /slack/events, /lark/events, GET /healthz and GET /metrics
// (Prometheus). Each request carries a request id. /metrics answers from memory; /healthz
// answers within HEALTH_TIMEOUT_MS whatever the database does: 503 with the reason when
// the database does not answer or cannot be written, 200 "degraded" when acked requests
// wait too long or a platform does not answer, else 200 "ok" — with `warnings` an admin
// should see (a year the holiday calendar does not know yet).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { withTimeout } from '../jobs/with-timeout.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';

type Listener = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface HttpRoutes {
  slack?: Listener;
  lark?: Listener;
  /** Writes this replica's heartbeat row (the front door's own connection). */
  heartbeat: () => Promise<void>;
  metrics: Metrics;
  logger: Logger;
  /** Each configured platform: did it answer its last check? */
  platforms?: () => Record<string, boolean>;
  /** What an admin should know without the service being degraded (a holiday calendar without next year's data). */
  warnings?: () => string[];
}

/** The longest /healthz takes to answer. */
export const HEALTH_TIMEOUT_MS = 900;
/** An acked request still waiting after this makes the service "degraded". */
export const INBOX_DEGRADED_MS = 60_000;

export function createHttpServer(routes: HttpRoutes): Server {
  const { metrics, logger } = routes;
  const server = createServer(async (req, res) => {
    const requestId = typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'].slice(0, 100) : randomUUID();
    res.setHeader('x-request-id', requestId);
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = ['/slack/events', '/lark/events', '/healthz', '/metrics'].includes(path) ? path : 'other';
    res.once('finish', () => metrics.requests.inc({ route, status: String(res.statusCode) }));
    try {
      if (path === '/slack/events' || path === '/lark/events') {
        const listener = path === '/slack/events' ? routes.slack : routes.lark;
        if (!listener) return void res.writeHead(404).end();
        if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
        return await listener(req, res);
      }
      if (path === '/healthz' && req.method === 'GET') {
        const report = await health(routes);
        if (report.status === 'error') logger.error({ requestId, ...report }, 'health check failed');
        return void res.writeHead(report.status === 'error' ? 503 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(report));
      }
      if (path === '/metrics' && req.method === 'GET') {
        const { contentType, body } = await metrics.exposition();
        return void res.writeHead(200, { 'content-type': contentType }).end(body);
      }
      res.writeHead(404).end();
    } catch (e) {
      logger.error({ err: e, requestId, path }, 'request failed');
      if (!res.headersSent) res.writeHead(500).end();
    }
  });
  // Slack and Lark keep connections alive; shutdown must not wait on idle ones.
  server.keepAliveTimeout = 5000;
  return server;
}

interface HealthReport {
  status: 'ok' | 'degraded' | 'error';
  database: 'ok' | 'unreachable';
  inbox?: { waiting: number; oldestSeconds: number };
  platforms?: Record<string, 'ok' | 'unreachable'>;
  reasons?: string[];
  warnings?: string[];
}

async function health(routes: HttpRoutes): Promise<HealthReport> {
  const reasons: string[] = [];
  let database: HealthReport['database'] = 'ok';
  try {
    // A read and a write: a frozen, locked, read-only or full database all fail here.
    await withTimeout(
      routes.heartbeat(),
      HEALTH_TIMEOUT_MS,
      () => new Error(`the database did not answer within ${HEALTH_TIMEOUT_MS} ms`),
    );
  } catch (e) {
    database = 'unreachable';
    // The driver's last line says why; a connection string in it is not for the answer.
    const why = e instanceof Error ? e.message.trim().split('\n').pop()!.replace(/\w+:\/\/\S+/g, '<url>').slice(0, 200) : String(e);
    reasons.push(`database: ${why}`);
  }
  const queue = routes.metrics.queue();
  const inbox = queue ? { waiting: queue.stats.inbox, oldestSeconds: Math.round(queue.stats.inboxOldestMs / 1000) } : undefined;
  if (queue && queue.stats.inboxOldestMs > INBOX_DEGRADED_MS) reasons.push(`inbox: a request has waited ${inbox!.oldestSeconds} s`);
  const checks = routes.platforms?.() ?? {};
  const platforms = Object.fromEntries(Object.entries(checks).map(([name, up]) => [name, up ? ('ok' as const) : ('unreachable' as const)]));
  for (const [name, state] of Object.entries(platforms)) if (state !== 'ok') reasons.push(`${name}: unreachable`);
  const status = database !== 'ok' ? 'error' : reasons.length > 0 ? 'degraded' : 'ok';
  const warnings = routes.warnings?.() ?? [];
  return { status, database, ...(inbox ? { inbox } : {}), ...(Object.keys(platforms).length ? { platforms } : {}), ...(reasons.length ? { reasons } : {}), ...(warnings.length ? { warnings } : {}) };
}
