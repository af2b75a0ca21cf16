// The Lark (Feishu) front end on the main thread: POST /lark/events, or the long
// connection when LARK_MODE=ws. Either way it only verifies, writes the event to the
// inbox (inbox.ts) and answers; the back office's dispatcher does the work
// (lark-dispatch.ts). A card callback's answer (toast, updated card) rides in the response
// when the work gives it within the bound. The SDK leaves gaps in verification (token
// never compared for v2 events, no replay window, 200 on failure), so this adapter checks
// token, signature and timestamp itself before anything is stored.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as lark from '@larksuiteoapi/node-sdk';
import type { LarkSettings } from '../../config/env.ts';
import { HttpError, reachability, readBody, receive, withinClockSkew, type FrontDoorDeps } from '../front-end.ts';
import { createLarkClient, larkDomain, larkSdkLogger } from './lark-client.ts';
import { ZLarkChallengeSchema, ZLarkEnvelopeSchema } from './lark-payloads.ts';

export interface LarkFrontEnd {
  /** The long connection's dispatcher (LARK_MODE=ws): it stores what arrives, like HTTP. */
  dispatcher?: lark.EventDispatcher;
  /** Mounted on POST /lark/events in HTTP mode. */
  requestListener?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Did Lark answer the last check (a tenant token)? */
  reachable(): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Events whose answer Lark shows (a card callback's toast and card). */
const ANSWERED_EVENTS = new Set(['card.action.trigger']);

export function createLarkFrontEnd(settings: LarkSettings, deps: FrontDoorDeps): LarkFrontEnd {
  const { logger, metrics } = deps;
  const log = logger.child({ platform: 'lark' });
  const client = createLarkClient(settings, log);

  /** Inbox, then the answer Lark waits for ({} when none); null: not stored, do not answer 200. */
  const accept = async (envelope: { header: { event_id: string; event_type: string } } & Record<string, unknown>): Promise<unknown> => {
    const type = envelope.header.event_type;
    const r = await receive(deps, { platform: 'lark', deliveryId: envelope.header.event_id, payload: envelope, sync: ANSWERED_EVENTS.has(type), kind: type, log });
    return r === null ? null : (r.answer ?? {});
  };

  const health = reachability(metrics, 'lark', async () => {
    const r = await client.auth.v3.tenantAccessToken.internal({ data: { app_id: settings.appId, app_secret: settings.appSecret } });
    return (r as { code?: number }).code === 0;
  }, log);

  if (settings.mode === 'ws') {
    // What the long connection delivers is verified by Lark's own connection; the handler's
    // return value is the answer the SDK sends back.
    const store = (data: unknown) => {
      const envelope = ZLarkEnvelopeSchema.safeParse(toEnvelope(data));
      if (!envelope.success) return log.warn('malformed event on the long connection');
      return accept(envelope.data as never);
    };
    const dispatcher = new lark.EventDispatcher({ logger: larkSdkLogger(log) }).register({
      'im.message.receive_v1': store,
      'card.action.trigger': store,
      'application.bot.menu_v6': store,
      'im.message.message_read_v1': store,
    } as never);
    let ws: lark.WSClient | undefined;
    return {
      dispatcher,
      reachable: health.reachable,
      async start() {
        health.start();
        ws = new lark.WSClient({ appId: settings.appId, appSecret: settings.appSecret, domain: larkDomain(settings.domain), logger: larkSdkLogger(log) });
        // Start-up does not wait for Lark: the SDK connects (and reconnects) in the background.
        void ws.start({ eventDispatcher: dispatcher }).catch((e: unknown) => log.warn({ err: e }, 'the long connection could not start'));
      },
      async stop() {
        health.stop();
        ws?.close();
      },
    };
  }

  const requestListener = async (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    let data: VerifiedLarkBody;
    try {
      data = verifyLarkRequest(req, await readBody(req), settings, deps.clock());
    } catch (e) {
      const status = e instanceof HttpError ? e.status : 400;
      log.warn({ status, reason: (e as Error).message }, 'lark request refused');
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: (e as Error).message }));
      return;
    }
    if ('challenge' in data) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge: data.challenge }));
      return;
    }
    const answer = await accept(data);
    if (answer === null) return void res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"try again"}');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    metrics.ackSeconds.observe({ platform: 'lark' }, Number(process.hrtime.bigint() - started) / 1e9);
  };
  return {
    requestListener,
    reachable: health.reachable,
    start: async () => health.start(),
    stop: async () => health.stop(),
  };
}

/**
 * The SDK hands a handler the header's fields merged with the event's; the inbox keeps the
 * v2 envelope shape (`schema`, `header`, `event`) that the back office's dispatcher reads.
 */
function toEnvelope(data: unknown): unknown {
  const d = (data ?? {}) as Record<string, unknown>;
  const { event_id, event_type, token, create_time, app_id, tenant_key, schema, ...event } = d;
  return { schema: schema ?? '2.0', header: { event_id, event_type, token, create_time, app_id, tenant_key }, event };
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
