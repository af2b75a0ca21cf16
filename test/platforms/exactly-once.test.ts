// Exactly once out, and refusals that retrying cannot fix: the real Slack and Lark senders,
// through the real SDK clients, against the fake platforms over HTTP. A run that cannot
// know whether the platform took its message (the answer was lost, the call hung, the
// process died) is followed by a run with attempt 2, which must not make it two messages;
// a platform error no retry can fix ends the job at once, naming it. Last, the notify.person
// job through the real worker on a real SQLite file.
import { Writable } from 'node:stream';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reply } from '../../src/chat/reply.ts';
import { loadOrgFile } from '../../src/config/org-file.ts';
import type { Person } from '../../src/core/org/org.ts';
import type { Database } from '../../src/db/client.ts';
import { isPermanent, isRetryLater, PermanentJobError, RetryLaterError } from '../../src/jobs/errors.ts';
import { startWorker } from '../../src/jobs/worker.ts';
import { jobHandlers } from '../../src/jobs/job-definition.ts';
import { enqueueNotification, notifyPersonJob } from '../../src/jobs/notify-person.job.ts';
import type { ChatSender, SendContext } from '../../src/notify/notifier.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { IdentityResolver } from '../../src/platforms/identity.ts';
import { createLarkClient } from '../../src/platforms/lark/lark-client.ts';
import { larkSender, larkUuid } from '../../src/platforms/lark/lark-sender.ts';
import { slackClientOptions } from '../../src/platforms/slack/slack-client.ts';
import { NOTICE_EVENT_TYPE, slackSender } from '../../src/platforms/slack/slack-sender.ts';
import { createTestDatabase, type TestDatabase } from '../db/databases.ts';
import { startFakeLark, type FakeLark } from '../fakes/fake-lark.ts';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.ts';
import { LARK_APP_SECRET, LARK_VERIFICATION_TOKEN, SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET } from '../support/harness.ts';
import { LARK_APP_ID } from '../support/lark-requests.ts';
import { LARK, SLACK, TEST_ORG_FILE, testLarkUsers, testSlackUsers } from '../support/test-org.ts';

/** The run that meets a held request gives up this soon; other runs get room for a busy machine. */
const HUNG_TIMEOUT_MS = 300;
const ROOMY_TIMEOUT_MS = 10_000;
/** For the run that meets a held request. */
const hungRun = { timeoutMs: HUNG_TIMEOUT_MS };

const directory = loadOrgFile(TEST_ORG_FILE);
const tom = directory.person('tom.reed')!;

let keySeq = 0;
const newKey = (what: string) => `test:exactly-once:${what}:${process.pid}:${++keySeq}`;
const run = (idempotencyKey: string, attempt: number, since?: Date): SendContext => ({ idempotencyKey, attempt, since });

/** Tom has explicit ids in the org file: no look-up may happen (and none should be needed). */
function explicitIdsOnly(platform: 'slack' | 'lark', db: Database): IdentityResolver {
  const noLookup = async (): Promise<never> => {
    throw new Error('these tests only use people with explicit chat ids');
  };
  return new IdentityResolver(platform, db, { emailOf: noLookup, userIdOf: noLookup }, () => directory);
}

/** The warnings a sender logs, as pino writes them. */
function capturedLogger() {
  const lines: Array<{ msg?: string; [k: string]: unknown }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as { msg?: string });
      done();
    },
  });
  return { logger: createLogger('warn', sink), lines };
}

/** What the sender threw, for assertions on its class, message and code. */
async function failureOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the send to fail');
}

let target: TestDatabase;
let db: Database;

/** A fake Slack for the describe block around it, reset before each test. */
function useFakeSlack(): () => FakeSlack {
  let slack: FakeSlack | undefined;
  beforeAll(async () => {
    slack = await startFakeSlack({ users: testSlackUsers() });
  });
  afterAll(async () => {
    await slack?.close();
  });
  beforeEach(() => slack?.reset());
  return () => slack!;
}

/**
 * The Slack sender on the bot's client as kehu builds it (with its one quick retry: the
 * sender must not let that retry post a second message).
 */
function slackSenderOn(slack: FakeSlack, options: Parameters<typeof slackSender>[2] = {}): ChatSender {
  const botClient = new webApi.WebClient(SLACK_BOT_TOKEN, slackClientOptions({ botToken: SLACK_BOT_TOKEN, signingSecret: SLACK_SIGNING_SECRET, apiUrl: slack.apiUrl }));
  return slackSender(botClient, explicitIdsOnly('slack', db), { timeoutMs: ROOMY_TIMEOUT_MS, ...options });
}

beforeAll(async () => {
  target = await createTestDatabase('sqlite');
  db = await target.open();
});

afterAll(async () => {
  await db?.close();
  await target?.cleanup();
});

describe('Slack: no second message after an uncertain send', () => {
  const fake = useFakeSlack();
  const sender = (options: Parameters<typeof slackSender>[2] = {}) => slackSenderOn(fake(), options);
  const dm = () => fake().messagesIn(SLACK.tomReed);
  const postAttempts = () => fake().calls.filter((c) => c.method === 'chat.postMessage');

  it('carries the job key in the message metadata and reads no history on a first run', async () => {
    const key = newKey('first');
    await expect(sender().sendToPerson(tom, reply('Your customer is waiting'), run(key, 1))).resolves.toBe(true);
    expect(dm()).toHaveLength(1);
    expect(dm()[0]).toMatchObject({ channel: fake().dmOf(SLACK.tomReed), text: 'Your customer is waiting', metadata: { event_type: NOTICE_EVENT_TYPE, event_payload: { key } } });
    expect(fake().callsOf('conversations.history')).toHaveLength(0);
  });

  it('Slack posted, then answered 500: the run with attempt 2 finds the message and posts nothing', async () => {
    const key = newKey('accepted-500');
    fake().failNext('chat.postMessage', { status: 500, afterDelivery: true });
    const first = await failureOf(sender().sendToPerson(tom, reply('once'), run(key, 1)));
    expect(isPermanent(first) || isRetryLater(first)).toBe(false);
    // No retry inside the client either: it would have been the second message.
    expect(postAttempts()).toHaveLength(1);
    expect(dm()).toHaveLength(1);

    await expect(sender().sendToPerson(tom, reply('once'), run(key, 2))).resolves.toBe(true);
    expect(dm()).toHaveLength(1);
    expect(postAttempts()).toHaveLength(1);
    const [history] = fake().callsOf('conversations.history');
    expect(history?.params).toMatchObject({ channel: fake().dmOf(SLACK.tomReed), include_all_metadata: 'true' });
    expect(Number(history?.params.limit)).toBeLessThanOrEqual(100);
  });

  it('Slack posted and never answered: the call times out, and attempt 2 posts nothing', async () => {
    const key = newKey('accepted-hung');
    fake().failNext('chat.postMessage', { hang: true, afterDelivery: true });
    const first = await failureOf(sender(hungRun).sendToPerson(tom, reply('once'), run(key, 1)));
    expect(isPermanent(first)).toBe(false);
    expect(dm()).toHaveLength(1);

    await expect(sender().sendToPerson(tom, reply('once'), run(key, 2))).resolves.toBe(true);
    expect(dm()).toHaveLength(1);
    expect(postAttempts()).toHaveLength(1);
  });

  it('the first run never reached Slack: attempt 2 looks, finds nothing, and posts once', async () => {
    const key = newKey('lost');
    const since = new Date();
    fake().failNext('chat.postMessage', { hang: true });
    await failureOf(sender(hungRun).sendToPerson(tom, reply('lost once'), run(key, 1, since)));
    expect(dm()).toHaveLength(0);

    await expect(sender().sendToPerson(tom, reply('lost once'), run(key, 2, since))).resolves.toBe(true);
    expect(dm().map((m) => m.metadata?.event_payload?.key)).toEqual([key]);
    // Read from a little before the job was created (Slack's ts fractions are a sequence, not time).
    const oldest = Number(fake().callsOf('conversations.history')[0]?.params.oldest);
    expect(oldest).toBeLessThanOrEqual(Math.floor(since.getTime() / 1000));
    expect(oldest).toBeGreaterThan(since.getTime() / 1000 - 3600);
  });

  it('another notice in the same DM is not mistaken for this one', async () => {
    await sender().sendToPerson(tom, reply('an earlier notice'), run(newKey('other'), 1));
    const key = newKey('mine');
    await expect(sender().sendToPerson(tom, reply('this notice'), run(key, 2))).resolves.toBe(true);
    expect(dm().map((m) => m.text)).toEqual(['an earlier notice', 'this notice']);
  });

  it('without im:history (an older install) it cannot look: it sends, and says why', async () => {
    const { logger, lines } = capturedLogger();
    fake().failNext('conversations.history', { error: 'missing_scope' });
    await expect(sender({ logger }).sendToPerson(tom, reply('unchecked'), run(newKey('no-scope'), 2))).resolves.toBe(true);
    expect(dm()).toHaveLength(1);
    expect(lines.map((l) => l.msg).join('\n')).toContain('im:history');
  });

  it('a failed look is retried later, and sends nothing meanwhile', async () => {
    fake().failNext('conversations.history', { status: 503 });
    const error = await failureOf(sender().sendToPerson(tom, reply('later'), run(newKey('look-503'), 2)));
    expect(isPermanent(error)).toBe(false);
    expect(postAttempts()).toHaveLength(0);
  });
});

describe('Slack: refusals that retrying cannot fix go dead at once', () => {
  const fake = useFakeSlack();
  const sender = () => slackSenderOn(fake());

  it.each(['channel_not_found', 'messages_tab_disabled', 'is_archived', 'not_in_channel', 'invalid_auth', 'token_revoked', 'account_inactive', 'missing_scope', 'invalid_blocks', 'msg_too_long'])(
    '%s → PermanentJobError naming it',
    async (code) => {
      fake().failNext('chat.postMessage', { error: code });
      const error = await failureOf(sender().sendToPerson(tom, reply('x'), run(newKey(code), 1)));
      expect(error).toBeInstanceOf(PermanentJobError);
      expect(error.message).toBe(`slack: ${code}`);
      expect((error as PermanentJobError).code).toBe(`slack:${code}`);
    },
  );

  it('user_not_found while opening the DM for the look is permanent too', async () => {
    fake().failNext('conversations.open', { error: 'user_not_found' });
    const error = await failureOf(sender().sendToPerson(tom, reply('x'), run(newKey('open'), 2)));
    expect((error as PermanentJobError).code).toBe('slack:user_not_found');
  });

  it('transient errors stay retryable: internal_error, HTTP 503 (no answer: above); a 429 waits', async () => {
    fake().failNext('chat.postMessage', { error: 'internal_error' });
    fake().failNext('chat.postMessage', { status: 503 });
    fake().failNext('chat.postMessage', { rateLimited: 7 });
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push(await failureOf(sender().sendToPerson(tom, reply('x'), run(newKey(`transient-${i}`), 1))));
    expect(outcomes.slice(0, 2).map((e) => isPermanent(e) || isRetryLater(e))).toEqual([false, false]);
    expect(outcomes[2]).toBeInstanceOf(RetryLaterError);
    expect((outcomes[2] as RetryLaterError).retryAfterMs).toBe(7000);
  });
});

describe('Lark: one message per uuid, and permanent codes', () => {
  let fake: FakeLark;
  const sender = (options: Parameters<typeof larkSender>[2] = {}) =>
    larkSender(createLarkClient({ appId: LARK_APP_ID, appSecret: LARK_APP_SECRET, verificationToken: LARK_VERIFICATION_TOKEN, domain: fake.url, mode: 'http' }, createLogger('silent')), explicitIdsOnly('lark', db), {
      timeoutMs: ROOMY_TIMEOUT_MS,
      ...options,
    });

  beforeAll(async () => {
    fake = await startFakeLark({ users: testLarkUsers() });
  });
  afterAll(async () => {
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  it('the fake honours uuid: a second create with the same uuid returns the first message and creates nothing', async () => {
    const key = newKey('uuid');
    await sender().sendToPerson(tom, reply('one'), run(key, 1));
    await sender().sendToPerson(tom, reply('one'), run(key, 2));
    expect(fake.messages).toHaveLength(1);
    expect(fake.duplicateAttempts.map((c) => c.body.uuid)).toEqual([larkUuid(key)]);
  });

  it('Lark delivered and never answered: the attempt times out, and the resend is one message', async () => {
    const key = newKey('lark-hung');
    fake.failNext('message.create', { hang: true, afterDelivery: true });
    const first = await failureOf(sender(hungRun).sendToPerson(tom, reply('once'), run(key, 1)));
    expect(isPermanent(first)).toBe(false);
    expect(first.message).toContain(`${HUNG_TIMEOUT_MS} ms`);

    await expect(sender().sendToPerson(tom, reply('once'), run(key, 2))).resolves.toBe(true);
    expect(fake.messages.map((m) => [m.receive_id, m.uuid])).toEqual([[LARK.tomReed, larkUuid(key)]]);
  });

  it('Lark delivered, then answered 500: the resend is one message', async () => {
    const key = newKey('lark-500');
    fake.failNext('message.create', { status: 500, afterDelivery: true });
    await failureOf(sender().sendToPerson(tom, reply('once'), run(key, 1)));
    await sender().sendToPerson(tom, reply('once'), run(key, 2));
    expect(fake.messages).toHaveLength(1);
  });

  it.each([
    // As Lark answers them: HTTP 400 with the code in the body…
    { code: 230013, status: 400, msg: 'Bot has NO availability to this user.' },
    { code: 230002, status: 400, msg: 'The bot can not be outside the group.' },
    { code: 99991672, status: 400, msg: 'Access denied. One of the following scopes is required: [im:message:send_as_bot]' },
    // … or HTTP 200, as some APIs do.
    { code: 99992361, status: 200, msg: 'open_id cross app' },
  ])('code $code (HTTP $status) → PermanentJobError naming it', async (failure) => {
    fake.failNext('message.create', failure);
    const error = await failureOf(sender().sendToPerson(tom, reply('x'), run(newKey(`lark-${failure.code}`), 1)));
    expect(error).toBeInstanceOf(PermanentJobError);
    expect(error.message).toBe(`lark: ${failure.code} ${failure.msg}`);
    expect((error as PermanentJobError).code).toBe(`lark:${failure.code}`);
    expect(fake.messages).toHaveLength(0);
  });

  it('a rate-limit code in an HTTP 400 waits; an unknown code or a 5xx stays retryable', async () => {
    fake.failNext('message.create', { code: 230020, status: 400, msg: 'This operation triggers the frequency limit.' });
    fake.failNext('message.create', { code: 1500, status: 400, msg: 'internal error' });
    fake.failNext('message.create', { status: 502 });
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push(await failureOf(sender().sendToPerson(tom, reply('x'), run(newKey(`lark-transient-${i}`), 1))));
    expect(outcomes[0]).toBeInstanceOf(RetryLaterError);
    expect(outcomes.slice(1).map((e) => isPermanent(e) || isRetryLater(e))).toEqual([false, false]);
    expect(outcomes[1]!.message).toContain('1500');
  });
});

describe('notify.person through the real worker', () => {
  const fake = useFakeSlack();
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };
  const worker = (senders: ChatSender[]) =>
    startWorker({
      db,
      handlers: jobHandlers([notifyPersonJob], { senders: () => senders, directory: () => directory }),
      logger: quiet,
      autoStart: false,
      // Due again at once: drain() runs every attempt back to back.
      backoff: () => 0,
    });
  const notify = (person: Person, text: string, idempotencyKey: string) =>
    db.prisma.$transaction((tx) => enqueueNotification(tx, { personId: person.id, reply: reply(text), idempotencyKey, runAt: new Date() }));
  const job = (idempotencyKey: string) => db.prisma.job.findUniqueOrThrow({ where: { idempotencyKey } });

  beforeEach(async () => {
    await db.prisma.job.deleteMany();
  });

  it('channel_not_found: the job is dead after one attempt, its lastError naming the platform and the code', async () => {
    const key = newKey('e2e-dead');
    await notify(tom, 'to nowhere', key);
    fake().failNext('chat.postMessage', { error: 'channel_not_found' });
    const w = worker([slackSenderOn(fake())]);
    await w.drain();
    await w.stop();
    expect(await job(key)).toMatchObject({ status: 'dead', attempts: 1, lastError: 'PermanentJobError: slack: channel_not_found' });
  });

  it('Slack posted but answered 500: attempt 2 finds the message, the job is done, the person has one message', async () => {
    const key = newKey('e2e-once');
    await notify(tom, 'exactly once', key);
    fake().failNext('chat.postMessage', { status: 500, afterDelivery: true });
    const w = worker([slackSenderOn(fake())]);
    await w.drain();
    await w.stop();
    expect(await job(key)).toMatchObject({ status: 'done', attempts: 2 });
    expect(fake().messagesIn(SLACK.tomReed).map((m) => [m.text, m.metadata?.event_payload?.key])).toEqual([['exactly once', key]]);
  });
});
