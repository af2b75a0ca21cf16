// The pool warning and the extension request change in place as their story moves on,
// end to end over Slack (chat.update) and Lark (message PATCH), through the durable
// message.update jobs: asking for more time, the approver's decision, a follow-up, and the
// sweep releasing a customer whose request was never decided. Buttons match each state.
import { describe, expect, it } from 'vitest';
import { enqueueJob } from '../../src/db/repositories/job.repository.ts';
import { findSentMessage } from '../../src/db/repositories/sent-message.repository.ts';
import type { Harness } from '../support/harness.ts';
import { LARK, SLACK } from '../support/test-org.ts';
import { useHarness } from '../support/use-harness.ts';
import { waitFor } from '../support/wait-for.ts';

const DAY = 86_400_000;
type Block = { type: string; elements?: { action_id: string; value: string }[] };
const text = (m: { text?: unknown; blocks?: unknown }) => `${String(m.text)}\n${JSON.stringify(m.blocks ?? [])}`;
const actionsOf = (m: { blocks?: unknown }) => ((m.blocks as Block[] | undefined) ?? []).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);

/** kehu's clock runs with real time plus an offset the test moves (days ahead, for the sweep). */
function movableClock() {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms: number) => void (offset += ms),
  };
}

let sweeps = 0;
/** Runs the nightly sweep now (as its cron entry would enqueue it) and waits for what it sent. */
async function sweep(h: Harness, now: Date): Promise<void> {
  await enqueueJob(h.db.prisma, { kind: 'pool.sweep', payload: null, runAt: now, idempotencyKey: `test-sweep:${process.pid}:${++sweeps}` });
  await h.kehu.idle();
}

/** Where the warning about a customer landed (its key names the customer and the release day). */
async function warningOf(h: Harness, name: string) {
  const c = await h.db.prisma.customer.findFirstOrThrow({ where: { name }, select: { id: true } });
  const row = await waitFor(() => h.db.prisma.sentMessage.findFirst({ where: { key: { startsWith: `pool-warning:${c.id}:` }, platform: { not: '' } } }), { what: `the warning about ${name}` });
  return { customerId: c.id, key: row.key, ref: row.ref, channel: row.channel };
}

/** Every message.update job has run (a run that found the message leased retries in 0.5 s). */
const updatesSettled = (h: Harness) =>
  waitFor(async () => {
    await h.kehu.idle();
    return (await h.db.prisma.job.count({ where: { kind: 'message.update', status: { notIn: ['done', 'dead'] } } })) === 0;
  }, { what: 'the message updates' });

describe('pool messages updated in place over Slack', () => {
  const clock = movableClock();
  const signed = () => ({ timestamp: Math.floor(clock.now().getTime() / 1000) });
  const h = useHarness({ slack: true, clock: clock.now });
  const say = async (user: string, command: string) => (await h.slackReply(await h.slashCommand(user, command, signed()))).body;
  const press = async (user: string, b: { action_id: string; value: string }) => (await h.slackReply(await h.blockAction(user, b.action_id, JSON.parse(b.value) as Record<string, string>, signed()))).body;
  const shown = (channel: string, ts: string) => h.fakeSlack.messagesIn(channel).find((m) => m.ts === ts)!;
  const updatedTo = (ts: string, has: string) => waitFor(() => h.fakeSlack.updates.find((u) => u.ts === ts && text(u).includes(has)), { what: `an update of ${ts} saying ${has}` });

  it('asking, approving, following up and the sweep each change the warning and the request where they are', async () => {
    for (const name of ['Lantern Approve Ltd', 'Lantern Follow Ltd', 'Lantern Expire Ltd']) expect(text(await say(SLACK.tomReed, `claim ${name}`))).toContain(name);
    // 27 days on, three days before the 30-day protection ends: the sweep warns about each.
    clock.advance(27 * DAY);
    await sweep(h, clock.now());
    const approve = await warningOf(h, 'Lantern Approve Ltd');
    const follow = await warningOf(h, 'Lantern Follow Ltd');
    const expire = await warningOf(h, 'Lantern Expire Ltd');
    const warning = shown(SLACK.tomReed, approve.ref);
    expect(text(warning)).toContain('Lantern Approve Ltd returns to the public pool on');
    expect(actionsOf(warning).map((b) => b.action_id)).toEqual(['kehu:pool.logHint:0', 'kehu:pool.releaseNow:1', 'kehu:pool.askExtension:2']);

    // Ask for more time: the warning says of whom, and loses its Ask button.
    await press(SLACK.tomReed, actionsOf(warning)[2]!);
    const asked = await updatedTo(approve.ref, 'You asked 林梅 for more time');
    expect(asked.channel).toBe(approve.channel);
    expect(actionsOf(asked).map((b) => b.action_id)).toEqual(['kehu:pool.logHint:0', 'kehu:pool.releaseNow:1']);

    // The approver approves: her request and the owner's warning show it, without buttons.
    const request = await h.db.prisma.extensionRequest.findFirstOrThrow({ where: { customerId: approve.customerId }, select: { id: true } });
    const ask = (await waitFor(() => findSentMessage(h.db, `extension:${request.id}:asked`), { what: 'the request to the approver' }))!;
    const askMessage = shown(SLACK.meiLin, ask.ref);
    expect(text(askMessage)).toContain('Tom Reed 申请延长 Lantern Approve Ltd 的保护期');
    await press(SLACK.meiLin, actionsOf(askMessage)[0]!);
    const decided = await updatedTo(ask.ref, '林梅 已批准：保护期至');
    expect(actionsOf(decided)).toEqual([]);
    const extended = await updatedTo(approve.ref, '林梅 approved more time: it now returns to the pool on');
    expect(actionsOf(extended)).toEqual([]);

    // A typed follow-up by the owner: the warning about the old day says it is protected again.
    await say(SLACK.tomReed, 'log "Lantern Follow Ltd" call talked about the renewal');
    const followed = await updatedTo(follow.ref, 'Followed up: protected until');
    expect(actionsOf(followed)).toEqual([]);

    // Asked, never decided, and the day passes: the sweep releases it, and both messages say so.
    await press(SLACK.tomReed, actionsOf(shown(SLACK.tomReed, expire.ref))[2]!);
    await updatedTo(expire.ref, 'You asked 林梅');
    const pending = await h.db.prisma.extensionRequest.findFirstOrThrow({ where: { customerId: expire.customerId }, select: { id: true } });
    const pendingAsk = (await waitFor(() => findSentMessage(h.db, `extension:${pending.id}:asked`), { what: 'the second request' }))!;
    await updatesSettled(h);
    clock.advance(4 * DAY);
    await sweep(h, clock.now());
    const released = await updatedTo(expire.ref, 'It has returned to the public pool.');
    expect(actionsOf(released)).toEqual([]);
    const lapsed = await updatedTo(pendingAsk.ref, '已失效：客户在处理之前已回到公海');
    expect(actionsOf(lapsed)).toEqual([]);
    expect((await h.db.prisma.extensionRequest.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe('void');
    // The approved and the followed-up customers are still Tom's; their warnings were not touched again.
    expect(await h.db.prisma.customer.count({ where: { name: { in: ['Lantern Approve Ltd', 'Lantern Follow Ltd'] }, ownerId: 'tom.reed' } })).toBe(2);
    await updatesSettled(h);
    expect(h.fakeSlack.updates.filter((u) => u.ts === follow.ref)).toHaveLength(1);
    expect((await h.db.prisma.job.count({ where: { kind: 'message.update', status: 'dead' } }))).toBe(0);
  });

  it('a follow-up on a customer never warned about changes no message', async () => {
    await say(SLACK.tomReed, 'claim Lantern Quiet Ltd');
    await say(SLACK.tomReed, 'log "Lantern Quiet Ltd" call first call');
    await h.kehu.idle();
    const c = await h.db.prisma.customer.findFirstOrThrow({ where: { name: 'Lantern Quiet Ltd' }, select: { id: true } });
    expect(await h.db.prisma.sentMessage.count({ where: { key: { startsWith: `pool-warning:${c.id}` } } })).toBe(0);
    expect(h.fakeSlack.callsOf('chat.update')).toHaveLength(0);
  });
});

describe('pool messages updated in place over Lark', () => {
  const clock = movableClock();
  // Signed at kehu's time: the request timestamp header (a card action has no create_time option).
  const at = () => ({ headers: { 'x-lark-request-timestamp': String(Math.floor(clock.now().getTime() / 1000)) } });
  const h = useHarness({ lark: 'http', clock: clock.now });

  it('patches the warning card when the owner asks for more time, and again when the approver denies', async () => {
    await h.larkMessage(LARK.tomReed, 'claim Lantern Card Ltd', at());
    await h.larkIdle();
    clock.advance(27 * DAY);
    await sweep(h, clock.now());
    const warning = await warningOf(h, 'Lantern Card Ltd');
    const card = JSON.stringify(h.fakeLark.messages.find((m) => m.message_id === warning.ref)!.content);
    expect(card).toContain('pool.askExtension');
    await h.larkCardAction(LARK.tomReed, { kehu_action: 'pool.askExtension', customerId: warning.customerId }, { ...at(), messageId: warning.ref });
    await h.larkIdle();
    const asked = await h.fakeLark.waitForPatch((p) => p.message_id === warning.ref && JSON.stringify(p.content).includes('You asked 林梅'));
    expect(JSON.stringify(asked.content)).not.toContain('pool.askExtension');
    expect(JSON.stringify(asked.content)).toContain('pool.releaseNow');

    const request = await h.db.prisma.extensionRequest.findFirstOrThrow({ where: { customerId: warning.customerId }, select: { id: true } });
    const ask = (await waitFor(() => findSentMessage(h.db, `extension:${request.id}:asked`).then((r) => (r?.platform ? r : undefined)), { what: 'the request card' }))!;
    await h.larkCardAction(LARK.meiLin, { kehu_action: 'pool.decideExtension', requestId: request.id, decision: 'deny' }, { ...at(), messageId: ask.ref });
    await h.larkIdle();
    const denied = await h.fakeLark.waitForPatch((p) => p.message_id === ask.ref && JSON.stringify(p.content).includes('林梅 已拒绝'));
    expect(JSON.stringify(denied.content)).not.toContain('pool.decideExtension');
    const again = await h.fakeLark.waitForPatch((p) => p.message_id === warning.ref && JSON.stringify(p.content).includes('did not approve more time'));
    // Denied: logging a follow-up and releasing still make sense; asking again does not.
    expect(JSON.stringify(again.content)).toContain('pool.logHint');
    expect(JSON.stringify(again.content)).not.toContain('pool.askExtension');
  });
});
