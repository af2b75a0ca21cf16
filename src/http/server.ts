// The one HTTP server on PORT: /slack/events, /lark/events, GET /healthz (checks the
// database) and GET /metrics (Prometheus). Each request carries a request id.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Database } from '../db/client.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';

type Listener = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface HttpRoutes {
  slack?: Listener;
  lark?: Listener;
  db: Database;
  metrics: Metrics;
  logger: Logger;
}

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
        try {
          await routes.db.ping();
          return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', database: 'ok' }));
        } catch (e) {
          logger.error({ err: e, requestId }, 'health check failed');
          return void res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', database: 'unreachable' }));
        }
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
