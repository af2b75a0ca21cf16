// Slack over HTTP, end to end: the real kehu (Bolt HTTPReceiver behind kehu's own checks)
// on 127.0.0.1, driven with signed requests; replies land on the fake Slack.
import { describe, expect, it } from 'vitest';
import { SLACK_SIGNING_SECRET } from '../support/harness.ts';
import { useHarness } from '../support/use-harness.ts';
import { FAKE_BOT_ID, FAKE_BOT_USER_ID } from '../fakes/fake-slack.ts';
import { appHomeOpened, blockActions, eventCallback, signSlack, slackFixtureEvent, slashCommand, SLACK_FORM, SLACK_JSON } from '../support/slack-requests.ts';
import { SLACK, STRANGER_EMAIL } from '../support/test-org.ts';
import { waitFor } from '../support/wait-for.ts';

const h = useHarness({ slack: true });

const nowSeconds = () => Math.floor(Date.now() / 1000);
const inboundEventCount = () => h.db.prisma.job.count();
const blocksText = (body: Record<string, unknown>) => JSON.stringify(body.blocks ?? []);

/** Proves that nothing was processed: no reply, no Web API call, no inbound-event row, once kehu is idle. */
async function expectNothingProcessed(rowsBefore: number): Promise<void> {
  await h.kehu.idle();
  expect(h.fakeSlack.responses).toEqual([]);
  expect(h.fakeSlack.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  expect(await inboundEventCount()).toBe(rowsBefore);
}

describe('request verification', () => {
  it('answers a correctly signed slash command with 200 and replies through response_url', async () => {
    const r = await h.slashCommand(SLACK.tomReed, 'help');
    expect(r.status).toBe(200);
    const reply = await h.slackReply(r);
    expect(reply.body.response_type).toBe('ephemeral');
  });

  it.each([
    ['a wrong signature', { sign: 'bad' as const }],
    ['no signature at all', { sign: false }],
    ['a timestamp older than 5 minutes', { timestamp: nowSeconds() - 6 * 60 }],
    ['a timestamp 6 minutes in the future', { timestamp: nowSeconds() + 6 * 60 }],
  ])('refuses a slash command with %s: 401, nothing processed', async (_name, options) => {
    const rows = await inboundEventCount();
    const r = await h.slashCommand(SLACK.tomReed, 'help', options);
    expect(r.status).toBe(401);
    await expectNothingProcessed(rows);
  });

  it('refuses a badly signed event: no inbound-event row, no views.publish', async () => {
    const rows = await inboundEventCount();
    const r = await h.slackEvent(appHomeOpened(SLACK.tomReed), { sign: 'bad' });
    expect(r.status).toBe(401);
    await expectNothingProcessed(rows);
  });

  it('refuses a signature made for another body (body swapped in transit)', async () => {
    const signedFor = slashCommand({ userId: SLACK.tomReed, text: 'help', responseUrl: h.fakeSlack.responseUrl() });
    const sent = slashCommand({ userId: SLACK.meiLin, text: 'whoami', responseUrl: h.fakeSlack.responseUrl() });
    const r = await h.post('/slack/events', sent.body, { 'content-type': SLACK_FORM, ...signSlack(SLACK_SIGNING_SECRET, signedFor.body) });
    expect(r.status).toBe(401);
    await expectNothingProcessed(await inboundEventCount());
  });
});

describe('malformed requests', () => {
  it.each([
    ['invalid JSON', { body: '{"type": "event_callback", ', contentType: SLACK_JSON }, 400],
    ['a JSON array', { body: '[1,2,3]', contentType: SLACK_JSON }, 400],
    ['an unrecognised JSON payload', { body: JSON.stringify({ hello: 'world' }), contentType: SLACK_JSON }, 400],
    ['an event_callback without event_id', { body: JSON.stringify({ type: 'event_callback', event: { type: 'app_home_opened' } }), contentType: SLACK_JSON }, 400],
    ['a payload= field that is not JSON', { body: 'payload=%7Bnot-json', contentType: SLACK_FORM }, 400],
    ['a form without the slash-command fields', { body: 'foo=bar&baz=1', contentType: SLACK_FORM }, 400],
    ['a form with a charset suffix', { body: 'command=%2Fkehu&text=help&user_id=U0TOMREED', contentType: `${SLACK_FORM}; charset=utf-8` }, 415],
    ['a text/plain body', { body: 'help', contentType: 'text/plain' }, 415],
  ])('answers %s with %i and keeps serving', async (_name, request, status) => {
    const rows = await inboundEventCount();
    const r = await h.slackPost(request);
    expect(r.status).toBe(status);
    await expectNothingProcessed(rows);
    // Still alive and still serving commands.
    expect((await h.get('/healthz')).status).toBe(200);
    const ok = await h.slashCommand(SLACK.tomReed, 'help');
    expect(ok.status).toBe(200);
    await h.slackReply(ok);
  });

  it('answers a body over 1 MiB with 413', async () => {
    const r = await h.slackPost({ body: `text=${'x'.repeat(1024 * 1024 + 10)}`, contentType: SLACK_FORM });
    expect(r.status).toBe(413);
  });

  it('answers GET /slack/events with 405', async () => {
    expect((await h.get('/slack/events')).status).toBe(405);
  });
});

describe('/kehu commands', () => {
  it('help in English for an English speaker, as Block Kit', async () => {
    const reply = await h.slackReply(await h.slashCommand(SLACK.tomReed, 'help'));
    expect(reply.body.text).toBe('kehu — what you can do');
    const blocks = reply.body.blocks as { type: string }[];
    expect(blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: 'kehu — what you can do' } });
    expect(blocks.map((b) => b.type)).toContain('section');
    expect(blocksText(reply.body)).toContain('Hello Tom Reed');
    expect(blocksText(reply.body)).toContain('whoami');
  });

  it('the Chinese alias 帮助 answers in the person’s own language (English for Tom)', async () => {
    const reply = await h.slackReply(await h.slashCommand(SLACK.tomReed, '帮助'));
    expect(reply.body.text).toBe('kehu — what you can do');
  });

  it('help in Chinese for a zh-CN person', async () => {
    const reply = await h.slackReply(await h.slashCommand(SLACK.meiLin, 'help'));
    expect(reply.body.text).toBe('kehu — 你可以做什么');
    expect(blocksText(reply.body)).toContain('林梅，你好');
  });

  it('whoami / 我是谁 show the org record with localised field names', async () => {
    const en = await h.slackReply(await h.slashCommand(SLACK.tomReed, 'whoami'));
    expect(blocksText(en.body)).toContain('*Email*\\ntom.reed@kehu.test');
    expect(blocksText(en.body)).toContain('*Manager*\\n林梅');
    expect(en.body.blocks).toContainEqual(expect.objectContaining({ type: 'section', fields: expect.any(Array) }));

    const zh = await h.slackReply(await h.slashCommand(SLACK.meiLin, '我是谁'));
    expect(blocksText(zh.body)).toContain('*邮箱*\\nmei.lin@kehu.test');
    expect(blocksText(zh.body)).toContain('*下属*');
  });

  it('an unknown command gets "did you mean"', async () => {
    const reply = await h.slackReply(await h.slashCommand(SLACK.tomReed, 'hlep'));
    expect(reply.body.text).toBe('I don\'t know the command "hlep". Did you mean `help`?');
    expect(blocksText(reply.body)).toContain('/kehu help');
  });

  it('a Slack user who is not in the org gets a clear sentence, not a stack trace', async () => {
    const reply = await h.slackReply(await h.slashCommand(SLACK.stranger, 'help'));
    expect(reply.body.text).toContain(`我还不认识你（${STRANGER_EMAIL}）`);
    expect(JSON.stringify(reply.body)).not.toMatch(/Error|\n\s+at |stack/);
  });

  it('a user Slack does not know either is named by their user id', async () => {
    const reply = await h.slackReply(await h.slashCommand(SLACK.nobody, 'whoami'));
    expect(reply.body.text).toContain(`我还不认识你（${SLACK.nobody}）`);
  });

  it('a person without a Slack id in the org file is matched by email through users.info, once', async () => {
    const first = await h.slackReply(await h.slashCommand(SLACK.wuHao, 'whoami'));
    expect(first.body.text).toContain('吴昊');
    expect(h.fakeSlack.callsOf('users.info').map((c) => c.params.user)).toEqual([SLACK.wuHao]);
    expect(h.fakeSlack.callsOf('users.info')[0]!.token).toBe('xoxb-test-bot-token');

    await h.slackReply(await h.slashCommand(SLACK.wuHao, 'help'));
    expect(h.fakeSlack.callsOf('users.info')).toHaveLength(1);
    const saved = await h.db.prisma.chatIdentity.findMany({ where: { platform: 'slack', userId: SLACK.wuHao } });
    expect(saved.map((s) => s.email)).toEqual(['wu.hao@kehu.test']);
  });

  it('explicit Slack ids in the org file need no users.info call', async () => {
    await h.slackReply(await h.slashCommand(SLACK.meiLin, 'whoami'));
    expect(h.fakeSlack.callsOf('users.info')).toEqual([]);
  });

  it('a command over 4,000 characters is acked at once and answered "too long" in the person’s language', async () => {
    const long = `claim ${'长'.repeat(4500)}`;
    const en = await h.slashCommand(SLACK.tomReed, long);
    // Acked as any command (Slack waits 3 s); the answer comes through the inbox.
    expect(en.status).toBe(200);
    expect(en.ms).toBeLessThan(3000);
    expect((await h.slackReply(en)).body.text).toBe('That message is 4506 characters long; a command takes at most 4000. Please shorten it and send it again.');
    const zh = await h.slackReply(await h.slashCommand(SLACK.meiLin, long));
    expect(zh.body.text).toBe('这条消息有 4506 个字符，一条命令最多 4000 个字符。请缩短后重新发送。');
    expect(await h.db.prisma.customer.count()).toBe(0);
  });

  it('empty text is help', async () => {
    const reply = await h.slackReply(await h.slashCommand(SLACK.tomReed, ''));
    expect(reply.body.text).toBe('kehu — what you can do');
  });
});

describe('events', () => {
  it('App Home: app_home_opened publishes the person’s home view', async () => {
    const r = await h.slackEvent(appHomeOpened(SLACK.tomReed));
    expect(r.status).toBe(200);
    const publish = await h.fakeSlack.waitForCall('views.publish');
    expect(publish.params.user_id).toBe(SLACK.tomReed);
    const view = publish.params.view as { type: string; blocks: { type: string }[] };
    expect(view.type).toBe('home');
    expect(view.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Welcome, Tom Reed' } });
    expect(JSON.stringify(view.blocks)).toContain('/kehu whoami');
    expect(JSON.stringify(view.blocks)).toContain('tom.reed@kehu.test');
  });

  it('App Home for somebody outside the org says so', async () => {
    await h.slackEvent(appHomeOpened(SLACK.stranger));
    const publish = await h.fakeSlack.waitForCall('views.publish');
    expect(JSON.stringify(publish.params.view)).toContain('我还不认识你');
  });

  it('a retried event (same event_id, x-slack-retry-num) is processed once', async () => {
    const duplicatesBefore = await h.duplicatesDropped('slack');
    const first = await h.slackEvent(appHomeOpened(SLACK.meiLin));
    const retry1 = await h.slackEvent(appHomeOpened(SLACK.meiLin), { eventId: first.eventId, retryNum: 1 });
    const retry2 = await h.slackEvent(appHomeOpened(SLACK.meiLin), { eventId: first.eventId, retryNum: 2 });
    expect([first.status, retry1.status, retry2.status]).toEqual([200, 200, 200]);
    await h.fakeSlack.waitForCall('views.publish');
    await waitFor(async () => (await h.duplicatesDropped('slack')) === duplicatesBefore + 2, { what: 'two duplicates counted' });
    await h.kehu.idle();
    expect(h.fakeSlack.callsOf('views.publish')).toHaveLength(1);
    expect(await h.db.prisma.job.count({ where: { idempotencyKey: `inbox.slack:${first.eventId}` } })).toBe(1);
  });

  it('the same event_id repeated without retry headers is processed once too', async () => {
    const request = eventCallback({ eventId: 'EvREPEATED01', event: appHomeOpened(SLACK.tomReed) });
    await Promise.all([h.slackPost(request), h.slackPost(request), h.slackPost(request)]);
    await h.fakeSlack.waitForCall('views.publish');
    await h.kehu.idle();
    expect(h.fakeSlack.callsOf('views.publish')).toHaveLength(1);
  });

  it('answers url_verification with the challenge', async () => {
    const r = await h.slackPost({ body: JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 'x' }), contentType: SLACK_JSON });
    expect(r.status).toBe(200);
    expect(r.text).toContain('abc123');
  });

  it("answers Slack's unsigned ssl_check with 200 and dispatches nothing, even with a smuggled command", async () => {
    const rows = await inboundEventCount();
    const body = new URLSearchParams({ ssl_check: '1', command: '/kehu', text: 'help', user_id: SLACK.tomReed, response_url: h.fakeSlack.responseUrl() }).toString();
    const r = await h.post('/slack/events', body, { 'content-type': SLACK_FORM });
    expect(r.status).toBe(200);
    await expectNothingProcessed(rows);
  });
});

describe('DMs to the bot (message.im)', () => {
  const dmOf = (user: string) => `D${user.slice(1)}`;
  const posted = (user: string) => h.fakeSlack.callsOf('chat.postMessage').filter((c) => c.params.channel === dmOf(user));

  it('a DM is a command without /kehu, answered in that DM in the person’s language', async () => {
    const r = await h.slackEvent(slackFixtureEvent('message-im', { user: SLACK.tomReed, channel: dmOf(SLACK.tomReed), text: 'whoami' }));
    expect(r.status).toBe(200);
    const answer = await h.fakeSlack.waitForCall('chat.postMessage', (c) => c.params.channel === dmOf(SLACK.tomReed));
    expect(JSON.stringify(answer.params.blocks)).toContain('tom.reed@kehu.test');
    await h.slackEvent(slackFixtureEvent('message-im', { user: SLACK.meiLin, channel: dmOf(SLACK.meiLin), text: '帮助' }));
    const zh = await h.fakeSlack.waitForCall('chat.postMessage', (c) => c.params.channel === dmOf(SLACK.meiLin));
    expect(zh.params.text).toBe('kehu — 你可以做什么');
  });

  it('reads the text as typed: entities and links decoded, /kehu optional', async () => {
    await h.slackEvent(slackFixtureEvent('message-im', { user: SLACK.tomReed, channel: dmOf(SLACK.tomReed), text: '/kehu claim Smith &amp; Sons &lt;UK&gt; <mailto:x@y.test|x@y.test>' }));
    const answer = await h.fakeSlack.waitForCall('chat.postMessage', (c) => c.params.channel === dmOf(SLACK.tomReed));
    expect(String(answer.params.text)).toContain('Smith & Sons <UK> x@y.test is now your customer');
  });

  it.each([
    ['an edit (message_changed)', () => slackFixtureEvent('message-changed', { channel: 'D0TOMREED' })],
    ['another app’s message (bot_message)', () => slackFixtureEvent('bot-message', { channel: 'D0TOMREED' })],
    ['kehu’s own reply in the DM', () => slackFixtureEvent('message-im', { user: FAKE_BOT_USER_ID, bot_id: FAKE_BOT_ID, channel: 'D0TOMREED', text: 'kehu — what you can do' })],
    ['a message in a channel', () => slackFixtureEvent('message-im', { user: SLACK.tomReed, channel: 'C0GENERAL', channel_type: 'channel', text: 'help' })],
  ])('ignores %s', async (_name, event) => {
    const r = await h.slackEvent(event());
    expect(r.status).toBe(200);
    // Stored and worked off like any event, then nothing is said.
    await h.kehu.idle();
    const row = await h.db.prisma.job.findUnique({ where: { idempotencyKey: `inbox.slack:${r.eventId}` } });
    expect(row?.status).toBe('done');
    expect(posted(SLACK.tomReed)).toEqual([]);
    expect(h.fakeSlack.responses).toEqual([]);
  });
});

describe('buttons', () => {
  it('a kehu button press is acked and routed: an unknown action says the message is out of date', async () => {
    const r = await h.blockAction(SLACK.tomReed, 'kehu:no.such.action:0', { customer: 'c1' });
    expect(r.status).toBe(200);
    const notice = await h.slackReply(r);
    expect(notice.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(notice.body.text).toBe('That button no longer does anything; the message may be out of date.');
  });

  it('a button from somebody outside the org gets the not-in-org sentence', async () => {
    const notice = await h.slackReply(await h.blockAction(SLACK.stranger, 'kehu:no.such.action:0', {}));
    expect(notice.body.text).toContain('我还不认识你');
  });

  it('a malformed button value is acked and ignored', async () => {
    const req = blockActions({ userId: SLACK.tomReed, actionId: 'kehu:x:0', value: {}, responseUrl: h.fakeSlack.responseUrl() });
    const broken = req.body.replace(encodeURIComponent('"value":"{}"'), encodeURIComponent('"value":"not json"'));
    expect(broken).not.toBe(req.body);
    const r = await h.slackPost({ ...req, body: broken });
    expect(r.status).toBe(200);
    await waitFor(() => h.logs.some((l) => l.msg === 'malformed button value'), { what: 'the malformed-value warning' });
    expect(h.fakeSlack.responses).toEqual([]);
  });
});
