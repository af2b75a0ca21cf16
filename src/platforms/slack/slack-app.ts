// The Slack front end: Bolt (HTTP on POST /slack/events, or Socket Mode), the /kehu
// command, button actions, App Home, files (an export) sent to the person's DM, and a
// sender for queued notifications.
// Adapter only: verify, ack at once, deduplicate, hand the text to the chat layer, render.
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import {
  App,
  isValidSlackRequest,
  LogLevel,
  SocketModeReceiver,
  webApi,
  type Logger as BoltLogger,
  type Receiver,
} from '@slack/bolt';
import type { SlackSettings } from '../../config/env.ts';
import { deliverAttachment, withTempFile, type ReplyAttachment } from '../../chat/attachment.ts';
import { dispatchAction, dispatchText, type Inbound } from '../../chat/dispatch.ts';
import type { Reply } from '../../chat/reply.ts';
import { renderSlack, slackActionName } from '../../chat/render-slack.ts';
import { RetryLaterError } from '../../jobs/errors.ts';
import type { ChatSender } from '../../notify/notifier.ts';
import type { Logger } from '../../observability/logger.ts';
import { HttpError, inboundFor, isFirstDelivery, readBody, safeJson, withinClockSkew, type FrontEndDeps } from '../front-end.ts';
import { createAfterAck } from '../after-ack.ts';
import { IdentityResolver } from '../identity.ts';
import { postJson } from '../post-json.ts';
import { homeView } from './home-view.ts';
import { ZButtonValueSchema, ZSlackBodySchema } from './slack-payloads.ts';

export interface SlackFrontEnd {
  app: App;
  /** Mounted on POST /slack/events in HTTP mode; undefined in Socket Mode. */
  requestListener?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  sender: ChatSender;
  /** Resolves when the work started after acks has finished. */
  idle(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createSlackFrontEnd(settings: SlackSettings, deps: FrontEndDeps): SlackFrontEnd {
  const { logger, metrics, services } = deps;
  const log = logger.child({ platform: 'slack' });
  const clientOptions = {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl.endsWith('/') ? settings.apiUrl : `${settings.apiUrl}/` } : {}),
    // The job queue retries with backoff; a client that sleeps 30 minutes would hold a lease.
    retryConfig: { retries: 1, factor: 1, minTimeout: 200, maxTimeout: 500 },
    rejectRateLimitedCalls: true,
  };
  const boltLogger = toBoltLogger(log);
  const socketMode = settings.appToken !== undefined;
  // HTTP mode: kehu's own server is the receiver. It verifies, answers Slack at once, and
  // only then hands the payload to Bolt (app.processEvent), so no listener, middleware or
  // database work ever stands between a request and its ack.
  const receiver: Receiver = socketMode
    ? new SocketModeReceiver({ appToken: settings.appToken!, logger: boltLogger, installerOptions: { clientOptions } })
    : { init: () => undefined, start: async () => undefined, stop: async () => undefined };
  const app = new App({
    token: settings.botToken,
    receiver,
    socketMode,
    logger: boltLogger,
    clientOptions,
    // auth.test is answered lazily on the first request instead of blocking start-up.
    deferInitialization: true,
  });
  const client: webApi.WebClient = app.client;
  const afterAck = createAfterAck(log);

  const identities = new IdentityResolver('slack', services.db, slackLookup(client), deps.directory);

  const inbound = async (userId: string): Promise<Inbound> => inboundFor(deps, 'slack', await identities.personFor(userId));

  // Slack retries an event it thinks we missed (x-slack-retry-num); the first delivery wins.
  app.use(async ({ body, next }) => {
    if (await isFirstDelivery(deps, 'slack', (body as { event_id?: unknown }).event_id)) await next();
  });

  // Replies go to the response_url Slack gives with each command or click (Bolt's
  // respond() would post to the same URL, only through fetch and with more CPU).
  const answer = async (responseUrl: string | undefined, message: Record<string, unknown>) => {
    if (responseUrl) await postJson(responseUrl, message);
    else log.warn('no response_url to answer on');
  };

  app.command(/^\/kehu/, async ({ command, ack }) => {
    await ack();
    metrics.acks.inc({ platform: 'slack', kind: 'command' });
    afterAck.run('slack command', async () => {
      const ib = await inbound(command.user_id);
      const reply = await deliverAttachment(ib, await dispatchText(ib, command.text ?? ''), (file, r) => uploadToDm(command.user_id, file, r));
      await answer(command.response_url, { response_type: 'ephemeral', ...renderSlack(reply) });
    });
  });

  // Files go to the person's DM with the bot, never to the channel the command was typed
  // in (a customer book is not for the room). files.uploadV2 needs a conversation id.
  // The SDK reads the file into one Buffer before its upload (about 10 MB for 100,000
  // rows): the rows themselves are streamed from the database to a temporary file.
  const uploadToDm = async (userId: string, file: ReplyAttachment, reply: Reply) => {
    const dm = await client.conversations.open({ users: userId });
    const channelId = dm.channel?.id;
    if (!channelId) throw new Error('conversations.open returned no channel');
    await withTempFile(file, (path) =>
      client.files.uploadV2({ channel_id: channelId, file: createReadStream(path), filename: file.filename, title: file.title, initial_comment: reply.summary }),
    );
  };

  app.action(/^kehu:/, async ({ ack, body, action }) => {
    await ack();
    metrics.acks.inc({ platform: 'slack', kind: 'action' });
    const a = action as { action_id: string; value?: string };
    const name = slackActionName(a.action_id);
    const value = ZButtonValueSchema.safeParse(safeJson(a.value ?? '{}'));
    if (!name || !value.success) {
      log.warn({ actionId: a.action_id }, 'malformed button value');
      return;
    }
    const responseUrl = (body as { response_url?: string }).response_url;
    afterAck.run('slack action', async () => {
      const result = await dispatchAction(await inbound(body.user.id), name, value.data);
      if (result.update) await answer(responseUrl, { replace_original: true, ...renderSlack(result.update) });
      if (result.notice) await answer(responseUrl, { response_type: 'ephemeral', replace_original: false, ...renderSlack(result.notice) });
    });
  });

  app.event('app_home_opened', async ({ event, client: c }) => {
    if (event.tab !== 'home') return;
    afterAck.run('slack app home', async () => {
      const ib = await inbound(event.user);
      await c.views.publish({ user_id: event.user, view: homeView(ib) as never });
    });
  });

  app.error(async (error) => {
    log.error({ err: error }, 'slack listener failed');
  });

  const sender: ChatSender = {
    platform: 'slack',
    async sendToPerson(person, reply) {
      const userId = await identities.userIdFor(person);
      if (!userId) return false;
      try {
        await client.chat.postMessage({ channel: userId, ...renderSlack(reply) });
        return true;
      } catch (e) {
        if (e instanceof webApi.WebAPIRateLimitedError) throw new RetryLaterError('slack rate limited', e.retryAfter * 1000);
        throw e;
      }
    },
  };

  const requestListener = socketMode
    ? undefined
    : async (req: IncomingMessage, res: ServerResponse) => {
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
        app
          .processEvent({
            body,
            ack: async () => undefined,
            retryNum: typeof retry === 'string' ? Number(retry) : undefined,
            retryReason: typeof reason === 'string' ? reason : undefined,
            customProperties: {},
          })
          .catch((e: unknown) => log.error({ err: e }, 'slack event processing failed'));
      };

  return {
    app,
    requestListener,
    sender,
    async start() {
      await app.init();
      if (socketMode) await (receiver as SocketModeReceiver).start();
    },
    async stop() {
      if (socketMode) await (receiver as SocketModeReceiver).stop();
      await afterAck.idle();
    },
    idle: () => afterAck.idle(),
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

function slackLookup(client: webApi.WebClient) {
  const notFound = (e: unknown) => (e as { data?: { error?: string } }).data?.error === 'users_not_found' || (e as { data?: { error?: string } }).data?.error === 'user_not_found';
  return {
    async emailOf(userId: string) {
      try {
        const r = await client.users.info({ user: userId });
        return r.user?.profile?.email ?? undefined;
      } catch (e) {
        if (notFound(e)) return undefined;
        throw e;
      }
    },
    async userIdOf(email: string) {
      try {
        const r = await client.users.lookupByEmail({ email });
        return r.user?.id ?? undefined;
      } catch (e) {
        if (notFound(e)) return undefined;
        throw e;
      }
    },
  };
}


function toBoltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  return {
    debug: (...m: unknown[]) => log.debug(m.map(String).join(' ')),
    info: (...m: unknown[]) => log.info(m.map(String).join(' ')),
    warn: (...m: unknown[]) => log.warn(m.map(String).join(' ')),
    error: (...m: unknown[]) => log.error(m.map(String).join(' ')),
    setLevel: (l: LogLevel) => void (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}
