// A fake Lark (Feishu) Open API for tests, on 127.0.0.1: tenant token, send / reply /
// patch messages (with Lark's `uuid` de-duplication: the same uuid gives the same
// message_id and is delivered once, though every attempt is noted), file uploads
// (multipart, content kept, answered with a file_key), user look-ups from a table, the
// bot's own identity (bot/v3/info), and
// programmable failures (HTTP 429, business codes such as 99991400 or 230013 with the HTTP
// status Lark gives them, a delivery whose answer is lost, a request held without an
// answer), urgent messages (PATCH …/urgent_app: only on a message the bot sent, to its
// receiver; others come back in invalid_user_id_list) and read receipts (markRead records a
// person reading messages, answers the im.message.message_read_v1 event Lark would push, and
// GET …/read_users lists the readers). Point the node-sdk at it with `domain: fake.url`.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { waitFor, type WaitOptions } from '../support/wait-for.ts';
import { bearerOf, FailureQueue, HeldRequests, sendJson, startFakeServer } from './fake-server.ts';

export type LarkApi = 'token' | 'message.create' | 'message.reply' | 'message.patch' | 'message.urgentApp' | 'message.readUsers' | 'file.create' | 'image.create' | 'user.get' | 'user.batchGetId' | 'bot.info' | 'ws.endpoint';

/** The bot's open_id, as bot/v3/info gives it and as mentions of the bot carry it. */
export const FAKE_BOT_OPEN_ID = 'ou_kehu_bot';

export interface LarkCall {
  api: LarkApi | 'unknown';
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
  token?: string;
  /** Answered with a programmed failure instead of success. */
  failed: boolean;
  at: number;
}

/** A message as it reached the chat (once per uuid). `content` is parsed from its JSON string. */
export interface LarkMessage {
  message_id: string;
  kind: 'create' | 'reply';
  receive_id?: string;
  receive_id_type?: string;
  /** For replies: the message replied to. */
  parent_id?: string;
  /** For replies: sent with reply_in_thread (in the thread, not the chat). */
  in_thread?: boolean;
  msg_type: string;
  content: Record<string, unknown>;
  uuid?: string;
  at: number;
}

export interface LarkPatch {
  message_id: string;
  content: Record<string, unknown>;
  at: number;
}

/** An image uploaded with POST /open-apis/im/v1/images (image_type message). */
export interface LarkImage {
  image_key: string;
  image_type: string;
  content: Buffer;
  at: number;
}

/** A file uploaded with POST /open-apis/im/v1/files. */
export interface LarkFile {
  file_key: string;
  file_type: string;
  file_name: string;
  content: Buffer;
  at: number;
}

/** An urgent_app that took effect: the users it reached. */
export interface LarkUrgent {
  message_id: string;
  user_id_list: string[];
  at: number;
}

/** The event body of im.message.message_read_v1, as the SDK types it. */
export interface LarkReadEvent {
  reader: { reader_id: { open_id: string; union_id: string; user_id?: string }; read_time: string; tenant_key: string };
  message_id_list: string[];
}

export interface LarkUser {
  email?: string;
  name?: string;
}

export type LarkFailure =
  /** HTTP 429 with x-ogw-ratelimit-reset: seconds (as Lark's gateway does). */
  | { status: 429; reset?: number }
  /**
   * A business error code, e.g. 99991400 (rate limited) or 230013 (user outside the app's
   * availability), in the body of HTTP `status` (default 200; Lark's im API answers most
   * refusals with 400).
   */
  | { code: number; msg?: string; status?: number }
  /** Any HTTP status; with afterDelivery the message is delivered first and the answer is lost. */
  | { status: number; afterDelivery?: boolean }
  /** The request is read and never answered; with afterDelivery the message is delivered first. */
  | { hang: true; afterDelivery?: boolean };

export interface FakeLark {
  /** http://127.0.0.1:PORT — the `domain` for the SDK. */
  url: string;
  calls: LarkCall[];
  /** Deliveries (create and reply), one per uuid. */
  messages: LarkMessage[];
  patches: LarkPatch[];
  /** urgent_app calls that reached someone. */
  urgents: LarkUrgent[];
  /** `openId` reads these messages (the bot's, sent to them): kept for read_users; the event Lark pushes for it. */
  markRead(openId: string, messageIds: string[], at?: number): LarkReadEvent;
  /** Uploaded files, by upload order. */
  files: LarkFile[];
  /** Uploaded images, by upload order. */
  images: LarkImage[];
  users: Map<string, LarkUser>;
  /** Every create/reply attempt that carried a uuid already delivered. */
  duplicateAttempts: LarkCall[];
  /** Requests held without an answer by a `hang` failure, still open. */
  readonly hanging: number;
  callsOf(api: LarkApi): LarkCall[];
  failNext(api: LarkApi, failure: LarkFailure, times?: number): void;
  waitForMessage(match?: (m: LarkMessage) => boolean, options?: WaitOptions): Promise<LarkMessage>;
  waitForPatch(match?: (p: LarkPatch) => boolean, options?: WaitOptions): Promise<LarkPatch>;
  reset(): void;
  close(): Promise<void>;
}

const ROUTES: { method: string; re: RegExp; api: LarkApi }[] = [
  { method: 'POST', re: /^\/open-apis\/auth\/v3\/tenant_access_token\/internal$/, api: 'token' },
  { method: 'POST', re: /^\/open-apis\/im\/v1\/messages$/, api: 'message.create' },
  { method: 'POST', re: /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/, api: 'message.reply' },
  { method: 'PATCH', re: /^\/open-apis\/im\/v1\/messages\/([^/]+)$/, api: 'message.patch' },
  { method: 'PATCH', re: /^\/open-apis\/im\/v1\/messages\/([^/]+)\/urgent_app$/, api: 'message.urgentApp' },
  { method: 'GET', re: /^\/open-apis\/im\/v1\/messages\/([^/]+)\/read_users$/, api: 'message.readUsers' },
  { method: 'POST', re: /^\/open-apis\/im\/v1\/files$/, api: 'file.create' },
  { method: 'POST', re: /^\/open-apis\/im\/v1\/images$/, api: 'image.create' },
  { method: 'POST', re: /^\/open-apis\/contact\/v3\/users\/batch_get_id$/, api: 'user.batchGetId' },
  { method: 'GET', re: /^\/open-apis\/contact\/v3\/users\/([^/]+)$/, api: 'user.get' },
  { method: 'GET', re: /^\/open-apis\/bot\/v3\/info$/, api: 'bot.info' },
  { method: 'POST', re: /^\/callback\/ws\/endpoint$/, api: 'ws.endpoint' },
];

export const FAKE_TENANT_TOKEN = 't-fake-tenant-token';

export async function startFakeLark(options: { users?: Record<string, LarkUser> } = {}): Promise<FakeLark> {
  const calls: LarkCall[] = [];
  const messages: LarkMessage[] = [];
  const patches: LarkPatch[] = [];
  const urgents: LarkUrgent[] = [];
  /** message_id → open_id → read time (ms). */
  const reads = new Map<string, Map<string, number>>();
  const files: LarkFile[] = [];
  const images: LarkImage[] = [];
  const duplicateAttempts: LarkCall[] = [];
  const users = new Map<string, LarkUser>(Object.entries(options.users ?? {}));
  const byUuid = new Map<string, LarkMessage>();
  const failures = new FailureQueue<LarkFailure>();
  const held = new HeldRequests();
  const ok = (res: ServerResponse, data: unknown = {}) => sendJson(res, 200, { code: 0, msg: 'success', data });

  const deliver = (call: LarkCall, kind: 'create' | 'reply', parentId?: string): LarkMessage => {
    const uuid = typeof call.body.uuid === 'string' ? call.body.uuid : undefined;
    const earlier = uuid ? byUuid.get(uuid) : undefined;
    if (earlier) {
      duplicateAttempts.push(call);
      return earlier;
    }
    const message: LarkMessage = {
      message_id: `om_${randomBytes(12).toString('hex')}`,
      kind,
      receive_id: kind === 'create' ? String(call.body.receive_id ?? '') : undefined,
      receive_id_type: kind === 'create' ? call.query.receive_id_type : undefined,
      parent_id: parentId,
      ...(kind === 'reply' && call.body.reply_in_thread === true ? { in_thread: true } : {}),
      msg_type: String(call.body.msg_type ?? ''),
      content: parseContent(call.body.content),
      uuid,
      at: Date.now(),
    };
    messages.push(message);
    if (uuid) byUuid.set(uuid, message);
    return message;
  };

  const answer = (res: ServerResponse, call: LarkCall, pathParam: string | undefined, file?: Buffer) => {
    switch (call.api) {
      case 'token':
        return sendJson(res, 200, { code: 0, msg: 'ok', tenant_access_token: FAKE_TENANT_TOKEN, expire: 7200 });
      case 'message.create':
      case 'message.reply': {
        const m = deliver(call, call.api === 'message.create' ? 'create' : 'reply', pathParam);
        return ok(res, { message_id: m.message_id, msg_type: m.msg_type, parent_id: m.parent_id, chat_id: 'oc_fake_chat', create_time: String(m.at), body: { content: JSON.stringify(m.content) } });
      }
      case 'file.create': {
        // As Lark: an empty file is refused; the type must be one of its own.
        if (!file?.length) return sendJson(res, 200, { code: 234006, msg: 'The file is empty.' });
        if (!['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream'].includes(String(call.body.file_type))) {
          return sendJson(res, 200, { code: 234001, msg: 'Invalid request param.' });
        }
        const f: LarkFile = { file_key: `file_v3_${randomBytes(8).toString('hex')}`, file_type: String(call.body.file_type), file_name: String(call.body.file_name ?? ''), content: file, at: Date.now() };
        files.push(f);
        return ok(res, { file_key: f.file_key });
      }
      case 'image.create': {
        // As Lark: an image for messages, not empty (10 MB at most).
        if (!file?.length) return sendJson(res, 200, { code: 234006, msg: 'The file is empty.' });
        if (!['message', 'avatar'].includes(String(call.body.image_type))) return sendJson(res, 200, { code: 234001, msg: 'Invalid request param.' });
        const image: LarkImage = { image_key: `img_v3_${randomBytes(8).toString('hex')}`, image_type: String(call.body.image_type), content: file, at: Date.now() };
        images.push(image);
        return ok(res, { image_key: image.image_key });
      }
      case 'message.urgentApp': {
        // As Lark: only a message the bot sent (230001 otherwise), open_ids of people in its chat.
        const m = messages.find((x) => x.message_id === pathParam);
        if (!m) return sendJson(res, 400, { code: 230001, msg: 'invalid message_id' });
        if (call.query.user_id_type !== 'open_id') return sendJson(res, 400, { code: 99992402, msg: 'field validation failed: user_id_type' });
        const list = Array.isArray(call.body.user_id_list) ? (call.body.user_id_list as unknown[]).map(String) : [];
        if (list.length === 0) return sendJson(res, 400, { code: 99992402, msg: 'field validation failed: user_id_list' });
        const reached = list.filter((id) => m.receive_id_type === 'open_id' && m.receive_id === id);
        if (reached.length) urgents.push({ message_id: m.message_id, user_id_list: reached, at: Date.now() });
        return ok(res, { invalid_user_id_list: list.filter((id) => !reached.includes(id)) });
      }
      case 'message.readUsers': {
        if (!messages.some((x) => x.message_id === pathParam)) return sendJson(res, 400, { code: 230001, msg: 'invalid message_id' });
        const items = [...(reads.get(pathParam!) ?? [])].map(([open_id, at]) => ({ user_id_type: 'open_id', user_id: open_id, timestamp: String(at), tenant_key: 'tenant-kehu-test' }));
        return ok(res, { items, has_more: false, page_token: '' });
      }
      case 'message.patch':
        patches.push({ message_id: pathParam!, content: parseContent(call.body.content), at: Date.now() });
        return ok(res);
      case 'user.get': {
        const u = users.get(pathParam!);
        if (!u) return sendJson(res, 200, { code: 41050, msg: 'no user authority error' });
        return ok(res, { user: { open_id: pathParam, name: u.name ?? pathParam, email: u.email } });
      }
      case 'user.batchGetId': {
        const emails = Array.isArray(call.body.emails) ? (call.body.emails as string[]) : [];
        const user_list = emails.map((email) => {
          const hit = [...users].find(([, u]) => u.email?.toLowerCase() === email.toLowerCase());
          return hit ? { email, user_id: hit[0] } : { email };
        });
        return ok(res, { user_list });
      }
      case 'bot.info':
        // As Lark: the bot at the top level, not under `data`.
        return sendJson(res, 200, { code: 0, msg: 'ok', bot: { activate_status: 2, app_name: 'kehu', avatar_url: '', ip_white_list: [], open_id: FAKE_BOT_OPEN_ID } });
      case 'ws.endpoint':
        // No long connection here: a non-retryable code makes the WSClient give up quietly.
        return sendJson(res, 200, { code: 403, msg: 'the fake Lark has no long connection', data: {} });
      default:
        return sendJson(res, 404, { code: 404, msg: 'not found' });
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = ROUTES.map((r) => ({ r, m: req.method === r.method ? r.re.exec(url.pathname) : null })).find((x) => x.m);
    let body: Record<string, unknown> = {};
    let file: Buffer | undefined;
    const type = req.headers['content-type'] ?? '';
    try {
      if (type.startsWith('multipart/form-data')) {
        // Uploads: the text fields become the body, the file part is kept apart.
        const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData();
        for (const [key, value] of form) {
          if (typeof value === 'string') body[key] = value;
          else file = Buffer.from(await value.arrayBuffer());
        }
      } else body = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
    } catch {
      return sendJson(res, 400, { code: 9499, msg: 'bad json' });
    }
    const api = route?.r.api ?? 'unknown';
    const failure = api === 'unknown' ? undefined : failures.take(api);
    const call: LarkCall = { api, method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), body, token: bearerOf(req), failed: failure !== undefined, at: Date.now() };
    calls.push(call);
    if (!route) return sendJson(res, 404, { code: 404, msg: 'not found' });
    if (api !== 'token' && api !== 'ws.endpoint' && call.token !== FAKE_TENANT_TOKEN) {
      return sendJson(res, 200, { code: 99991663, msg: 'Invalid access token for authorization.' });
    }
    const pathParam = route.m![1] ? decodeURIComponent(route.m![1]) : undefined;
    if (failure && 'code' in failure) return sendJson(res, failure.status ?? 200, { code: failure.code, msg: failure.msg ?? 'request trigger frequency limit' });
    if (failure && 'afterDelivery' in failure && failure.afterDelivery && (api === 'message.create' || api === 'message.reply')) {
      deliver(call, api === 'message.create' ? 'create' : 'reply', pathParam);
    }
    if (failure && 'hang' in failure) {
      held.hold(res);
      return;
    }
    if (failure?.status === 429) {
      const reset = 'reset' in failure && failure.reset !== undefined ? failure.reset : 1;
      return sendJson(res, 429, { code: 99991400, msg: 'request trigger frequency limit' }, { 'x-ogw-ratelimit-limit': '5', 'x-ogw-ratelimit-reset': String(reset) });
    }
    if (failure) return sendJson(res, failure.status, { code: failure.status, msg: 'fake failure' });
    answer(res, call, pathParam, file);
  };

  const fake = await startFakeServer(handle);
  return {
    url: fake.url,
    calls,
    messages,
    patches,
    urgents,
    markRead(openId, messageIds, at = Date.now()) {
      for (const id of messageIds) {
        const m = messages.find((x) => x.message_id === id);
        if (!m || m.receive_id !== openId) throw new Error(`${openId} cannot read ${id}: not a message the bot sent them`);
        let r = reads.get(id);
        if (!r) reads.set(id, (r = new Map()));
        if (!r.has(openId)) r.set(openId, at);
      }
      return { reader: { reader_id: { open_id: openId, union_id: `on_${openId}` }, read_time: String(at), tenant_key: 'tenant-kehu-test' }, message_id_list: messageIds };
    },
    files,
    images,
    users,
    duplicateAttempts,
    get hanging() {
      return held.size;
    },
    callsOf: (api) => calls.filter((c) => c.api === api && !c.failed),
    failNext: (api, failure, times = 1) => failures.add(api, failure, times),
    waitForMessage: (match = () => true, options) => waitFor(() => messages.find(match), { what: 'a Lark message', ...options }),
    waitForPatch: (match = () => true, options) => waitFor(() => patches.find(match), { what: 'a Lark message patch', ...options }),
    reset() {
      calls.length = 0;
      messages.length = 0;
      patches.length = 0;
      urgents.length = 0;
      reads.clear();
      files.length = 0;
      images.length = 0;
      duplicateAttempts.length = 0;
      byUuid.clear();
      failures.clear();
      held.dropAll();
    },
    close: () => fake.close(),
  };
}

function parseContent(content: unknown): Record<string, unknown> {
  if (typeof content !== 'string') return {};
  try {
    return JSON.parse(content) as Record<string, unknown>;
  } catch {
    return { raw: content };
  }
}
