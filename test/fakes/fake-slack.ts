// A fake Slack for tests, on 127.0.0.1: the Web API methods kehu calls (POST /api/<method>,
// form-encoded or JSON, recorded with their token), the targets of slash-command
// response_urls (POST /response/<id>), programmable failures (429 + Retry-After, ok:false),
// and a Socket Mode WebSocket (/socket) that greets with `hello`, lets a test push an
// envelope and await the app's ack. Point Bolt at it with clientOptions.slackApiUrl = apiUrl.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { WebSocketServer, type WebSocket } from 'ws';
import { waitFor, type WaitOptions } from '../support/wait-for.ts';
import { bearerOf, FailureQueue, sendJson, startFakeServer } from './fake-server.ts';

export interface SlackCall {
  method: string;
  /** Form or JSON fields; `blocks`, `view`, `attachments` are decoded from their JSON strings. */
  params: Record<string, unknown>;
  token?: string;
  /** Answered with a programmed failure instead of success. */
  failed: boolean;
  at: number;
}

export interface SlackResponsePost {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

export interface SlackUser {
  email?: string;
  name?: string;
  locale?: string;
}

export type SlackFailure =
  /** HTTP 429 with Retry-After: seconds */
  | { rateLimited: number }
  /** HTTP 200 with { ok: false, error } */
  | { error: string }
  /** Any other HTTP status, empty body */
  | { status: number };

export interface SocketEnvelope {
  envelope_id: string;
  type: 'slash_commands' | 'events_api' | 'interactive' | string;
  payload: Record<string, unknown>;
  accepts_response_payload?: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface FakeSlack {
  /** http://127.0.0.1:PORT */
  url: string;
  /** What SLACK_API_URL / slackApiUrl should be (with the trailing slash). */
  apiUrl: string;
  /** Every Web API call, in order (failed ones too, marked). */
  calls: SlackCall[];
  /** Everything posted to a response_url. */
  responses: SlackResponsePost[];
  users: Map<string, SlackUser>;
  /** A fresh response_url on this fake. */
  responseUrl(id?: string): string;
  /** Successful calls of one method. */
  callsOf(method: string): SlackCall[];
  /** The next `times` calls of `method` fail this way. */
  failNext(method: string, failure: SlackFailure, times?: number): void;
  waitForCall(method: string, match?: (c: SlackCall) => boolean, options?: WaitOptions): Promise<SlackCall>;
  waitForResponse(match?: (r: SlackResponsePost) => boolean, options?: WaitOptions): Promise<SlackResponsePost>;
  socket: FakeSocketMode;
  /** Forget recorded calls and responses (keeps users). */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeSocketMode {
  /** ws://127.0.0.1:PORT/socket */
  url: string;
  /** Open connections. */
  readonly connections: number;
  /** Every ack the app sent, in order. */
  acks: SocketAck[];
  waitForConnection(options?: WaitOptions): Promise<void>;
  /** Sends an envelope to the newest connection and resolves with the app's ack. */
  push(envelope: Omit<SocketEnvelope, 'envelope_id'> & { envelope_id?: string }, options?: WaitOptions): Promise<SocketAck>;
}

const JSON_FIELDS = new Set(['blocks', 'view', 'attachments', 'metadata', 'user_ids']);
export const FAKE_TEAM_ID = 'T0KEHUTEST';
export const FAKE_BOT_USER_ID = 'U0KEHUBOT';

export async function startFakeSlack(options: { users?: Record<string, SlackUser> } = {}): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const responses: SlackResponsePost[] = [];
  const users = new Map<string, SlackUser>(Object.entries(options.users ?? {}));
  const failures = new FailureQueue<SlackFailure>();
  let seq = 0;
  const next = () => ++seq;

  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();
  const acks: SocketAck[] = [];

  const api = (method: string, params: Record<string, unknown>): Record<string, unknown> => {
    switch (method) {
      case 'auth.test':
        return { url: 'https://kehu-test.slack.com/', team: 'kehu test', user: 'kehu', team_id: FAKE_TEAM_ID, user_id: FAKE_BOT_USER_ID, bot_id: 'B0KEHUBOT' };
      case 'chat.postMessage': {
        const channel = String(params.channel ?? '');
        return { channel: /^[UW]/.test(channel) ? `D${channel.slice(1)}` : channel, ts: `${Math.floor(Date.now() / 1000)}.${String(next()).padStart(6, '0')}`, message: { text: params.text, blocks: params.blocks } };
      }
      case 'views.publish':
      case 'views.open':
        return { view: { id: `V${next()}`, ...(params.view as object) } };
      case 'users.info': {
        const id = String(params.user ?? '');
        const u = users.get(id);
        if (!u) return { ok: false, error: 'user_not_found' };
        return { user: { id, team_id: FAKE_TEAM_ID, name: u.name ?? id, locale: u.locale, profile: { email: u.email, real_name: u.name } } };
      }
      case 'users.lookupByEmail': {
        const email = String(params.email ?? '').toLowerCase();
        const hit = [...users].find(([, u]) => u.email?.toLowerCase() === email);
        if (!hit) return { ok: false, error: 'users_not_found' };
        return { user: { id: hit[0], team_id: FAKE_TEAM_ID, name: hit[1].name ?? hit[0], profile: { email: hit[1].email } } };
      }
      case 'conversations.open': {
        const first = String(params.users ?? '').split(',')[0] ?? '';
        return { channel: { id: `D${first.slice(1) || next()}` } };
      }
      case 'apps.connections.open':
        return { url: socketUrl };
      default:
        return {};
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (req.method === 'POST' && path.startsWith('/response/')) {
      const text = raw.toString('utf8');
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        body = { raw: text };
      }
      responses.push({ id: decodeURIComponent(path.slice('/response/'.length)), body, at: Date.now() });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    // For a fake running in another process (benchmarks): how much it has seen.
    if (req.method === 'GET' && path === '/_fake/stats') return sendJson(res, 200, { calls: calls.length, responses: responses.length });
    if (req.method !== 'POST' || !path.startsWith('/api/')) return sendJson(res, 404, { ok: false, error: 'unknown_method' });
    const method = path.slice('/api/'.length);
    const params = decodeParams(req.headers['content-type'], raw.toString('utf8'));
    const token = bearerOf(req) ?? (typeof params.token === 'string' ? params.token : undefined);
    delete params.token;
    const failure = failures.take(method);
    calls.push({ method, params, token, failed: failure !== undefined, at: Date.now() });
    if (!token) return sendJson(res, 200, { ok: false, error: 'not_authed' });
    if (failure && 'rateLimited' in failure) return sendJson(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.rateLimited) });
    if (failure && 'error' in failure) return sendJson(res, 200, { ok: false, error: failure.error });
    if (failure) return void res.writeHead(failure.status).end();
    const body = api(method, params);
    sendJson(res, 200, { ok: true, ...body });
  };

  const fake = await startFakeServer(handle);
  const socketUrl = `ws://127.0.0.1:${fake.port}/socket`;

  fake.server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://fake').pathname !== '/socket') return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        try {
          const msg = JSON.parse(String(data)) as SocketAck;
          if (typeof msg.envelope_id === 'string') acks.push(msg);
        } catch {
          // Not JSON: nothing a real Slack would do with it either.
        }
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: sockets.size, debug_info: { host: 'fake-slack', approximate_connection_time: 3600 }, connection_info: { app_id: 'A0KEHUTEST' } }));
    });
  });

  const socket: FakeSocketMode = {
    url: socketUrl,
    get connections() {
      return sockets.size;
    },
    acks,
    async waitForConnection(options) {
      await waitFor(() => sockets.size > 0, { what: 'a Socket Mode connection', ...options });
    },
    async push(envelope, options) {
      const ws = [...sockets].at(-1);
      if (!ws) throw new Error('fake Slack: no Socket Mode connection to push to');
      const envelope_id = envelope.envelope_id ?? `env-${next()}`;
      const seen = acks.length;
      ws.send(JSON.stringify({ accepts_response_payload: false, ...envelope, envelope_id }));
      return waitFor(() => acks.slice(seen).find((a) => a.envelope_id === envelope_id), { what: `ack of envelope ${envelope_id}`, ...options });
    },
  };

  return {
    url: fake.url,
    apiUrl: `${fake.url}/api/`,
    calls,
    responses,
    users,
    responseUrl: (id = `r${next()}`) => `${fake.url}/response/${encodeURIComponent(id)}`,
    callsOf: (method) => calls.filter((c) => c.method === method && !c.failed),
    failNext: (method, failure, times = 1) => failures.add(method, failure, times),
    waitForCall: (method, match = () => true, options) =>
      waitFor(() => calls.find((c) => c.method === method && !c.failed && match(c)), { what: `a ${method} call`, ...options }),
    waitForResponse: (match = () => true, options) => waitFor(() => responses.find(match), { what: 'a response_url post', ...options }),
    socket,
    reset() {
      calls.length = 0;
      responses.length = 0;
      acks.length = 0;
      failures.clear();
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await fake.close();
    },
  };
}

function decodeParams(contentType: string | undefined, text: string): Record<string, unknown> {
  let params: Record<string, unknown>;
  if (contentType?.startsWith('application/json')) {
    params = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } else {
    params = { ...parseQuery(text) };
  }
  for (const key of Object.keys(params)) {
    const v = params[key];
    if (JSON_FIELDS.has(key) && typeof v === 'string' && /^[[{]/.test(v)) params[key] = JSON.parse(v);
  }
  return params;
}
