// Lark over HTTP, end to end: kehu's own token/signature/replay checks in front of the
// node-sdk dispatcher, replies through the fake Lark Open API — without an encrypt key,
// with one (encrypted bodies, x-lark-signature), and the long-connection mode.
import { describe, expect, it } from 'vitest';
import { LARK_VERIFICATION_TOKEN } from '../support/harness.ts';
import { useHarness } from '../support/use-harness.ts';
import { larkChallenge, larkEncrypt, larkMessageEvent, larkSignatureHeaders } from '../support/lark-requests.ts';
import { LARK, STRANGER_EMAIL } from '../support/test-org.ts';
import { sleep, waitFor } from '../support/wait-for.ts';

const ENCRYPT_KEY = 'test-encrypt-key-kehu';
const cardText = (content: Record<string, unknown>) => JSON.stringify(content);

describe('Lark over HTTP without an encrypt key', () => {
  const h = useHarness({ lark: 'http' });

  const expectNothingSent = async () => {
    await h.larkIdle();
    await sleep(50);
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
    const rows = await h.kehu.db.prisma.job.count();
    const envelope = larkMessageEvent({ openId: LARK.tomReed, text: 'help', token: 'not-the-token' });
    const r = await h.larkPost(envelope);
    expect(r.status).toBe(401);
    await expectNothingSent();
    expect(await h.kehu.db.prisma.job.count()).toBe(rows);
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
    expect(await h.kehu.db.prisma.job.count({ where: { idempotencyKey: 'inbox.lark:ev-dup-1' } })).toBe(1);
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
