// Lark over HTTP, end to end: kehu's own token/signature/replay checks in front of the
// node-sdk dispatcher, replies through the fake Lark Open API — without an encrypt key,
// with one (encrypted bodies, x-lark-signature), and the long-connection mode.
import { describe, expect, it } from 'vitest';
import { LARK_VERIFICATION_TOKEN } from '../support/harness.ts';
import { useHarness } from '../support/use-harness.ts';
import { FAKE_BOT_OPEN_ID } from '../fakes/fake-lark.ts';
import {
  larkChallenge,
  larkEncrypt,
  larkMentionAll,
  larkMessageEvent,
  larkRecordedPost,
  larkSignatureHeaders,
  LARK_TENANT_KEY,
  type LarkEnvelope,
  type LarkMentionFixture,
} from '../support/lark-requests.ts';
import { LARK, STRANGER_EMAIL } from '../support/test-org.ts';
import { waitFor } from '../support/wait-for.ts';

const ENCRYPT_KEY = 'test-encrypt-key-kehu';
const cardText = (content: Record<string, unknown>) => JSON.stringify(content);

describe('Lark over HTTP without an encrypt key', () => {
  const h = useHarness({ lark: 'http' });

  const expectNothingSent = async () => {
    await h.larkIdle();
    expect(h.fakeLark.messages).toEqual([]);
    expect(h.fakeLark.calls.filter((c) => c.api !== 'token')).toEqual([]);
  };

  it('answers the url_verification challenge', async () => {
    const r = await h.larkPost(larkChallenge({ token: LARK_VERIFICATION_TOKEN, challenge: 'ch-123' }));
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ challenge: 'ch-123' });
  });

  it('refuses a challenge with the wrong token (401)', async () => {
    const r = await h.larkPost(larkChallenge({ token: 'wrong', challenge: 'ch-123' }));
    expect(r.status).toBe(401);
    expect(r.text).not.toContain('ch-123');
  });

  it('refuses an event with the wrong verification token: 401, nothing processed', async () => {
    const rows = await h.db.prisma.job.count();
    const envelope = larkMessageEvent({ openId: LARK.tomReed, text: 'help', token: 'not-the-token' });
    const r = await h.larkPost(envelope);
    expect(r.status).toBe(401);
    await expectNothingSent();
    expect(await h.db.prisma.job.count()).toBe(rows);
  });

  it.each([
    ['a create_time 10 minutes old', { createTimeMs: Date.now() - 10 * 60_000 }, {}],
    ['a create_time 10 minutes ahead', { createTimeMs: Date.now() + 10 * 60_000 }, {}],
    ['a stale x-lark-request-timestamp header', {}, { 'x-lark-request-timestamp': String(Math.floor(Date.now() / 1000) - 600) }],
  ])('refuses %s (401, replay window)', async (_name, event, headers) => {
    const r = await h.larkMessage(LARK.tomReed, 'help', { ...event, headers });
    expect(r.status).toBe(401);
    await expectNothingSent();
  });

  it.each([
    ['invalid JSON', '{"schema": "2.0", '],
    ['a JSON array', '[]'],
    ['a JSON string', '"hello"'],
    ['a v1 event', JSON.stringify({ uuid: 'x', token: LARK_VERIFICATION_TOKEN, ts: '1', type: 'event_callback', event: {} })],
    ['an encrypted body although no key is set', JSON.stringify({ encrypt: 'abc' })],
  ])('answers %s with 400 and keeps serving', async (_name, body) => {
    const r = await h.larkPost(body);
    expect(r.status).toBe(400);
    await expectNothingSent();
    expect((await h.larkMessage(LARK.tomReed, 'help')).status).toBe(200);
    await h.fakeLark.waitForMessage();
  });

  it('a DM "help" is answered at once and replied to with a JSON 2.0 card', async () => {
    const r = await h.larkMessage(LARK.tomReed, 'help');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({});
    const reply = await h.fakeLark.waitForMessage();
    const message = r.envelope.event.message as { message_id: string };
    expect(reply).toMatchObject({ kind: 'reply', parent_id: message.message_id, msg_type: 'interactive' });
    expect(reply.content).toMatchObject({ schema: '2.0', header: { title: { tag: 'plain_text', content: 'kehu — what you can do' } } });
    expect(cardText(reply.content)).toContain('Hello Tom Reed');
    expect(h.fakeLark.callsOf('message.reply')[0]!.token).toBe('t-fake-tenant-token');
  });

  it('帮助 in Chinese from a zh-CN person gets a Chinese card', async () => {
    await h.larkMessage(LARK.meiLin, '帮助');
    const reply = await h.fakeLark.waitForMessage();
    expect(cardText(reply.content)).toContain('kehu — 你可以做什么');
  });

  it('a group @mention "@_user_1 whoami" is understood', async () => {
    const r = await h.larkMessage(LARK.meiLin, 'whoami', { chatType: 'group' });
    expect(JSON.parse((r.envelope.event.message as { content: string }).content)).toEqual({ text: '@_user_1 whoami' });
    const reply = await h.fakeLark.waitForMessage();
    expect(cardText(reply.content)).toContain('**邮箱**: mei.lin@kehu.test');
  });

  it('a person known only by email is matched through the contact API', async () => {
    await h.larkMessage(LARK.wuHao, '我是谁');
    const reply = await h.fakeLark.waitForMessage();
    expect(cardText(reply.content)).toContain('吴昊');
    expect(h.fakeLark.callsOf('user.get').map((c) => c.path)).toEqual([`/open-apis/contact/v3/users/${LARK.wuHao}`]);
  });

  it('somebody outside the org gets a clear sentence', async () => {
    await h.larkMessage(LARK.stranger, 'help');
    const reply = await h.fakeLark.waitForMessage();
    expect(cardText(reply.content)).toContain(`我还不认识你（${STRANGER_EMAIL}）`);
  });

  it('an unknown command gets "did you mean"', async () => {
    await h.larkMessage(LARK.tomReed, 'whoam');
    const reply = await h.fakeLark.waitForMessage();
    expect(cardText(reply.content)).toContain('Did you mean');
    expect(cardText(reply.content)).toContain('whoami');
  });

  it('a message over 4,000 characters is answered "too long", not with help', async () => {
    await h.larkMessage(LARK.tomReed, `who ${'x'.repeat(4100)}`);
    const reply = await h.fakeLark.waitForMessage();
    expect(cardText(reply.content)).toContain('That message is 4104 characters long; a command takes at most 4000.');
  });

  it('the same event_id delivered three times is processed once', async () => {
    const duplicatesBefore = await h.duplicatesDropped('lark');
    const envelope = larkMessageEvent({ openId: LARK.tomReed, text: 'help', token: LARK_VERIFICATION_TOKEN, eventId: 'ev-dup-1' });
    const results = await Promise.all([h.larkPost(envelope), h.larkPost(envelope), h.larkPost(envelope)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    await h.larkIdle();
    expect(h.fakeLark.messages).toHaveLength(1);
    expect(await h.db.prisma.job.count({ where: { idempotencyKey: 'inbox.lark:ev-dup-1' } })).toBe(1);
    // Dropped as it arrives, before the answer: one inbox row, two duplicates counted.
    const dropped = h.logs.filter((l) => l.msg === 'duplicate event dropped' && l.eventId === 'ev-dup-1');
    expect(dropped).toHaveLength(2);
    expect(dropped.every((l) => l.platform === 'lark')).toBe(true);
    expect(await h.duplicatesDropped('lark')).toBe(duplicatesBefore + 2);
  });

  it('ignores messages sent by apps (its own and other bots)', async () => {
    const envelope = larkMessageEvent({ openId: LARK.tomReed, text: 'help', token: LARK_VERIFICATION_TOKEN, senderType: 'app' });
    expect((await h.larkPost(envelope)).status).toBe(200);
    await expectNothingSent();
  });

  it('a card button callback is routed: an unknown action tells the presser the card is out of date', async () => {
    const r = await h.larkCardAction(LARK.tomReed, { kehu_action: 'no.such.action', customer: 'c1' }, { messageId: 'om_card_1' });
    expect(r.status).toBe(200);
    const notice = await h.fakeLark.waitForMessage();
    expect(notice).toMatchObject({ kind: 'create', receive_id: LARK.tomReed, receive_id_type: 'open_id', msg_type: 'interactive' });
    expect(cardText(notice.content)).toContain('That button no longer does anything');
    expect(h.fakeLark.patches).toEqual([]);
  });

  it('a card callback without kehu_action is acknowledged and ignored', async () => {
    expect((await h.larkCardAction(LARK.tomReed, { something: 'else' })).status).toBe(200);
    await expectNothingSent();
  });

  it('a duplicated card callback (double click redelivered) is processed once', async () => {
    const press = { kehu_action: 'no.such.action' };
    await h.larkCardAction(LARK.tomReed, press, { eventId: 'ev-card-dup' });
    await h.larkCardAction(LARK.tomReed, press, { eventId: 'ev-card-dup' });
    await h.larkIdle();
    expect(h.fakeLark.messages).toHaveLength(1);
  });
});

describe('messages as Lark sends them: rich text, mentions, groups', () => {
  const h = useHarness({ lark: 'http' });
  const botMention: LarkMentionFixture = { key: '@_user_1', id: { open_id: FAKE_BOT_OPEN_ID, union_id: 'on_kehu_bot', user_id: '' }, name: 'kehu', tenant_key: LARK_TENANT_KEY };
  const mention = (key: string, openId: string, name: string): LarkMentionFixture => ({ key, id: { open_id: openId, union_id: `on_${openId}`, user_id: '' }, name, tenant_key: LARK_TENANT_KEY });
  /** A text message in a group with exactly this text and these mentions. */
  const groupText = (openId: string, text: string, mentions: LarkMentionFixture[]): LarkEnvelope => {
    const envelope = larkMessageEvent({ openId, text: '', token: LARK_VERIFICATION_TOKEN, chatType: 'group' });
    Object.assign(envelope.event.message as object, { content: JSON.stringify({ text }), mentions });
    return envelope;
  };
  const send = async (envelope: LarkEnvelope) => {
    expect((await h.larkPost(envelope)).status).toBe(200);
    await h.larkIdle();
    return h.fakeLark.messages.map((m) => cardText(m.content)).join('\n');
  };

  it('reads a rich-text (post) DM as a command, not as help', async () => {
    const reply = await send(larkRecordedPost({ openId: LARK.tomReed, token: LARK_VERIFICATION_TOKEN, chatType: 'p2p', mentions: [], content: { title: '', content: [[{ tag: 'text', text: 'whoami', style: [] }]] } }));
    expect(reply).toContain('tom.reed@kehu.test');
  });

  it('reads the recorded group post: the bot @mentioned first, the command after, an image paragraph', async () => {
    const recorded = larkRecordedPost({ openId: LARK.meiLin, token: LARK_VERIFICATION_TOKEN, mentions: [botMention] });
    const content = JSON.parse((recorded.event.message as { content: string }).content) as { content: { tag: string; text?: string }[][] };
    content.content[0]![1]!.text = ' whoami';
    (recorded.event.message as { content: string }).content = JSON.stringify(content);
    expect(await send(recorded)).toContain('mei.lin@kehu.test');
    expect(h.fakeLark.callsOf('bot.info')).toHaveLength(1);
  });

  it('removes the bot’s mention wherever it stands: "who 华为 @_user_1" finds 华为', async () => {
    await send(larkMessageEvent({ openId: LARK.meiLin, text: '认领 华为技术有限公司', token: LARK_VERIFICATION_TOKEN }));
    h.fakeLark.reset();
    expect(await send(groupText(LARK.tomReed, 'who 华为 @_user_1', [botMention]))).toContain('华为技术有限公司 — 林梅');
  });

  it('writes other people’s mentions as names: the org’s name for a person of the org, else the name Lark gave', async () => {
    const mentions = [botMention, mention('@_user_2', LARK.tomReed, 'tom'), mention('@_user_3', 'ou_outsider', 'Zhang San')];
    const reply = await send(groupText(LARK.meiLin, '@_user_1 log 华为 meeting met @_user_2 and @_user_3 at the office', mentions));
    expect(reply).toContain('华为技术有限公司');
    const notes = await h.db.prisma.followUp.findMany({ select: { note: true } });
    expect(notes.map((n) => n.note)).toContain('met @Tom Reed and @Zhang San at the office');
  });

  it.each([
    ['@everyone (@_all) only', () => groupText(LARK.tomReed, '@_all whoami', [larkMentionAll()])],
    ['no mention at all', () => groupText(LARK.tomReed, 'whoami', [])],
    ['somebody else’s mention', () => groupText(LARK.tomReed, '@_user_1 whoami', [mention('@_user_1', LARK.meiLin, '林梅')])],
    ['a rich-text post that does not mention the bot', () => larkRecordedPost({ openId: LARK.tomReed, token: LARK_VERIFICATION_TOKEN, mentions: [], content: { title: '', content: [[{ tag: 'text', text: 'whoami' }]] } })],
  ])('in a group, a message with %s gets no answer', async (_name, envelope) => {
    const e = envelope();
    expect((await h.larkPost(e)).status).toBe(200);
    await h.larkIdle();
    expect(h.fakeLark.messages).toEqual([]);
    const row = await h.db.prisma.job.findUnique({ where: { idempotencyKey: `inbox.lark:${e.header.event_id}` } });
    expect(row?.status).toBe('done');
  });
});

describe('Lark over HTTP with an encrypt key', () => {
  const h = useHarness({ lark: 'http', larkEncryptKey: ENCRYPT_KEY });

  it('answers an encrypted url_verification challenge', async () => {
    const r = await h.larkPost(larkChallenge({ token: LARK_VERIFICATION_TOKEN, challenge: 'enc-ch' }), { sign: false });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ challenge: 'enc-ch' });
  });

  it('decrypts and verifies a signed event, then replies', async () => {
    const r = await h.larkMessage(LARK.tomReed, 'help');
    expect(r.status).toBe(200);
    const reply = await h.fakeLark.waitForMessage();
    expect(reply.content).toMatchObject({ schema: '2.0' });
  });

  it('refuses a bad signature (401)', async () => {
    const r = await h.larkMessage(LARK.tomReed, 'help', { sign: 'bad' });
    expect(r.status).toBe(401);
    await h.larkIdle();
    expect(h.fakeLark.messages).toEqual([]);
  });

  it('refuses a missing signature (401)', async () => {
    expect((await h.larkMessage(LARK.tomReed, 'help', { sign: false })).status).toBe(401);
  });

  it('refuses a correctly signed but stale request (401)', async () => {
    const r = await h.larkMessage(LARK.tomReed, 'help', { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(r.status).toBe(401);
  });

  it('refuses a signature over a different body (401)', async () => {
    const body = JSON.stringify({ encrypt: larkEncrypt(ENCRYPT_KEY, JSON.stringify(larkMessageEvent({ openId: LARK.tomReed, text: 'help', token: LARK_VERIFICATION_TOKEN }))) });
    const other = JSON.stringify({ encrypt: larkEncrypt(ENCRYPT_KEY, '{}') });
    const r = await h.post('/lark/events', body, { 'content-type': 'application/json', ...larkSignatureHeaders(ENCRYPT_KEY, other) });
    expect(r.status).toBe(401);
  });

  it('answers 400 to a body encrypted with another key', async () => {
    const body = JSON.stringify({ encrypt: larkEncrypt('another-key', JSON.stringify(larkMessageEvent({ openId: LARK.tomReed, text: 'help', token: LARK_VERIFICATION_TOKEN }))) });
    const r = await h.post('/lark/events', body, { 'content-type': 'application/json', ...larkSignatureHeaders(ENCRYPT_KEY, body) });
    expect(r.status).toBe(400);
  });

  it('answers 400 to malformed JSON', async () => {
    expect((await h.larkPost('{not json', { encrypt: false })).status).toBe(400);
  });
});

describe('Lark over the long connection (LARK_MODE=ws)', () => {
  const h = useHarness({ lark: 'ws' });

  it('asks the Open API for a WebSocket endpoint with its app credentials, and serves no /lark/events', async () => {
    // Start-up does not wait for the connection: the fake's refusal of the endpoint shows it was asked.
    await waitFor(() => h.logs.find((l) => String(l.msg).includes('the fake Lark has no long connection')), { what: 'the ws endpoint request' });
    expect((await h.larkPost(larkChallenge({ token: LARK_VERIFICATION_TOKEN }))).status).toBe(404);
  });

  it('routes events from the dispatcher (what the long connection delivers) like HTTP ones', async () => {
    const envelope = larkMessageEvent({ openId: LARK.tomReed, text: 'whoami', token: LARK_VERIFICATION_TOKEN });
    await h.kehu.lark!.dispatcher!.invoke(envelope, { needCheck: false });
    const reply = await h.fakeLark.waitForMessage();
    expect(cardText(reply.content)).toContain('tom.reed@kehu.test');
  });
});
