// Queued notifications end to end: a notify.person job written in a transaction (outbox)
// is picked up by the real worker and reaches the fake Slack / Lark exactly once; a rate
// limit delays it instead of losing it; a lost answer does not double-send (Lark: uuid;
// Slack: the retry finds the message by the key in its metadata); a refusal no retry can
// fix ends the job at once.
import { describe, expect, it } from 'vitest';
import { reply } from '../../src/chat/reply.ts';
import { enqueueNotification } from '../../src/jobs/notify-person.job.ts';
import { larkUuid } from '../../src/platforms/lark/lark-sender.ts';
import type { Harness } from '../support/harness.ts';
import { useHarness } from '../support/use-harness.ts';
import { SLACK, LARK } from '../support/test-org.ts';
import { waitFor } from '../support/wait-for.ts';

// Some tests wait out a 1 s Retry-After; leave room for a busy machine.
const RETRY_TEST_TIMEOUT_MS = 20_000;

let keySeq = 0;
const newKey = (what: string) => `test:${what}:${process.pid}:${++keySeq}`;

async function notify(h: Harness, personId: string, text: string, idempotencyKey = newKey(personId)): Promise<string> {
  await h.db.prisma.$transaction((tx) => enqueueNotification(tx, { personId, reply: reply(text), idempotencyKey, runAt: new Date() }));
  return idempotencyKey;
}

const job = (h: Harness, idempotencyKey: string) => h.db.prisma.job.findUnique({ where: { idempotencyKey } });
const jobDone = (h: Harness, key: string) => waitFor(async () => (await job(h, key))?.status === 'done', { what: `job ${key} done`, timeoutMs: 8000 });
const jobDead = (h: Harness, key: string) =>
  waitFor(
    async () => {
      const row = await job(h, key);
      return row?.status === 'dead' && row;
    },
    { what: `job ${key} dead`, timeoutMs: 8000 },
  );

/** Waits for the first attempt to have failed, then brings the retry forward instead of waiting out the backoff. */
async function retryNow(h: Harness, key: string): Promise<void> {
  await waitFor(async () => {
    const row = await job(h, key);
    return row?.attempts === 1 && row.status === 'pending';
  }, { what: 'the failed first attempt' });
  await h.db.prisma.job.update({ where: { idempotencyKey: key }, data: { runAt: new Date() } });
}

describe('notifications over Slack', { timeout: RETRY_TEST_TIMEOUT_MS }, () => {
  const h = useHarness({ slack: true });

  it('reach the person as one chat.postMessage to their Slack id', async () => {
    const key = await notify(h, 'tom.reed', 'Your customer is waiting');
    await jobDone(h, key);
    const posts = h.fakeSlack.callsOf('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.params).toMatchObject({ channel: SLACK.tomReed, text: 'Your customer is waiting' });
    expect(posts[0]!.params.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'Your customer is waiting' } }]);
    expect(posts[0]!.token).toBe('xoxb-test-bot-token');
  });

  it('find a person without a Slack id by email (users.lookupByEmail), once', async () => {
    await jobDone(h, await notify(h, 'wu.hao', 'first'));
    await jobDone(h, await notify(h, 'wu.hao', 'second'));
    expect(h.fakeSlack.callsOf('users.lookupByEmail').map((c) => c.params.email)).toEqual(['wu.hao@kehu.test']);
    expect(h.fakeSlack.callsOf('chat.postMessage').map((c) => c.params.channel)).toEqual([SLACK.wuHao, SLACK.wuHao]);
  });

  it('are enqueued once per idempotency key, and delivered once', async () => {
    const key = newKey('dup');
    await notify(h, 'tom.reed', 'only once', key);
    await notify(h, 'tom.reed', 'only once', key);
    await jobDone(h, key);
    await h.kehu.idle();
    expect(h.fakeSlack.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('are not lost nor sent twice when the job was rolled back with its transaction', async () => {
    const key = newKey('rollback');
    await expect(
      h.db.prisma.$transaction(async (tx) => {
        await enqueueNotification(tx, { personId: 'tom.reed', reply: reply('never'), idempotencyKey: key, runAt: new Date() });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    expect(await job(h, key)).toBeNull();
  });

  it('wait out a 429 with Retry-After and then deliver exactly once', async () => {
    h.fakeSlack.failNext('chat.postMessage', { rateLimited: 1 });
    const key = await notify(h, 'tom.reed', 'after the rate limit');
    await jobDone(h, key);
    const attempts = h.fakeSlack.calls.filter((c) => c.method === 'chat.postMessage');
    expect(attempts.map((c) => c.failed)).toEqual([true, false]);
    // Not a timing assertion on kehu's speed: the retry must not come before Retry-After.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(900);
    const row = await job(h, key);
    expect(row?.lastError).toContain('rate limited');
  });

  it('retry a Slack platform error with backoff and deliver once', async () => {
    h.fakeSlack.failNext('chat.postMessage', { error: 'internal_error' });
    const key = await notify(h, 'tom.reed', 'after an error');
    await retryNow(h, key);
    await jobDone(h, key);
    expect(h.fakeSlack.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('do not double-send when Slack posted but its answer was lost (the retry finds it by its key)', async () => {
    h.fakeSlack.failNext('chat.postMessage', { status: 500, afterDelivery: true });
    const key = await notify(h, 'tom.reed', 'answer lost');
    await retryNow(h, key);
    await jobDone(h, key);
    expect(h.fakeSlack.messagesIn(SLACK.tomReed).map((m) => [m.text, m.metadata?.event_payload?.key])).toEqual([['answer lost', key]]);
    expect(h.fakeSlack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
  });

  it('go dead at once when Slack refuses for good, naming the error', async () => {
    h.fakeSlack.failNext('chat.postMessage', { error: 'messages_tab_disabled' });
    const key = await notify(h, 'tom.reed', 'nowhere to go');
    expect(await jobDead(h, key)).toMatchObject({ attempts: 1, lastError: 'PermanentJobError: slack: messages_tab_disabled' });
  });
});

describe('notifications over Lark', { timeout: RETRY_TEST_TIMEOUT_MS }, () => {
  const h = useHarness({ lark: 'http' });

  it('reach the person as one interactive message with a uuid derived from the job key', async () => {
    const key = await notify(h, 'tom.reed', 'Your customer is waiting');
    await jobDone(h, key);
    expect(h.fakeLark.messages).toHaveLength(1);
    expect(h.fakeLark.messages[0]).toMatchObject({ kind: 'create', receive_id: LARK.tomReed, receive_id_type: 'open_id', msg_type: 'interactive', uuid: larkUuid(key) });
    expect(h.fakeLark.messages[0]!.content).toMatchObject({ schema: '2.0' });
  });

  it('find a person without a Lark id by email (batch_get_id)', async () => {
    await jobDone(h, await notify(h, 'wu.hao', 'hello'));
    expect(h.fakeLark.callsOf('user.batchGetId')[0]!.body).toEqual({ emails: ['wu.hao@kehu.test'] });
    expect(h.fakeLark.messages.map((m) => m.receive_id)).toEqual([LARK.wuHao]);
  });

  it('wait out an HTTP 429 and then deliver once', async () => {
    h.fakeLark.failNext('message.create', { status: 429, reset: 1 });
    const key = await notify(h, 'tom.reed', 'after a 429');
    await jobDone(h, key);
    const attempts = h.fakeLark.calls.filter((c) => c.api === 'message.create');
    expect(attempts.map((c) => c.failed)).toEqual([true, false]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(900);
    expect(h.fakeLark.messages).toHaveLength(1);
  });

  it('wait out the business rate-limit code 99991400 and then deliver once', async () => {
    h.fakeLark.failNext('message.create', { code: 99991400 });
    const key = await notify(h, 'tom.reed', 'after 99991400');
    await jobDone(h, key);
    expect(h.fakeLark.calls.filter((c) => c.api === 'message.create').map((c) => c.failed)).toEqual([true, false]);
    expect(h.fakeLark.messages).toHaveLength(1);
  });

  it('do not double-send when the answer to a delivered message is lost (same uuid on retry)', async () => {
    h.fakeLark.failNext('message.create', { status: 500, afterDelivery: true });
    const key = await notify(h, 'tom.reed', 'answer lost');
    await retryNow(h, key);
    await jobDone(h, key);
    expect(h.fakeLark.messages).toHaveLength(1);
    expect(h.fakeLark.duplicateAttempts).toHaveLength(1);
    expect(h.fakeLark.duplicateAttempts[0]!.body.uuid).toBe(larkUuid(key));
  });

  it('go dead at once when the person is outside the app\'s availability range (230013, as Lark answers it: HTTP 400)', async () => {
    h.fakeLark.failNext('message.create', { code: 230013, status: 400, msg: 'Bot has NO availability to this user.' });
    const key = await notify(h, 'tom.reed', 'out of range');
    expect(await jobDead(h, key)).toMatchObject({ attempts: 1, lastError: 'PermanentJobError: lark: 230013 Bot has NO availability to this user.' });
    expect(h.fakeLark.messages).toEqual([]);
  });
});

describe('notifications with both platforms', { timeout: RETRY_TEST_TIMEOUT_MS }, () => {
  const h = useHarness({ slack: true, lark: 'http' });

  it('go over Slack first and not also over Lark', async () => {
    await jobDone(h, await notify(h, 'mei.lin', '你好'));
    expect(h.fakeSlack.callsOf('chat.postMessage').map((c) => c.params.channel)).toEqual([SLACK.meiLin]);
    expect(h.fakeLark.messages).toEqual([]);
  });

  it('fall back to Lark for a person Slack cannot find', async () => {
    h.fakeSlack.users.delete(SLACK.saraNg);
    await jobDone(h, await notify(h, 'sara.ng', 'hello Sara'));
    expect(h.fakeLark.messages.map((m) => m.receive_id)).toEqual([LARK.saraNg]);
  });
});
