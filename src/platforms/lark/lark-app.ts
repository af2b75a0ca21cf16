// The Lark (Feishu) front end: node-sdk event dispatcher on POST /lark/events (or the
// long connection when LARK_MODE=ws), DM and @mention commands, card button callbacks,
// files (an export) sent to the person, and a sender for queued notifications. The SDK
// leaves gaps in verification (token never compared for v2 events, no replay window, 200
// on failure), so this adapter checks token, signature and timestamp itself before
// anything is dispatched.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as lark from '@larksuiteoapi/node-sdk';
import type { LarkSettings } from '../../config/env.ts';
import { deliverAttachment, withTempFile, type ReplyAttachment } from '../../chat/attachment.ts';
import { dispatchAction, dispatchText, type Inbound } from '../../chat/dispatch.ts';
import { renderLark } from '../../chat/render-lark.ts';
import type { Reply } from '../../chat/reply.ts';
import { RetryLaterError } from '../../jobs/errors.ts';
import type { ChatSender } from '../../notify/notifier.ts';
import { HttpError, inboundFor, isFirstDelivery, readBody, safeJson, withinClockSkew, type FrontEndDeps } from '../front-end.ts';
import { createAfterAck } from '../after-ack.ts';
import { IdentityResolver } from '../identity.ts';
import {
  ZLarkCardActionSchema,
  ZLarkChallengeSchema,
  ZLarkEnvelopeSchema,
  ZLarkMessageEventSchema,
  ZLarkTextContentSchema,
} from './lark-payloads.ts';

/** Lark's upload limit for im files. */
const LARK_MAX_FILE_BYTES = 30 * 1024 * 1024;

/** Lark's "too many requests" business codes. */
const RATE_LIMIT_CODES = new Set([99991400, 11232, 230020]);

export interface LarkFrontEnd {
  client: lark.Client;
  dispatcher: lark.EventDispatcher;
  /** Mounted on POST /lark/events in HTTP mode. */
  requestListener?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  sender: ChatSender;
  /** Work started after the HTTP answer, awaited on shutdown and in tests. */
  idle(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function larkDomain(domain: string): string | lark.Domain {
  if (domain === 'feishu') return lark.Domain.Feishu;
  if (domain === 'lark') return lark.Domain.Lark;
  return domain.replace(/\/$/, '');
}

export function createLarkFrontEnd(settings: LarkSettings, deps: FrontEndDeps): LarkFrontEnd {
  const { logger, metrics, services } = deps;
  const log = logger.child({ platform: 'lark' });
  const sdkLogger = {
    error: (...m: unknown[]) => log.error(m.map(String).join(' ')),
    warn: (...m: unknown[]) => log.warn(m.map(String).join(' ')),
    info: (...m: unknown[]) => log.debug(m.map(String).join(' ')),
    debug: (...m: unknown[]) => log.debug(m.map(String).join(' ')),
    trace: (...m: unknown[]) => log.trace(m.map(String).join(' ')),
  };
  const domain = larkDomain(settings.domain);
  const client = new lark.Client({
    appId: settings.appId,
    appSecret: settings.appSecret,
    domain,
    // The SDK's default token cache is shared by every client in the process.
    cache: new lark.DefaultCache(),
    logger: sdkLogger,
  });
  const identities = new IdentityResolver('lark', services.db, larkLookup(client), deps.directory);
  const inbound = async (openId: string): Promise<Inbound> => inboundFor(deps, 'lark', await identities.personFor(openId));
  const firstDelivery = (eventId: unknown) => isFirstDelivery(deps, 'lark', eventId);
  const send = async (call: () => Promise<{ code?: number; msg?: string }>) => {
    let res: { code?: number; msg?: string };
    try {
      res = await call();
    } catch (e) {
      const status = (e as { response?: { status?: number; headers?: Record<string, string> } }).response;
      if (status?.status === 429) {
        const reset = Number(status.headers?.['x-ogw-ratelimit-reset'] ?? 1);
        throw new RetryLaterError('lark rate limited', Math.max(1, reset) * 1000);
      }
      throw e;
    }
    if (res.code !== undefined && res.code !== 0) {
      if (RATE_LIMIT_CODES.has(res.code)) throw new RetryLaterError(`lark rate limited (${res.code})`, 1000);
      throw new Error(`lark answered code ${res.code}: ${res.msg ?? ''}`);
    }
  };
  const card = (reply: Reply) => JSON.stringify(renderLark(reply));

  // A file goes to the person directly (a group @mention is no place for a customer
  // book): upload, then a `file` message. The SDK streams the file into its multipart
  // body. Lark takes files up to 30 MB ('stream' is its type for anything not a
  // document, audio or video: CSV included).
  const sendFile = async (openId: string, file: ReplyAttachment) => {
    const fileKey = await withTempFile(file, async (path, bytes) => {
      if (bytes > LARK_MAX_FILE_BYTES) throw new Error(`file of ${bytes} bytes is over Lark's 30 MB`);
      const uploaded = await client.im.v1.file.create({ data: { file_type: 'stream', file_name: file.filename, file: createReadStream(path) } });
      // The SDK answers the body's `data` only: no file_key means Lark refused the upload.
      if (!uploaded?.file_key) throw new Error('lark file upload returned no file_key');
      return uploaded.file_key;
    });
    await send(() =>
      client.im.v1.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: openId, msg_type: 'file', content: JSON.stringify({ file_key: fileKey }) },
      }),
    );
  };

  const afterAck = createAfterAck(log);
  const dispatcher = new lark.EventDispatcher({ logger: sdkLogger }).register({
    'im.message.receive_v1': async (data: unknown) => {
      const parsed = ZLarkMessageEventSchema.safeParse(data);
      if (!parsed.success) return log.warn('malformed message event');
      if (!(await firstDelivery((data as { event_id?: string }).event_id))) return;
      const { sender, message } = parsed.data;
      if (sender.sender_type === 'app') return;
      const text = message.message_type === 'text' ? ZLarkTextContentSchema.safeParse(safeJson(message.content)) : undefined;
      // Returning at once lets the long connection ack within Lark's 3 s as HTTP does.
      afterAck.run('lark message', async () => {
        const ib = await inbound(sender.sender_id.open_id);
        const answer = await dispatchText(ib, text?.success ? text.data.text : 'help');
        const reply = await deliverAttachment(ib, answer, (file) => sendFile(sender.sender_id.open_id, file));
        await send(() =>
          client.im.v1.message.reply({ path: { message_id: message.message_id }, data: { msg_type: 'interactive', content: card(reply) } }),
        );
      });
    },
    'card.action.trigger': async (data: unknown) => {
      const parsed = ZLarkCardActionSchema.safeParse(data);
      if (!parsed.success) return log.warn('malformed card action');
      if (!(await firstDelivery((data as { event_id?: string }).event_id))) return;
      const { kehu_action: name, ...rest } = parsed.data.action.value ?? {};
      const value = Object.fromEntries(Object.entries(rest).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
      if (typeof name !== 'string') return log.warn('card action without kehu_action');
      const openId = parsed.data.operator.open_id;
      const messageId = parsed.data.context?.open_message_id;
      afterAck.run('lark card action', async () => {
        const result = await dispatchAction(await inbound(openId), name, value);
        if (result.update && messageId) {
          await send(() => client.im.v1.message.patch({ path: { message_id: messageId }, data: { content: card(result.update!) } }));
        }
        if (result.notice) {
          await send(() =>
            client.im.v1.message.create({
              params: { receive_id_type: 'open_id' },
              data: { receive_id: openId, msg_type: 'interactive', content: card(result.notice!) },
            }),
          );
        }
      });
    },
  } as never);

  const requestListener =
    settings.mode === 'http'
      ? async (req: IncomingMessage, res: ServerResponse) => {
          const started = process.hrtime.bigint();
          try {
            const raw = await readBody(req);
            const data = verifyLarkRequest(req, raw, settings, services.clock());
            if ('challenge' in data) {
              res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge: data.challenge }));
              return;
            }
            // Answer now; Lark wants its answer within 3 s and the work may take longer.
            res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
            metrics.acks.inc({ platform: 'lark', kind: data.header.event_type });
            metrics.ackSeconds.observe({ platform: 'lark' }, Number(process.hrtime.bigint() - started) / 1e9);
            afterAck.run('lark event', () => dispatcher.invoke(data, { needCheck: false }));
          } catch (e) {
            const status = e instanceof HttpError ? e.status : 400;
            log.warn({ status, reason: (e as Error).message }, 'lark request refused');
            res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: (e as Error).message }));
          }
        }
      : undefined;

  let ws: lark.WSClient | undefined;

  const sender: ChatSender = {
    platform: 'lark',
    async sendToPerson(person, reply, idempotencyKey) {
      const openId = await identities.userIdFor(person);
      if (!openId) return false;
      await send(() =>
        client.im.v1.message.create({
          params: { receive_id_type: 'open_id' },
          // Lark drops a second message with the same uuid within an hour: a job retried
          // after a crash between send and "done" is still delivered once.
          data: { receive_id: openId, msg_type: 'interactive', content: card(reply), uuid: larkUuid(idempotencyKey) },
        }),
      );
      return true;
    },
  };

  return {
    client,
    dispatcher,
    requestListener,
    sender,
    idle: () => afterAck.idle(),
    async start() {
      if (settings.mode === 'ws') {
        ws = new lark.WSClient({ appId: settings.appId, appSecret: settings.appSecret, domain, logger: sdkLogger });
        await ws.start({ eventDispatcher: dispatcher });
      }
    },
    async stop() {
      ws?.close();
      await afterAck.idle();
    },
  };
}

type VerifiedLarkBody = { challenge: string } | (ReturnType<typeof ZLarkEnvelopeSchema.parse> & { [k: string]: unknown });

/**
 * Token on every request, signature when an encrypt key is set, and a 5-minute replay
 * window. Throws HttpError (400 malformed, 401 not from Lark).
 */
export function verifyLarkRequest(req: IncomingMessage, raw: Buffer, settings: LarkSettings, now: Date): VerifiedLarkBody {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'body is not a JSON object');
  const header = (name: string) => {
    const v = req.headers[name];
    return typeof v === 'string' ? v : undefined;
  };
  const encrypted = typeof (body as { encrypt?: unknown }).encrypt === 'string';
  if (encrypted && !settings.encryptKey) throw new HttpError(400, 'encrypted body but LARK_ENCRYPT_KEY is not set');
  if (encrypted) {
    try {
      body = JSON.parse(new lark.AESCipher(settings.encryptKey!).decrypt((body as { encrypt: string }).encrypt));
    } catch {
      throw new HttpError(400, 'cannot decrypt body');
    }
  }
  const challenge = ZLarkChallengeSchema.safeParse(body);
  if (challenge.success) {
    if (!tokenMatches(challenge.data.token, settings.verificationToken)) throw new HttpError(401, 'bad verification token');
    return { challenge: challenge.data.challenge };
  }
  if (settings.encryptKey) {
    const ts = header('x-lark-request-timestamp');
    const nonce = header('x-lark-request-nonce');
    const signature = header('x-lark-signature');
    if (!ts || !nonce || !signature) throw new HttpError(401, 'missing signature headers');
    const expected = createHash('sha256').update(ts + nonce + settings.encryptKey).update(raw).digest('hex');
    if (!tokenMatches(signature, expected)) throw new HttpError(401, 'bad signature');
  }
  const envelope = ZLarkEnvelopeSchema.safeParse(body);
  if (!envelope.success) throw new HttpError(400, 'not a Lark v2 event');
  if (!tokenMatches(envelope.data.header.token, settings.verificationToken)) throw new HttpError(401, 'bad verification token');
  const requestTs = header('x-lark-request-timestamp');
  const sentAt = requestTs !== undefined ? Number(requestTs) : Number(envelope.data.header.create_time) / 1000;
  if (!withinClockSkew(sentAt, now)) throw new HttpError(401, 'stale or missing timestamp');
  return body as VerifiedLarkBody;
}

function tokenMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Lark's uuid field takes at most 50 characters. */
export function larkUuid(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 50);
}

function larkLookup(client: lark.Client) {
  return {
    async emailOf(openId: string) {
      const r = await client.contact.v3.user.get({ path: { user_id: openId }, params: { user_id_type: 'open_id' } });
      if (r.code !== 0) return undefined;
      return r.data?.user?.email || r.data?.user?.enterprise_email || undefined;
    },
    async userIdOf(email: string) {
      const r = await client.contact.v3.user.batchGetId({ params: { user_id_type: 'open_id' }, data: { emails: [email] } });
      if (r.code !== 0) return undefined;
      return r.data?.user_list?.find((u) => u.user_id)?.user_id ?? undefined;
    },
  };
}
