// A fake Slack for tests, on 127.0.0.1: the Web API methods kehu calls (POST /api/<method>,
// form-encoded or JSON, recorded with their token), the targets of slash-command
// response_urls (POST /response/<id>), file uploads as files.uploadV2 makes them
// (files.getUploadURLExternal → POST to the upload URL, multipart → files.completeUploadExternal,
// the content kept), the history of each conversation as chat.postMessage wrote it (with
// metadata; conversations.open gives a user's DM a stable D… id, conversations.history reads
// it newest first), programmable failures (429 + Retry-After, ok:false, an HTTP status, a
// request held without an answer, and both of the last after the call took effect, as when
// Slack posted the message but the answer was lost), and a Socket Mode WebSocket (/socket) that greets with `hello`, lets a test push an
// envelope and await the app's ack. Point Bolt at it with clientOptions.slackApiUrl = apiUrl.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { WebSocketServer, type WebSocket } from 'ws';
import { waitFor, type WaitOptions } from '../support/wait-for.ts';
import { bearerOf, FailureQueue, HeldRequests, sendJson, startFakeServer } from './fake-server.ts';

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

/** A file as it reached a conversation: uploaded, then completed with its channel. */
export interface SlackFile {
  id: string;
  filename: string;
  /** The length announced in files.getUploadURLExternal. */
  length: number;
  title?: string;
  channel_id?: string;
  initial_comment?: string;
  content: Buffer;
  at: number;
}

/** A view as views.open / views.update / views.publish received it. */
export interface SlackView {
  id: string;
  method: 'views.open' | 'views.update' | 'views.publish';
  view: Record<string, unknown>;
  trigger_id?: string;
  user_id?: string;
  /** views.update: the external_id it named the view by. */
  external_id?: string;
  at: number;
}

export interface SlackUser {
  email?: string;
  name?: string;
  locale?: string;
}

/** A message in a conversation, as chat.postMessage stored it. */
export interface SlackMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown;
  /** `{ event_type, event_payload }` when the message was posted with metadata. */
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
  user: string;
  bot_id: string;
  /** The files shared with the message (files.completeUploadExternal with a channel). */
  files?: string[];
  /** A reply in the thread of this message's ts. */
  thread_ts?: string;
  at: number;
}

export type SlackFailure =
  /** HTTP 429 with Retry-After: seconds */
  | { rateLimited: number }
  /** HTTP 200 with { ok: false, error } */
  | { error: string }
  /** Any other HTTP status, empty body; with afterDelivery the call takes effect first (the message is posted). */
  | { status: number; afterDelivery?: boolean }
  /**
   * The request is read and never answered (until the client gives up or the fake closes);
   * with afterDelivery the call takes effect first.
   */
  | { hang: true; afterDelivery?: boolean };

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
  /** Files completed with files.completeUploadExternal, with what was uploaded. */
  files: SlackFile[];
  /**
   * Views opened, updated and published, in order. views.open takes a trigger_id once and
   * within 3 s of its issue (the first part of the id, in ms, as slack-requests' triggerId()
   * makes them): else `expired_trigger_id`, `exchanged_trigger_id`, `invalid_trigger_id`.
   */
  views: SlackView[];
  /** Every chat.update that took effect, in order (the message itself is changed in messagesIn). */
  updates: SlackMessage[];
  /** Delete a posted message (chat.update then answers message_not_found). */
  deleteMessage(channel: string, ts: string): void;
  waitForView(match?: (v: SlackView) => boolean, options?: WaitOptions): Promise<SlackView>;
  /** The DM channel id conversations.open gives for this user (and chat.postMessage posts to). */
  dmOf(userId: string): string;
  /** Messages posted in a conversation (a channel id, or a user id for their DM), oldest first. */
  messagesIn(channelOrUser: string): SlackMessage[];
  /** Requests held without an answer by a `hang` failure, still open. */
  readonly hanging: number;
  waitForFile(match?: (f: SlackFile) => boolean, options?: WaitOptions): Promise<SlackFile>;
  /** A fresh response_url on this fake. */
  responseUrl(id?: string): string;
  /** Successful calls of one method. */
  callsOf(method: string): SlackCall[];
  /** The next `times` calls of `method` fail this way (with `when`: the next ones whose parameters it accepts). */
  failNext(method: string, failure: SlackFailure, times?: number, when?: (params: Record<string, unknown>) => boolean): void;
  waitForCall(method: string, match?: (c: SlackCall) => boolean, options?: WaitOptions): Promise<SlackCall>;
  waitForResponse(match?: (r: SlackResponsePost) => boolean, options?: WaitOptions): Promise<SlackResponsePost>;
  socket: FakeSocketMode;
  /** Forget recorded calls, responses, messages and failures; drop held requests (keeps users). */
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

/** The key a message carries in its metadata (kehu's notices: the job's idempotency key), if any. */
export const messageKey = (m: SlackMessage): string | undefined => (typeof m.metadata?.event_payload?.key === 'string' ? m.metadata.event_payload.key : undefined);

/** How many times each message key matching `keep` arrived at the fake Slack in the DMs (or channels) of `where`. */
export function keyCounts(fake: Pick<FakeSlack, 'messagesIn'>, where: readonly string[], keep: (key: string) => boolean): Map<string, number> {
  const counts = new Map<string, number>();
  for (const place of where) {
    for (const m of fake.messagesIn(place)) {
      const key = messageKey(m);
      if (key && keep(key)) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

const JSON_FIELDS = new Set(['blocks', 'view', 'attachments', 'metadata', 'user_ids', 'files']);
export const FAKE_TEAM_ID = 'T0KEHUTEST';
export const FAKE_BOT_USER_ID = 'U0KEHUBOT';
export const FAKE_BOT_ID = 'B0KEHUBOT';

/**
 * `clock`: Slack's own time, for the `ts` of posted messages — a test that runs kehu on a
 * moved clock gives the same one, so that a re-run's history look-up (oldest = when the job
 * was written) finds what was posted. Real time by default.
 */
export async function startFakeSlack(options: { users?: Record<string, SlackUser>; clock?: () => number } = {}): Promise<FakeSlack> {
  const slackNow = options.clock ?? Date.now;
  const calls: SlackCall[] = [];
  const responses: SlackResponsePost[] = [];
  const files: SlackFile[] = [];
  /** Upload URLs handed out and not yet completed, by file id. */
  const uploads = new Map<string, { filename: string; length: number; content?: Buffer }>();
  const users = new Map<string, SlackUser>(Object.entries(options.users ?? {}));
  const failures = new FailureQueue<SlackFailure>();
  /** Conversation id → its messages, oldest first; an opened DM is there even while empty. */
  const conversations = new Map<string, SlackMessage[]>();
  const held = new HeldRequests();
  const views: SlackView[] = [];
  const updates: SlackMessage[] = [];
  const usedTriggers = new Set<string>();
  /** Benchmark clients waiting for messages that contain a text (GET /_fake/posted?contains=…): each sees every new post once. */
  const postWaiters = new Set<(m: SlackMessage) => boolean>();
  /** Benchmark clients waiting for the views.open of a trigger (GET /_fake/view?trigger=…). */
  const viewWaiters = new Map<string, (at: number) => void>();
  /** Views opened with an external_id: external_id → view id. */
  const externalIds = new Map<string, string>();
  const formWaiters = new Map<string, (at: number) => void>();
  let seq = 0;
  const next = () => ++seq;
  // Slack posts to a user id in the app's DM with them: one stable D… id per user.
  const dmOf = (userId: string) => (/^[UW]/.test(userId) ? `D${userId.slice(1)}` : userId);
  const conversation = (id: string) => {
    let list = conversations.get(id);
    if (!list) conversations.set(id, (list = []));
    return list;
  };

  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();
  const acks: SocketAck[] = [];

  const api = (method: string, params: Record<string, unknown>): Record<string, unknown> => {
    switch (method) {
      case 'auth.test':
        return { url: 'https://kehu-test.slack.com/', team: 'kehu test', user: 'kehu', team_id: FAKE_TEAM_ID, user_id: FAKE_BOT_USER_ID, bot_id: FAKE_BOT_ID };
      case 'chat.postMessage': {
        const channel = dmOf(String(params.channel ?? ''));
        // As Slack's: seconds, then a sequence (not microseconds) that keeps ts unique.
        const ts = `${Math.floor(slackNow() / 1000)}.${String(next()).padStart(6, '0')}`;
        const metadata = isObject(params.metadata) ? (params.metadata as SlackMessage['metadata']) : undefined;
        const message: SlackMessage = { channel, ts, text: str(params.text), blocks: params.blocks, metadata, user: FAKE_BOT_USER_ID, bot_id: FAKE_BOT_ID, at: Date.now(), ...(params.thread_ts ? { thread_ts: String(params.thread_ts) } : {}) };
        conversation(channel).push(message);
        for (const waiter of postWaiters) if (waiter(message)) postWaiters.delete(waiter);
        return { channel, ts, message: { type: 'message', ts, text: message.text, blocks: message.blocks, metadata, user: message.user, bot_id: message.bot_id } };
      }
      case 'conversations.history': {
        const channel = String(params.channel ?? '');
        // A workspace user's DM with the bot exists whether or not this fake saw it opened
        // (a sender may remember the id across reset()).
        // A channel (C…) the bot was added to reads as empty before its first post.
        const list = conversations.get(channel) ?? ((/^D/.test(channel) && users.has(`U${channel.slice(1)}`)) || /^C/.test(channel) ? [] : undefined);
        if (!list) return { ok: false, error: 'channel_not_found' };
        const limit = Math.min(999, Math.max(1, Number(params.limit ?? 100) || 100));
        const inclusive = truthy(params.inclusive);
        const oldest = params.oldest === undefined ? undefined : tsMicros(String(params.oldest));
        const latest = params.latest === undefined ? undefined : tsMicros(String(params.latest));
        const inRange = list.filter((m) => {
          const t = tsMicros(m.ts);
          if (oldest !== undefined && (inclusive ? t < oldest : t <= oldest)) return false;
          if (latest !== undefined && (inclusive ? t > latest : t >= latest)) return false;
          return true;
        });
        const newestFirst = inRange.slice().reverse();
        const page = newestFirst.slice(0, limit);
        const withMetadata = truthy(params.include_all_metadata);
        return {
          messages: page.map((m) => ({
            type: 'message',
            ts: m.ts,
            text: m.text,
            blocks: m.blocks,
            user: m.user,
            bot_id: m.bot_id,
            ...(m.files ? { files: m.files.map((id) => ({ id })) } : {}),
            ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
          })),
          has_more: newestFirst.length > page.length,
          pin_count: 0,
          response_metadata: { next_cursor: '' },
        };
      }
      case 'views.open': {
        const trigger = String(params.trigger_id ?? '');
        const issued = /^(\d{13})\.\d+\.[0-9a-f]+$/.exec(trigger);
        if (!issued) return { ok: false, error: 'invalid_trigger_id' };
        if (usedTriggers.has(trigger)) return { ok: false, error: 'exchanged_trigger_id' };
        if (Date.now() - Number(issued[1]) > 3_000) return { ok: false, error: 'expired_trigger_id' };
        usedTriggers.add(trigger);
        const id = `V${String(next()).padStart(8, '0')}`;
        const opened = params.view as Record<string, unknown>;
        // A view opened with an external_id can be updated by it (views.update external_id).
        if (typeof opened.external_id === 'string') externalIds.set(opened.external_id, id);
        views.push({ id, method: 'views.open', view: opened, trigger_id: trigger, at: Date.now() });
        viewWaiters.get(trigger)?.(Date.now());
        return { view: { id, ...(params.view as object) } };
      }
      case 'views.update':
      case 'views.publish': {
        const external = str(params.external_id);
        // Slack answers not_found for an external_id no open view has (not opened yet, or never).
        if (method === 'views.update' && external !== undefined && !externalIds.has(external)) return { ok: false, error: 'not_found' };
        const id = String(params.view_id ?? (external !== undefined ? externalIds.get(external) : undefined) ?? `V${String(next()).padStart(8, '0')}`);
        views.push({ id, method, view: params.view as Record<string, unknown>, user_id: str(params.user_id), external_id: external, at: Date.now() } as SlackView);
        if (external !== undefined) formWaiters.get(external)?.(Date.now());
        return { view: { id, ...(params.view as object) } };
      }
      case 'chat.update': {
        const channel = String(params.channel ?? '');
        const message = conversations.get(channel)?.find((m) => m.ts === String(params.ts ?? ''));
        if (!message) return { ok: false, error: 'message_not_found' };
        message.text = str(params.text);
        message.blocks = params.blocks;
        updates.push({ ...message, at: Date.now() });
        return { channel, ts: message.ts, text: message.text };
      }
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
        const id = first ? dmOf(first) : `D${next()}`;
        conversation(id);
        return { channel: { id } };
      }
      case 'apps.connections.open':
        return { url: socketUrl };
      case 'files.getUploadURLExternal': {
        const id = `F${String(next()).padStart(8, '0')}`;
        uploads.set(id, { filename: String(params.filename ?? ''), length: Number(params.length ?? 0) });
        return { file_id: id, upload_url: `${fakeUrl}/upload/${id}` };
      }
      case 'files.completeUploadExternal': {
        const done: { id: string; title?: string }[] = Array.isArray(params.files) ? (params.files as { id: string; title?: string }[]) : [];
        for (const f of done) {
          const upload = uploads.get(f.id);
          if (!upload?.content) return { ok: false, error: 'file_not_found' };
        }
        for (const f of done) {
          const upload = uploads.get(f.id)!;
          uploads.delete(f.id);
          files.push({
            id: f.id,
            filename: upload.filename,
            length: upload.length,
            title: f.title,
            channel_id: typeof params.channel_id === 'string' ? params.channel_id : undefined,
            initial_comment: typeof params.initial_comment === 'string' ? params.initial_comment : undefined,
            content: upload.content!,
            at: Date.now(),
          });
        }
        // Shared into a conversation: one message carrying the files (and the blocks, when
        // given and no initial_comment, as Slack does).
        if (typeof params.channel_id === 'string' && done.length) {
          const channel = dmOf(params.channel_id);
          const ts = `${Math.floor(slackNow() / 1000)}.${String(next()).padStart(6, '0')}`;
          const blocks = typeof params.initial_comment === 'string' ? undefined : params.blocks;
          conversation(channel).push({ channel, ts, text: str(params.initial_comment), blocks, user: FAKE_BOT_USER_ID, bot_id: FAKE_BOT_ID, files: done.map((f) => f.id), at: Date.now() });
        }
        return { files: done.map((f) => ({ id: f.id, title: f.title })) };
      }
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
    // The upload URL of files.getUploadURLExternal: the SDK posts the bytes as multipart
    // form data (or, as Slack also accepts, a raw body).
    if (req.method === 'POST' && path.startsWith('/upload/')) {
      const upload = uploads.get(path.slice('/upload/'.length));
      if (!upload) return void res.writeHead(404).end();
      const type = req.headers['content-type'] ?? '';
      if (type.startsWith('multipart/form-data')) {
        const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData();
        const file = [...form.values()].find((v): v is File => typeof v !== 'string');
        upload.content = file ? Buffer.from(await file.arrayBuffer()) : Buffer.alloc(0);
      } else upload.content = raw;
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${upload.content.length}`);
      return;
    }
    // For a fake running in another process (benchmarks): how much it has seen.
    // For the modal benchmark: when the views.open of one trigger arrived (this process's
    // clock) — or, /_fake/form, the views.update naming `external` (the form drawn into a
    // modal that was opened at once) — answered as soon as it does (at most 5 s: then 404).
    const arrival = (key: string, waiters: Map<string, (at: number) => void>, seen: SlackView | undefined) => {
      if (seen) return sendJson(res, 200, { at: seen.at });
      const timer = setTimeout(() => {
        waiters.delete(key);
        sendJson(res, 404, { ok: false });
      }, 5_000);
      waiters.set(key, (at) => {
        clearTimeout(timer);
        waiters.delete(key);
        sendJson(res, 200, { at });
      });
    };
    if (req.method === 'GET' && (path === '/_fake/view' || path === '/_fake/form')) {
      const query = new URL(req.url ?? '/', 'http://fake').searchParams;
      if (path === '/_fake/view') {
        const trigger = query.get('trigger') ?? '';
        return arrival(trigger, viewWaiters, views.find((v) => v.method === 'views.open' && v.trigger_id === trigger));
      }
      const external = query.get('external') ?? '';
      return arrival(external, formWaiters, views.find((v) => v.method === 'views.update' && v.external_id === external));
    }
    // For the visitor benchmark: when the first `count` messages posted to `channel` (a user
    // id: their DM) that contain `contains` arrived (this process's clock), answered as soon as
    // they have (at most `timeoutMs`, default 15 s: then 404).
    if (req.method === 'GET' && path === '/_fake/posted') {
      const q = new URL(req.url ?? '/', 'http://fake').searchParams;
      const contains = q.get('contains') ?? '';
      const where = dmOf(q.get('channel') ?? '');
      const count = Math.max(1, Number(q.get('count') ?? 1) || 1);
      const fits = (m: SlackMessage) => m.channel === where && (m.text ?? '').includes(contains);
      // Those posted already (read once), then each new post as it comes.
      const hits = (conversations.get(where) ?? []).filter(fits).slice(0, count).map((m) => m.at);
      if (hits.length >= count) return sendJson(res, 200, { at: hits });
      const timer = setTimeout(() => {
        postWaiters.delete(waiter);
        sendJson(res, 404, { ok: false, found: hits.length });
      }, Number(q.get('timeoutMs') ?? 15_000));
      const waiter = (m: SlackMessage) => {
        if (!fits(m)) return false;
        hits.push(m.at);
        if (hits.length < count) return false;
        clearTimeout(timer);
        sendJson(res, 200, { at: hits });
        return true;
      };
      postWaiters.add(waiter);
      return;
    }
    // For the modal benchmark: every views.open, by trigger, and how many were refused.
    if (req.method === 'GET' && path === '/_fake/views') return sendJson(res, 200, { views: views.filter((v) => v.method === 'views.open').map((v) => ({ trigger_id: v.trigger_id, at: v.at })), refused: calls.filter((c) => c.method === 'views.open').length - views.filter((v) => v.method === 'views.open').length });
    if (req.method === 'GET' && path === '/_fake/stats') return sendJson(res, 200, { calls: calls.length, responses: responses.length, distinctResponses: new Set(responses.map((r) => r.id)).size, files: files.length });
    if (req.method !== 'POST' || !path.startsWith('/api/')) return sendJson(res, 404, { ok: false, error: 'unknown_method' });
    const method = path.slice('/api/'.length);
    const params = decodeParams(req.headers['content-type'], raw.toString('utf8'));
    const token = bearerOf(req) ?? (typeof params.token === 'string' ? params.token : undefined);
    delete params.token;
    const failure = failures.take(method, params);
    calls.push({ method, params, token, failed: failure !== undefined, at: Date.now() });
    if (!token) return sendJson(res, 200, { ok: false, error: 'not_authed' });
    if (failure && 'rateLimited' in failure) return sendJson(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.rateLimited) });
    if (failure && 'error' in failure) return sendJson(res, 200, { ok: false, error: failure.error });
    // The call took effect, and then the caller never learns it did.
    if (failure?.afterDelivery) api(method, params);
    if (failure && 'hang' in failure) {
      held.hold(res);
      return;
    }
    if (failure) return void res.writeHead(failure.status).end();
    const body = api(method, params);
    sendJson(res, 200, { ok: true, ...body });
  };

  const fake = await startFakeServer(handle);
  const fakeUrl = fake.url;
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
    files,
    views,
    updates,
    deleteMessage(channel, ts) {
      const list = conversations.get(dmOf(channel));
      const i = list?.findIndex((m) => m.ts === ts) ?? -1;
      if (i >= 0) list!.splice(i, 1);
    },
    waitForView: (match = () => true, options) => waitFor(() => views.find(match), { what: 'a view', ...options }),
    dmOf,
    messagesIn: (channelOrUser) => [...(conversations.get(dmOf(channelOrUser)) ?? [])],
    get hanging() {
      return held.size;
    },
    waitForFile: (match = () => true, options) => waitFor(() => files.find(match), { what: 'a file upload', ...options }),
    responseUrl: (id = `r${next()}`) => `${fake.url}/response/${encodeURIComponent(id)}`,
    callsOf: (method) => calls.filter((c) => c.method === method && !c.failed),
    failNext: (method, failure, times = 1, when) => failures.add(method, failure, times, when),
    waitForCall: (method, match = () => true, options) =>
      waitFor(() => calls.find((c) => c.method === method && !c.failed && match(c)), { what: `a ${method} call`, ...options }),
    waitForResponse: (match = () => true, options) => waitFor(() => responses.find(match), { what: 'a response_url post', ...options }),
    socket,
    reset() {
      calls.length = 0;
      responses.length = 0;
      files.length = 0;
      views.length = 0;
      externalIds.clear();
      updates.length = 0;
      uploads.clear();
      acks.length = 0;
      failures.clear();
      conversations.clear();
      held.dropAll();
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

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Form fields arrive as strings: 'true' / '1'. */
const truthy = (v: unknown) => v === true || v === 'true' || v === '1' || v === 1;

/** A Slack ts ("1700000000.000123", or a bare "1700000000") as microseconds, exactly. */
function tsMicros(ts: string): bigint {
  const [whole = '0', frac = ''] = ts.split('.');
  return BigInt(whole || '0') * 1_000_000n + BigInt(frac.padEnd(6, '0').slice(0, 6) || '0');
}
