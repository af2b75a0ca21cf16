// The platform-test harness: starts the fake Slack and/or fake Lark, then the real kehu
// (startKehu) on 127.0.0.1 with PORT 0, a temp SQLite file (or a given database URL) and
// short worker polls, and gives typed helpers to drive it over real HTTP:
//
//   const h = await startHarness({ slack: true, lark: 'http' });
//   const r = await h.slashCommand(SLACK.tomReed, 'help');   // { status, ms, responseId }
//   const reply = await h.slackReply(r);                      // what reached response_url
//   await h.stop();
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { startKehu, type Kehu } from '../../src/app.ts';
import type { Settings } from '../../src/config/env.ts';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { startFakeLark, type FakeLark } from '../fakes/fake-lark.ts';
import { startFakeSlack, type FakeSlack, type SlackResponsePost, type SocketAck } from '../fakes/fake-slack.ts';
import {
  larkCardAction,
  larkEncrypt,
  larkMessageEvent,
  larkSignatureHeaders,
  LARK_APP_ID,
  type LarkEnvelope,
} from './lark-requests.ts';
import { freshSqliteFile } from './db-templates.ts';
import { blockActions, eventCallback, signSlack, slashCommand, slashCommandPayload, type SlackRequest } from './slack-requests.ts';
import { TEST_ORG_FILE, testLarkUsers, testSlackUsers } from './test-org.ts';
import type { WaitOptions } from './wait-for.ts';

export const SLACK_SIGNING_SECRET = 'test-signing-secret-0123456789';
export const SLACK_BOT_TOKEN = 'xoxb-test-bot-token';
export const SLACK_APP_TOKEN = 'xapp-test-app-token';
export const LARK_APP_SECRET = 'test-lark-app-secret';
export const LARK_VERIFICATION_TOKEN = 'test-lark-verification-token';

export interface HarnessOptions {
  slack?: boolean;
  /** Lark over HTTP (POST /lark/events) or the long connection (no HTTP route). */
  lark?: 'http' | 'ws';
  /** Slack over Socket Mode (through the fake's WebSocket) instead of HTTP. */
  socketMode?: boolean;
  /** Default: a fresh SQLite file in a temp folder (a copy of the run's migrated template, db-templates.ts), removed by stop(). */
  databaseUrl?: string;
  /** Set LARK_ENCRYPT_KEY: bodies are then encrypted and signed by the helpers. */
  larkEncryptKey?: string;
  orgFile?: string;
  /** KEHU_CATALOG_FILE (default: unset, the bundled example). */
  catalogFile?: string;
  clock?: () => Date;
  /**
   * Worker poll interval (default 100 ms): how soon a job made due by a moved test clock is
   * seen. Each poll is a query on each of the two workers: at 25 ms an idle harness took a
   * sixth of a core (100 ms: a sixteenth), all through its file.
   */
  pollMs?: number;
  /** Slack's auth.test fails (HTTP 500) from the start: Slack is down while kehu starts. */
  slackDown?: boolean;
  /** Log level for the captured logs (default 'info'); KEHU_TEST_LOG=1 also prints them. */
  logLevel?: Settings['logLevel'];
}

export interface HttpResult {
  status: number;
  /** Client round trip, milliseconds. */
  ms: number;
  text: string;
  headers: Headers;
}

export interface SlashResult extends HttpResult {
  /** The id of the response_url given to Slack: slackReply() waits for what is posted there. */
  responseId: string;
}

export interface SlackSendOptions {
  /** false: no signature headers; 'bad': a wrong signature (default: signed correctly). */
  sign?: boolean | 'bad';
  /** Signature timestamp in seconds (default now). */
  timestamp?: number;
  headers?: Record<string, string>;
}

export interface LarkSendOptions {
  /** Encrypt the body (default: when the harness has an encrypt key). */
  encrypt?: boolean;
  /** false: no signature headers; 'bad': wrong signature (default: signed when there is a key). */
  sign?: boolean | 'bad';
  timestamp?: number;
  headers?: Record<string, string>;
}

export interface LogLine {
  level: string;
  msg?: string;
  [k: string]: unknown;
}

export interface Harness {
  kehu: Kehu;
  /** The test's own connection to kehu's database (kehu's is in its work thread). */
  db: Database;
  /** http://127.0.0.1:PORT of kehu */
  url: string;
  databaseUrl: string;
  /** Throws when the harness was started without Slack / Lark. */
  readonly fakeSlack: FakeSlack;
  readonly fakeLark: FakeLark;
  /** Every log line kehu wrote (JSON objects). */
  logs: LogLine[];
  get(path: string): Promise<HttpResult>;
  post(path: string, body: string, headers?: Record<string, string>): Promise<HttpResult>;
  /** Repeated deliveries dropped, as /metrics shows them (the chat thread counts, the main thread reports). */
  duplicatesDropped(platform: 'slack' | 'lark'): Promise<number>;

  /** Signs (or mis-signs) and posts a Slack request to /slack/events. */
  slackPost(request: SlackRequest, options?: SlackSendOptions): Promise<HttpResult>;
  slashCommand(userId: string, text: string, options?: SlackSendOptions): Promise<SlashResult>;
  /** What kehu posted to the response_url of that command (waits for it). */
  slackReply(result: { responseId: string }, options?: WaitOptions): Promise<SlackResponsePost>;
  blockAction(userId: string, actionId: string, value: Record<string, string>, options?: SlackSendOptions): Promise<SlashResult>;
  slackEvent(event: Record<string, unknown>, options?: SlackSendOptions & { eventId?: string; retryNum?: number }): Promise<HttpResult & { eventId: string }>;
  /** Socket Mode: pushes a slash command envelope and resolves with the app's ack. */
  socketSlashCommand(userId: string, text: string): Promise<{ ack: SocketAck; responseId: string }>;

  /** Posts a JSON body (object or raw text) to /lark/events, encrypted/signed as configured. */
  larkPost(body: object | string, options?: LarkSendOptions): Promise<HttpResult>;
  larkMessage(openId: string, text: string, options?: LarkSendOptions & { chatType?: 'p2p' | 'group'; eventId?: string; createTimeMs?: number; rootId?: string; parentId?: string; mention?: boolean; chatId?: string }): Promise<HttpResult & { envelope: LarkEnvelope }>;
  larkCardAction(openId: string, value: Record<string, unknown>, options?: LarkSendOptions & { messageId?: string; eventId?: string }): Promise<HttpResult & { envelope: LarkEnvelope }>;
  /** Resolves when kehu has finished the Lark work it started after answering. */
  larkIdle(): Promise<void>;
  larkToken: string;
  larkEncryptKey?: string;

  stop(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const runCleanups = async () => {
    // Newest first; splice makes a second stop() a no-op.
    for (const c of cleanups.splice(0).reverse()) await c();
  };
  try {
    const fakeSlack = options.slack ? await startFakeSlack({ users: testSlackUsers() }) : undefined;
    if (fakeSlack) cleanups.push(() => fakeSlack.close());
    if (fakeSlack && options.slackDown) fakeSlack.failNext('auth.test', { status: 500 }, 1_000_000);
    const fakeLark = options.lark ? await startFakeLark({ users: testLarkUsers() }) : undefined;
    if (fakeLark) cleanups.push(() => fakeLark.close());

    let databaseUrl = options.databaseUrl;
    if (!databaseUrl) {
      const file = freshSqliteFile('kehu-harness-');
      cleanups.push(() => rmSync(file.dir, { recursive: true, force: true }));
      databaseUrl = file.url;
    }

    const settings: Settings = {
      databaseUrl,
      port: 0,
      orgFile: options.orgFile ?? TEST_ORG_FILE,
      catalogFile: options.catalogFile,
      logLevel: options.logLevel ?? 'info',
      slack: fakeSlack
        ? {
            botToken: SLACK_BOT_TOKEN,
            signingSecret: SLACK_SIGNING_SECRET,
            appToken: options.socketMode ? SLACK_APP_TOKEN : undefined,
            apiUrl: fakeSlack.apiUrl,
          }
        : undefined,
      lark: fakeLark
        ? {
            appId: LARK_APP_ID,
            appSecret: LARK_APP_SECRET,
            verificationToken: LARK_VERIFICATION_TOKEN,
            encryptKey: options.larkEncryptKey,
            domain: fakeLark.url,
            mode: options.lark!,
          }
        : undefined,
    };

    const logs: LogLine[] = [];
    const echo = process.env.KEHU_TEST_LOG === '1';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (!line) continue;
          if (echo) process.stderr.write(`${line}\n`);
          try {
            logs.push(JSON.parse(line) as LogLine);
          } catch {
            logs.push({ level: 'raw', msg: line });
          }
        }
        done();
      },
    });
    const kehu = await startKehu({ settings, logTo: sink, clock: options.clock, host: '127.0.0.1', worker: { pollMs: options.pollMs ?? 100 } });
    cleanups.push(() => kehu.stop());
    const db = await openDatabase(databaseUrl);
    cleanups.push(() => db.close());
    const url = `http://127.0.0.1:${kehu.port}`;

    const request = async (method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<HttpResult> => {
      const started = performance.now();
      const res = await fetch(`${url}${path}`, { method, body, headers });
      const text = await res.text();
      return { status: res.status, ms: performance.now() - started, text, headers: res.headers };
    };

    const need = <T>(value: T | undefined, what: string): T => {
      if (value === undefined) throw new Error(`harness started without ${what}`);
      return value;
    };

    const slackPost = (req: SlackRequest, o: SlackSendOptions = {}) => {
      const ts = o.timestamp ?? Math.floor(Date.now() / 1000);
      const sign = o.sign ?? true;
      const signature = sign === false ? {} : signSlack(sign === 'bad' ? `${SLACK_SIGNING_SECRET}-wrong` : SLACK_SIGNING_SECRET, req.body, ts);
      return request('POST', '/slack/events', req.body, { 'content-type': req.contentType, ...signature, ...req.headers, ...o.headers });
    };

    const larkEncryptKey = options.larkEncryptKey;
    const larkPost = (body: object | string, o: LarkSendOptions = {}) => {
      let raw = typeof body === 'string' ? body : JSON.stringify(body);
      if (o.encrypt ?? larkEncryptKey !== undefined) raw = JSON.stringify({ encrypt: larkEncrypt(need(larkEncryptKey, 'a Lark encrypt key'), raw) });
      const sign = o.sign ?? larkEncryptKey !== undefined;
      const key = sign === 'bad' ? 'not-the-key' : larkEncryptKey ?? 'no-key';
      const signature = sign === false ? {} : larkSignatureHeaders(key, raw, o.timestamp);
      return request('POST', '/lark/events', raw, { 'content-type': 'application/json; charset=utf-8', ...signature, ...o.headers });
    };

    const harness: Harness = {
      kehu,
      db,
      url,
      databaseUrl,
      get fakeSlack() {
        return need(fakeSlack, 'Slack');
      },
      get fakeLark() {
        return need(fakeLark, 'Lark');
      },
      logs,
      get: (path) => request('GET', path),
      post: (path, body, headers) => request('POST', path, body, headers),
      async duplicatesDropped(platform) {
        const { text } = await request('GET', '/metrics');
        const line = new RegExp(`^kehu_duplicate_deliveries_total\\{platform="${platform}"\\} (\\d+)$`, 'm');
        return Number(line.exec(text)?.[1] ?? 0);
      },
      slackPost,
      async slashCommand(userId, text, o) {
        const responseId = randomUUID();
        const r = await slackPost(slashCommand({ userId, text, responseUrl: need(fakeSlack, 'Slack').responseUrl(responseId) }), o);
        return { ...r, responseId };
      },
      slackReply: ({ responseId }, o) => need(fakeSlack, 'Slack').waitForResponse((r) => r.id === responseId, { what: `the reply on response_url ${responseId}`, ...o }),
      async blockAction(userId, actionId, value, o) {
        const responseId = randomUUID();
        const r = await slackPost(blockActions({ userId, actionId, value, responseUrl: need(fakeSlack, 'Slack').responseUrl(responseId) }), o);
        return { ...r, responseId };
      },
      async slackEvent(event, o = {}) {
        const eventId = o.eventId ?? `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
        const r = await slackPost(eventCallback({ eventId, event, retryNum: o.retryNum }), o);
        return { ...r, eventId };
      },
      async socketSlashCommand(userId, text) {
        const slack = need(fakeSlack, 'Slack');
        const responseId = randomUUID();
        const ack = await slack.socket.push({ type: 'slash_commands', payload: slashCommandPayload({ userId, text, responseUrl: slack.responseUrl(responseId) }), accepts_response_payload: true });
        return { ack, responseId };
      },
      larkPost,
      async larkMessage(openId, text, o = {}) {
        const envelope = larkMessageEvent({ openId, text, token: LARK_VERIFICATION_TOKEN, chatType: o.chatType, eventId: o.eventId, createTimeMs: o.createTimeMs, rootId: o.rootId, parentId: o.parentId, mention: o.mention, chatId: o.chatId });
        return { ...(await larkPost(envelope, o)), envelope };
      },
      async larkCardAction(openId, value, o = {}) {
        const envelope = larkCardAction({ openId, value, token: LARK_VERIFICATION_TOKEN, messageId: o.messageId, eventId: o.eventId });
        return { ...(await larkPost(envelope, o)), envelope };
      },
      larkIdle: () => kehu.idle(),
      larkToken: LARK_VERIFICATION_TOKEN,
      larkEncryptKey,
      stop: runCleanups,
    };
    if (options.socketMode) await need(fakeSlack, 'Slack').socket.waitForConnection();
    return harness;
  } catch (e) {
    await runCleanups();
    throw e;
  }
}
