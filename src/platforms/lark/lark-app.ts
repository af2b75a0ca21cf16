// The Lark (Feishu) front end: POST /lark/events, or the long connection when
// LARK_MODE=ws. Over HTTP the main thread verifies and answers; the verified event then
// goes to the chat worker thread, where the dispatcher of lark-dispatch.ts handles it.
// Over the long connection the dispatcher runs here. The SDK leaves gaps in verification
// (token never compared for v2 events, no replay window, 200 on failure), so this adapter
// checks token, signature and timestamp itself before anything is dispatched.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as lark from '@larksuiteoapi/node-sdk';
import type { LarkSettings } from '../../config/env.ts';
import type { ChatSender } from '../../notify/notifier.ts';
import type { ChatThread } from '../chat-thread.ts';
import type { ChatWorkerPayload } from '../chat-worker.ts';
import { HttpError, readBody, withinClockSkew, type FrontEndDeps } from '../front-end.ts';
import { createLarkClient, createLarkDispatch, larkDomain, larkIdentities, larkSdkLogger, larkSender } from './lark-dispatch.ts';
import { ZLarkChallengeSchema, ZLarkEnvelopeSchema } from './lark-payloads.ts';


export interface LarkFrontEnd {
  /** The long connection's dispatcher (LARK_MODE=ws); over HTTP it runs in the chat thread. */
  dispatcher?: lark.EventDispatcher;
  /** Mounted on POST /lark/events in HTTP mode. */
  requestListener?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  sender: ChatSender;
  /** Work started after the answer, awaited on shutdown and in tests. */
  idle(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** `thread`: the chat worker thread, required over HTTP. */
export function createLarkFrontEnd(settings: LarkSettings, deps: FrontEndDeps, thread?: ChatThread): LarkFrontEnd {
  const { logger, metrics, services } = deps;
  const log = logger.child({ platform: 'lark' });

  if (settings.mode === 'ws') {
    const dispatch = createLarkDispatch(settings, deps);
    let ws: lark.WSClient | undefined;
    return {
      dispatcher: dispatch.dispatcher,
      sender: dispatch.sender,
      idle: () => dispatch.idle(),
      async start() {
        ws = new lark.WSClient({ appId: settings.appId, appSecret: settings.appSecret, domain: larkDomain(settings.domain), logger: larkSdkLogger(log) });
        await ws.start({ eventDispatcher: dispatch.dispatcher });
      },
      async stop() {
        ws?.close();
        await dispatch.idle();
      },
    };
  }

  if (!thread) throw new Error('Lark over HTTP needs the chat worker thread');
  const client = createLarkClient(settings, log);
  const requestListener = async (req: IncomingMessage, res: ServerResponse) => {
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
      thread.post({ platform: 'lark', event: data } satisfies ChatWorkerPayload);
    } catch (e) {
      const status = e instanceof HttpError ? e.status : 400;
      log.warn({ status, reason: (e as Error).message }, 'lark request refused');
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: (e as Error).message }));
    }
  };
  return {
    requestListener,
    sender: larkSender(client, larkIdentities(client, deps)),
    idle: () => thread.idle(),
    start: async () => undefined,
    stop: async () => undefined,
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
