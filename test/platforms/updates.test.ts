// Messages that update in place, end to end over Slack and Lark: a notice records where it
// landed; a later event changes it (chat.update, Lark PATCH) with buttons matching the new
// state; a burst of updates coalesces and a stale one never overwrites a newer one; a
// message that can no longer be updated is followed by a new one.
import { describe, expect, it } from 'vitest';
import { reply } from '../../src/chat/reply.ts';
import { findSentMessage, requestMessageUpdate } from '../../src/db/repositories/sent-message.repository.ts';
import { enqueueJob } from '../../src/db/repositories/job.repository.ts';
import { LARK, SLACK } from '../support/test-org.ts';
import type { Harness } from '../support/harness.ts';
import { useHarness } from '../support/use-harness.ts';
import { waitFor } from '../support/wait-for.ts';

/** Every message.update run for `key` has finished (the ones that found the message leased retry in 0.5 s). */
const settled = (h: Harness, key: string) =>
  waitFor(async () => {
    await h.kehu.idle();
    return (await h.db.prisma.job.count({ where: { kind: 'message.update', status: { not: 'done' }, payload: { contains: key } } })) === 0;
  }, { what: `the updates of ${key}` });

type Block = { type: string; elements?: { action_id: string; value: string }[] };
const text = (body: Record<string, unknown>) => `${String(body.text)}\n${JSON.stringify(body.blocks ?? [])}`;

describe('updates in place over Slack', () => {
  const h = useHarness({ slack: true });
  const say = async (user: string, command: string) => (await h.slackReply(await h.slashCommand(user, command))).body;
  const buttons = (body: Record<string, unknown>) => (body.blocks as Block[]).find((b) => b.type === 'actions')?.elements ?? [];

  /** A contest whose notice reached the arbiter (林梅); resolves with its id and where it landed. */
  async function contested(company: string) {
    await say(SLACK.tomReed, `claim ${company}`);
    const refused = await say(SLACK.wuHao, `claim ${company}`);
    const contest = buttons(refused).find((b) => b.action_id.startsWith('kehu:customer.contest'))!;
    await h.slackReply(await h.blockAction(SLACK.wuHao, contest.action_id, JSON.parse(contest.value) as Record<string, string>));
    await h.fakeSlack.waitForCall('chat.postMessage', (c) => c.params.channel === SLACK.meiLin && String(c.params.text).includes(company));
    await h.kehu.idle();
    const row = await h.db.prisma.contest.findFirstOrThrow({ where: { customer: { name: company } }, select: { id: true } });
    const sent = await findSentMessage(h.db, `contest:${row.id}:arbiter`);
    return { id: row.id, sent: sent! };
  }

  it('records where the arbiter’s notice landed, and `decide` updates it in place without its buttons', async () => {
    const { id, sent } = await contested('Inplace Shipping Ltd');
    expect(sent).toMatchObject({ platform: 'slack', channel: h.fakeSlack.dmOf(SLACK.meiLin), applied: 0 });
    const before = h.fakeSlack.messagesIn(SLACK.meiLin).find((m) => m.ts === sent.ref)!;
    expect(JSON.stringify(before.blocks)).toContain('kehu:contest.decide');
    expect(text(await say(SLACK.meiLin, `decide ${id} keep 先登记者得`))).toContain('已裁决');
    const updated = await h.fakeSlack.waitForCall('chat.update', (c) => c.params.ts === sent.ref);
    expect(updated.params.channel).toBe(sent.channel);
    const after = h.fakeSlack.messagesIn(SLACK.meiLin).find((m) => m.ts === sent.ref)!;
    expect(after.text).toContain('Inplace Shipping Ltd');
    expect(JSON.stringify(after.blocks)).not.toContain('kehu:contest.decide');
    await h.kehu.idle();
    expect((await findSentMessage(h.db, `contest:${id}:arbiter`))!.applied).toBe(1);
  });

  it('coalesces a burst to its last state, in order, and drops a stale update', async () => {
    const { sent } = await contested('Burst Trading Ltd');
    await h.db.prisma.$transaction(async (tx) => {
      for (let i = 1; i <= 5; i++) await requestMessageUpdate(tx, { key: sent.key, personId: 'mei.lin', content: { reply: reply(`state ${i}`) }, at: new Date() });
    });
    await settled(h, sent.key);
    const updates = h.fakeSlack.updates.filter((u) => u.ts === sent.ref);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(updates.length).toBeLessThanOrEqual(5);
    expect(updates.at(-1)!.text).toBe('state 5');
    // Never back: each update shows a state at least as new as the one before.
    const states = updates.map((u) => Number(/state (\d)/.exec(u.text ?? '')![1]));
    expect(states).toEqual([...states].sort());
    // A run for version 2, arriving late (a retry, another replica): nothing changes.
    await h.db.prisma.$transaction((tx) => enqueueJob(tx, { kind: 'message.update', payload: { key: sent.key, version: 2 }, runAt: new Date(), idempotencyKey: `late:${sent.key}` }));
    await h.kehu.idle();
    expect(h.fakeSlack.updates.filter((u) => u.ts === sent.ref)).toHaveLength(updates.length);
    expect(h.fakeSlack.messagesIn(SLACK.meiLin).find((m) => m.ts === sent.ref)!.text).toBe('state 5');
  });

  it('follows a message that can no longer be updated with a new one, and updates that one next', async () => {
    const { sent } = await contested('Deleted Message Ltd');
    h.fakeSlack.deleteMessage(sent.channel, sent.ref);
    await h.db.prisma.$transaction((tx) => requestMessageUpdate(tx, { key: sent.key, personId: 'mei.lin', content: { reply: reply('after the deletion') }, at: new Date() }));
    await h.kehu.idle();
    const fresh = await h.fakeSlack.waitForCall('chat.postMessage', (c) => c.params.text === 'after the deletion');
    expect(fresh.params.channel).toBe(SLACK.meiLin);
    const moved = (await findSentMessage(h.db, sent.key))!;
    expect(moved.ref).not.toBe(sent.ref);
    await h.db.prisma.$transaction((tx) => requestMessageUpdate(tx, { key: sent.key, personId: 'mei.lin', content: { reply: reply('and once more') }, at: new Date() }));
    await h.kehu.idle();
    expect(h.fakeSlack.messagesIn(SLACK.meiLin).find((m) => m.ts === moved.ref)!.text).toBe('and once more');
    await settled(h, sent.key);
  });
});

describe('updates in place over Lark', () => {
  const h = useHarness({ lark: 'http' });

  it('patches the card it sent, and sends a new card when Lark says the old one cannot change', async () => {
    await h.larkMessage(LARK.tomReed, 'claim Patch Works Ltd');
    await h.larkIdle();
    await h.larkMessage(LARK.wuHao, 'claim Patch Works Ltd');
    await h.larkIdle();
    const refused = JSON.stringify(h.fakeLark.messages.at(-1)!.content);
    const value = JSON.parse(/"behaviors":\[\{"type":"callback","value":(\{[^}]*"kehu_action":"customer\.contest"\})\}\]/.exec(refused)![1]!) as Record<string, string>;
    await h.larkCardAction(LARK.wuHao, value);
    await h.larkIdle();
    const contest = await h.db.prisma.contest.findFirstOrThrow({ where: { customer: { name: 'Patch Works Ltd' } }, select: { id: true } });
    const sent = (await findSentMessage(h.db, `contest:${contest.id}:arbiter`))!;
    expect(sent.platform).toBe('lark');
    expect(h.fakeLark.messages.find((m) => m.message_id === sent.ref)?.receive_id).toBe(LARK.meiLin);

    await h.db.prisma.$transaction((tx) => requestMessageUpdate(tx, { key: sent.key, personId: 'mei.lin', content: { reply: reply('patched state') }, at: new Date() }));
    await h.larkIdle();
    const patch = await h.fakeLark.waitForPatch((p) => p.message_id === sent.ref);
    expect(JSON.stringify(patch.content)).toContain('patched state');

    h.fakeLark.failNext('message.patch', { code: 230031, msg: 'message too old', status: 400 });
    await h.db.prisma.$transaction((tx) => requestMessageUpdate(tx, { key: sent.key, personId: 'mei.lin', content: { reply: reply('a new card') }, at: new Date() }));
    await h.larkIdle();
    await waitFor(() => h.fakeLark.messages.find((m) => JSON.stringify(m.content).includes('a new card')), { what: 'the new card' });
    expect((await findSentMessage(h.db, sent.key))!.ref).not.toBe(sent.ref);
  });
});
