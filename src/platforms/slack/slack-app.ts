// The Slack front end: Bolt in Socket Mode, or POST /slack/events over HTTP. Over HTTP the
// main thread only verifies and acks; the payload then goes to the chat worker thread
// (../chat-worker.ts), where Bolt runs the listeners of slack-bolt.ts, so no listener,
// middleware or database work ever stands between a request and its ack. Queued
// notifications are sent from the main thread, where the job worker runs.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { isValidSlackRequest, SocketModeReceiver, webApi } from '@slack/bolt';
import type { SlackSettings } from '../../config/env.ts';
import type { ChatSender } from '../../notify/notifier.ts';
import type { ChatThread } from '../chat-thread.ts';
import type { ChatWorkerPayload } from '../chat-worker.ts';
import { HttpError, readBody, withinClockSkew, type FrontEndDeps } from '../front-end.ts';
import { createSlackBolt, slackClientOptions, slackIdentities, slackSender, toBoltLogger, type SlackBolt } from './slack-bolt.ts';
import { ZSlackBodySchema } from './slack-payloads.ts';

export interface SlackFrontEnd {
  /** Mounted on POST /slack/events in HTTP mode; undefined in Socket Mode. */
  requestListener?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  sender: ChatSender;
  /** Resolves when the work started after acks has finished. */
  idle(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** `thread`: the chat worker thread, required over HTTP. */
export function createSlackFrontEnd(settings: SlackSettings, deps: FrontEndDeps, thread?: ChatThread): SlackFrontEnd {
  const { logger, metrics, services } = deps;
  const log = logger.child({ platform: 'slack' });

  if (settings.appToken !== undefined) {
    const receiver = new SocketModeReceiver({ appToken: settings.appToken, logger: toBoltLogger(log), installerOptions: { clientOptions: slackClientOptions(settings) } });
    const bolt: SlackBolt = createSlackBolt(settings, deps, receiver);
    return {
      sender: bolt.sender,
      idle: () => bolt.idle(),
      async start() {
        await bolt.app.init();
        await receiver.start();
      },
      async stop() {
        await receiver.stop();
        await bolt.idle();
      },
    };
  }

  if (!thread) throw new Error('Slack over HTTP needs the chat worker thread');
  const client = new webApi.WebClient(settings.botToken, { ...slackClientOptions(settings), logger: toBoltLogger(log) });
  const requestListener = async (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    let body: Record<string, unknown>;
    try {
      body = precheck(req, await readBody(req), settings.signingSecret, services.clock());
    } catch (e) {
      const status = e instanceof HttpError ? e.status : 400;
      log.warn({ status, reason: (e as Error).message }, 'slack request refused');
      res.writeHead(status).end();
      return;
    }
    if (body.type === 'url_verification') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge: body.challenge }));
      return;
    }
    // The ack: an empty 200 is Slack's "received" for commands, clicks and events.
    res.writeHead(200).end();
    metrics.ackSeconds.observe({ platform: 'slack' }, Number(process.hrtime.bigint() - started) / 1e9);
    if (body.ssl_check === '1') return;
    const retry = req.headers['x-slack-retry-num'];
    const reason = req.headers['x-slack-retry-reason'];
    thread.post({
      platform: 'slack',
      event: { body, retryNum: typeof retry === 'string' ? Number(retry) : undefined, retryReason: typeof reason === 'string' ? reason : undefined },
    } satisfies ChatWorkerPayload);
  };

  return {
    requestListener,
    sender: slackSender(client, slackIdentities(client, deps)),
    idle: () => thread.idle(),
    start: async () => undefined,
    stop: async () => undefined,
  };
}

/** Signature, replay window (both ways: Bolt accepts future timestamps) and body shape. */
function precheck(req: IncomingMessage, raw: Buffer, signingSecret: string, now: Date): Record<string, unknown> {
  const signature = req.headers['x-slack-signature'];
  const timestamp = Number(req.headers['x-slack-request-timestamp']);
  const body = raw.toString('utf8');
  const type = req.headers['content-type'];
  // Slack's SSL check is unsigned; it gets its 200 and nothing else is read from it.
  if (type === 'application/x-www-form-urlencoded' && parseQuery(body).ssl_check === '1') return { ssl_check: '1' };
  if (typeof signature !== 'string' || !withinClockSkew(timestamp, now)) throw new HttpError(401, 'missing signature or stale timestamp');
  if (!isValidSlackRequest({ signingSecret, body, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp } })) {
    throw new HttpError(401, 'bad signature');
  }
  let parsed: unknown;
  try {
    if (type === 'application/x-www-form-urlencoded') {
      const form = parseQuery(body);
      parsed = typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
    } else if (type === 'application/json') parsed = JSON.parse(body);
    else throw new HttpError(415, `unsupported content type ${type}`);
  } catch (e) {
    throw e instanceof HttpError ? e : new HttpError(400, 'body is not valid JSON or form data');
  }
  if (!ZSlackBodySchema.safeParse(parsed).success) throw new HttpError(400, 'unrecognised payload');
  return parsed as Record<string, unknown>;
}
