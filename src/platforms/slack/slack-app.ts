// The Slack front end on the main thread: POST /slack/events over HTTP, or Socket Mode's
// WebSocket. Either way it only verifies, writes the delivery to the inbox (inbox.ts) and
// acks; the back office does the work (slack-bolt.ts), notifications included.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { isValidSlackRequest, webApi } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import type { SlackSettings } from '../../config/env.ts';
import { HttpError, REACHABILITY_CHECK_MS, reachability, readBody, receive, withinClockSkew, type FrontDoorDeps } from '../front-end.ts';
import { slackDeliveryId, slackNeedsAnswer } from '../inbox.ts';
import type { SlackDelivery } from './slack-bolt.ts';
import { slackClientOptions, toBoltLogger } from './slack-client.ts';
import { ZSlackBodySchema } from './slack-payloads.ts';
import { formOpenTrigger, openPlaceholder } from './modal-placeholder.ts';

export interface SlackFrontEnd {
  /** Mounted on POST /slack/events in HTTP mode; undefined in Socket Mode. */
  requestListener?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Is Slack answering (auth.test, or the Socket Mode connection)? */
  reachable(): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createSlackFrontEnd(settings: SlackSettings, deps: FrontDoorDeps): SlackFrontEnd {
  const { logger, metrics } = deps;
  const log = logger.child({ platform: 'slack' });
  const client = new webApi.WebClient(settings.botToken, { ...slackClientOptions(settings), logger: toBoltLogger(log) });

  /** Inbox, then the answer the platform waits for (undefined: a plain ack); null: not stored, do not ack. */
  const accept = (d: SlackDelivery, fallbackId?: string) =>
    receive(deps, { platform: 'slack', deliveryId: slackDeliveryId(d.body) ?? fallbackId, payload: d, sync: slackNeedsAnswer(d.body), kind: ackKind(d.body), log });

  const health = reachability(metrics, 'slack', async () => (await client.auth.test()).ok === true, log);
  // After the ack, a press on a form.open button gets its modal at once (modal-placeholder.ts).
  const opened = (body: Record<string, unknown>, fresh: boolean | undefined) => {
    const trigger = fresh ? formOpenTrigger(body) : undefined;
    if (trigger) void openPlaceholder(client, trigger, (o, msg) => log.warn(o, msg));
  };

  if (settings.appToken !== undefined) {
    const socket = new SocketModeClient({ appToken: settings.appToken, logger: toBoltLogger(log), clientOptions: slackClientOptions(settings) });
    socket.on('slack_event', async (e: { ack: (r?: unknown) => Promise<void>; envelope_id: string; body: Record<string, unknown>; retry_num?: number; retry_reason?: string }) => {
      const started = process.hrtime.bigint();
      try {
        const result = await accept({ body: e.body, retryNum: e.retry_num, retryReason: e.retry_reason }, e.envelope_id);
        // Not stored: no ack, so Slack delivers the envelope again.
        if (!result) return;
        await e.ack(result.answer);
        metrics.ackSeconds.observe({ platform: 'slack' }, Number(process.hrtime.bigint() - started) / 1e9);
        opened(e.body, result.fresh);
      } catch (err) {
        // The connection went away before the ack: Slack delivers the envelope again (its row dedupes it).
        log.warn({ err, envelopeId: e.envelope_id }, 'could not ack a Socket Mode envelope');
      }
    });
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    // Start-up does not wait for Slack: the connection is made, and made again, in the background.
    const connect = async (): Promise<void> => {
      try {
        await socket.start();
        health.mark(true);
      } catch (e) {
        health.mark(false);
        log.warn({ err: e }, 'Socket Mode could not connect; trying again');
        if (!stopped) timer = setTimeout(() => void connect(), REACHABILITY_CHECK_MS).unref();
      }
    };
    return {
      reachable: health.reachable,
      async start() {
        void connect();
      },
      async stop() {
        stopped = true;
        clearTimeout(timer);
        await socket.disconnect().catch(() => undefined);
      },
    };
  }

  const requestListener = async (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    let body: Record<string, unknown>;
    try {
      body = precheck(req, await readBody(req), settings.signingSecret, deps.clock());
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
    if (body.ssl_check === '1') return void res.writeHead(200).end();
    const retry = req.headers['x-slack-retry-num'];
    const reason = req.headers['x-slack-retry-reason'];
    const result = await accept({ body, retryNum: typeof retry === 'string' ? Number(retry) : undefined, retryReason: typeof reason === 'string' ? reason : undefined });
    if (!result) return void res.writeHead(503).end();
    // The ack: an empty 200 is Slack's "received"; a body is a modal's answer.
    if (result.answer === undefined) res.writeHead(200).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result.answer));
    metrics.ackSeconds.observe({ platform: 'slack' }, Number(process.hrtime.bigint() - started) / 1e9);
    opened(body, result.fresh);
  };

  return {
    requestListener,
    reachable: health.reachable,
    // Start-up does not wait for Slack: reachability is checked in the background.
    start: async () => health.start(),
    stop: async () => health.stop(),
  };
}

/** The ack counter's kind: command, the interaction type, or the event type. */
function ackKind(body: Record<string, unknown>): string {
  if (typeof body.command === 'string') return 'command';
  if (body.type === 'block_actions') return 'action';
  if (body.type === 'event_callback') return String((body.event as { type?: unknown } | undefined)?.type ?? 'event');
  return typeof body.type === 'string' ? body.type : 'other';
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
