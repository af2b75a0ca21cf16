// Service requests end to end (issue 13, points 2 and 3) through the real HTTP endpoints,
// the real Bolt and Lark SDKs and the fakes, with a clock fixed ahead of real time: a
// request made through its modal on Slack — number, assignee by rotation, deadlines in
// working time — the department channel's card with "Take it", the assignee's DM; taken
// from the channel by another member, worked on, resolved and confirmed, every message of
// the request updated in place at each step; a stale button that says why; a request that
// the manager approves first (one line); dates too early; on Lark, the same in Chinese
// through a card form and card buttons, the channel card patched in place. A reply typed
// in the thread of a request's message (Slack: a DM or the department channel; Lark: a DM or
// the department group) is a comment, relayed in the other side's thread. The rating prompt
// closes in place when its window ends unanswered. On Lark with a fixed clock: the reminders
// at their due working time across a weekend, the head at breach.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cardCallbacks, larkFormSubmit } from '../support/lark-requests.ts';
import { LARK_VERIFICATION_TOKEN } from '../support/harness.ts';
import { slackFixtureEvent, viewSubmission } from '../support/slack-requests.ts';
import { useHarness } from '../support/use-harness.ts';
import { waitFor } from '../support/wait-for.ts';

const ORG = fileURLToPath(new URL('../support/fixtures/requests-org.yaml', import.meta.url));
const CATALOG = fileURLToPath(new URL('../support/fixtures/requests-catalog.yaml', import.meta.url));
/** Wednesday 2026-12-09 10:00 in Shanghai: later than the real time, so that what the front door writes now is due to kehu's clock. */
const T0 = Date.parse('2026-12-09T02:00:00Z');
const U = { tom: 'U0TOMREED', mei: 'U0MEILIN', lina: 'U0LINA', zhao: 'U0ZHAOLEI', sara: 'U0SARANG', wu: 'U0WUHAO' } as const;
type Block = { type: string; elements?: { action_id: string; value: string; text?: { text: string } }[] };
const text = (m: { text?: unknown; blocks?: unknown }) => `${String(m.text)}\n${JSON.stringify(m.blocks ?? [])}`;

describe('service requests over Slack', () => {
  // kehu's clock runs with real time from T0 on; the test moves it forward.
  let offset = 0;
  const started = Date.now();
  const clock = () => new Date(T0 + (Date.now() - started) + offset);
  const advance = async (ms: number) => {
    offset += ms;
    await h.kehu.idle();
  };
  const signed = () => ({ timestamp: Math.floor(clock().getTime() / 1000) });
  const h = useHarness({ slack: true, orgFile: ORG, catalogFile: CATALOG, clock });
  const say = async (user: string, command: string) => (await h.slackReply(await h.slashCommand(user, command, signed()))).body;
  const buttons = (m: { blocks?: unknown }) => ((m.blocks as Block[] | undefined) ?? []).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
  const button = (m: { blocks?: unknown }, act: string) => {
    const b = buttons(m).find((e) => e.value.includes(`"act":"${act}"`) || e.action_id.includes(act));
    if (!b) throw new Error(`no ${act} button in ${text(m)}`);
    return b;
  };
  const press = async (user: string, b: { action_id: string; value: string }) => (await h.slackReply(await h.blockAction(user, b.action_id, JSON.parse(b.value) as Record<string, string>, signed()))).body;
  const latest = (channel: string, has: string) => waitFor(() => [...h.fakeSlack.messagesIn(channel)].reverse().find((m) => text(m).includes(has)), { what: `a message in ${channel} with ${has}`, timeoutMs: 15_000 });
  const updated = (channel: string, has: string) => waitFor(() => [...h.fakeSlack.updates].reverse().find((u) => u.channel === h.fakeSlack.dmOf(channel) && text(u).includes(has)), { what: `${channel} updated with ${has}`, timeoutMs: 15_000 });

  it('makes a request through its modal (number, assignee, deadlines, the channel card, the DM); another member takes it from the channel, every message updated in place; a stale button says why; worked, resolved, confirmed', async () => {
    const shown = await say(U.tom, 'request materials');
    expect(text(shown)).toContain("Your department head's signature on form F-12.");
    await h.blockAction(U.tom, button(shown, 'form.open').action_id, JSON.parse(button(shown, 'form.open').value) as Record<string, string>, signed());
    // The front door opens a placeholder at once (views.open); the work thread draws the form into it (views.update).
    const opened = await h.fakeSlack.waitForView((v) => (v.method === 'views.open' || v.method === 'views.update') && JSON.stringify(v.view).includes('Customer visit materials'));
    const view = opened.view as { private_metadata: string };
    expect(JSON.stringify(opened.view)).toContain('F-12');
    const r = await h.slackPost(
      viewSubmission({
        userId: U.tom,
        privateMetadata: view.private_metadata,
        values: {
          customer: { customer: { type: 'external_select', selected_option: { value: '华为技术' } } },
          needed: { needed: { type: 'datepicker', selected_date: '2026-12-10' } },
          items: { items: { type: 'multi_static_select', selected_options: [{ value: 'brochures' }, { value: 'samples' }] } },
        },
      }),
      signed(),
    );
    expect(r.status).toBe(200);
    const answer = await latest(U.tom, 'Request #1');
    expect(text(answer)).toContain('Request #1 (Customer visit materials) is in: 李娜 has it. First response by 2026-12-09 12:00 (Asia/Shanghai), resolved by 2026-12-10 10:00 (Asia/Shanghai).');
    const card = await latest('C0ADMIN', '#1 客户拜访资料');
    expect(text(card)).toContain('已分派给 李娜，等待受理。');
    expect(text(card)).toContain('宣传册、样品');
    expect(buttons(card).map((b) => b.text?.text)).toEqual(['我来受理']);
    const dm = await latest(U.lina, '#1 客户拜访资料');
    expect(text(dm)).toContain('Tom Reed 提交了新请求。');
    const linaTake = button(dm, 'take');
    const status = await latest(U.tom, 'Assigned to 李娜');
    expect(buttons(status).map((b) => b.text?.text)).toEqual(['Cancel the request']);

    // Another member takes it from the channel: every message updates in place.
    const taken = await press(U.zhao, button(card, 'take'));
    expect(taken.replace_original).toBe(true);
    expect(text(taken)).toContain('Zhao Lei 已于 2026-12-09 10:');
    await h.kehu.idle();
    await updated(U.tom, 'Zhao Lei took it at 2026-12-09 10:');
    await updated(U.lina, 'Zhao Lei 已于');
    const zhaoDm = await latest(U.zhao, 'Zhao Lei took it');
    expect(buttons(zhaoDm).map((b) => b.text?.text)).toEqual(['Start', 'Waiting on requester', 'Resolved']);
    // 李娜's DM still shows "Take it": pressed now, it says who took it and changes nothing.
    // (The fake changes a message in place on chat.update: hers has no "Take it" any more.)
    expect(buttons(h.fakeSlack.messagesIn(U.lina).find((m) => text(m).includes('#1 客户拜访资料'))!)).toEqual([]);
    const stale = await press(U.lina, linaTake);
    expect(text(stale)).toMatch(/请求 #1 已有变化：已受理（Zhao Lei，2026-12-09 10:\d\d）。本次操作未生效。/);
    // Comments both ways, each a reply in the thread of the other side's message of the request.
    expect(text(await say(U.tom, 'comment 1 Please use the new logo'))).toContain('Comment on #1 sent to Zhao Lei.');
    const toZhao = await latest(U.zhao, 'Please use the new logo');
    expect(toZhao.thread_ts).toBe(zhaoDm.ts);
    await say(U.zhao, '评论 1 好的，明天上午给你');
    const toTom = await latest(U.tom, '明天上午给你');
    expect(toTom.thread_ts).toBe(h.fakeSlack.messagesIn(U.tom).find((m) => text(m).includes('#1 Customer visit materials — 行政部'))!.ts);
    expect(text(await say(U.lina, 'comment 99 hello'))).toContain('没有这条请求。');
    // Tom may not resolve it; Zhao Lei starts and resolves it; Tom confirms.
    expect(text(await press(U.tom, button(zhaoDm, 'resolve')))).toContain("Only the department's members work on its requests.");
    const started2 = await press(U.zhao, button(zhaoDm, 'start'));
    const resolved = await press(U.zhao, button(started2, 'resolve'));
    expect(text(resolved)).toContain('Resolved by Zhao Lei');
    await h.kehu.idle();
    const tomStatus = await updated(U.tom, 'Resolved by Zhao Lei');
    expect(buttons(tomStatus).map((b) => b.text?.text)).toEqual(['Confirm and close', 'Reopen']);
    const closed = await press(U.tom, button(tomStatus, 'confirm'));
    expect(text(closed)).toContain('Closed (Tom Reed,');
    await h.kehu.idle();
    await waitFor(() => h.fakeSlack.updates.find((u) => u.channel === 'C0ADMIN' && text(u).includes('已关闭')), { what: 'the channel card closed' });
    expect(text(await say(U.tom, 'requests'))).toContain('#1 Customer visit materials: closed');
  });

  it('sends a request the manager approves first to the manager; the department sees it after the approval', async () => {
    const answer = await say(U.tom, 'request reimbursement amount:120');
    expect(text(answer)).toContain('Request #2 (Expense reimbursement) is in: 林梅 approves it first, then Sara Ng has it');
    const approval = await latest(U.mei, '#2 费用报销');
    expect(text(approval)).toContain('Tom Reed 提交了这项请求：需要你审批后部门才会受理。');
    expect(h.fakeSlack.messagesIn(U.sara).some((m) => text(m).includes('#2'))).toBe(false);
    // Only the manager approves.
    expect(text(await press(U.tom, button(approval, 'approve')))).toContain("Only the requester's manager approves it.");
    await press(U.mei, button(approval, 'approve'));
    await h.kehu.idle();
    const dm = await latest(U.sara, '#2 Expense reimbursement');
    expect(buttons(dm).map((b) => b.text?.text)).toEqual(['Take it']);
    await updated(U.tom, 'Assigned to Sara Ng');
    expect(text(await say(U.sara, 'queue'))).toContain('#2 Expense reimbursement for Tom Reed — to take, Sara Ng');
  });

  it('reminds the assignee at 50% of the first response, tells the head at breach with Reassign and Extend; the head extends', async () => {
    await say(U.tom, 'request materials customer:Acme needed:2026-12-16 items:samples');
    const dm = await waitFor(() => [U.lina, U.zhao].map((u) => [...h.fakeSlack.messagesIn(u)].find((m) => text(m).includes('#3 客户拜访资料') || text(m).includes('#3 Customer visit materials'))).find(Boolean), { what: 'the assignee DM of #3' });
    const assignee = dm.channel === h.fakeSlack.dmOf(U.lina) ? U.lina : U.zhao;
    await advance(60 * 60_000);
    const reminder = await latest(assignee, '#3');
    expect(text(reminder)).toMatch(/提醒 — #3 客户拜访资料 — 行政部：首次响应时限已过 50%|Reminder — #3 Customer visit materials — 行政部: 50% of the first response time is gone/);
    await advance(60 * 60_000);
    const breach = await latest('U0CHENGANG', '已超时 — #3');
    expect(buttons(breach).map((b) => b.text?.text)).toEqual(['改派', '延期 1 个工作日']);
    // Pressed by someone else: only the head extends.
    expect(text(await press(U.tom, button(breach, 'extend')))).toContain('Only the department head reassigns or extends a request.');
    const extended = await press('U0CHENGANG', button(breach, 'extend'));
    expect(text(extended)).toMatch(/#3 已延期：新的截止时间 2026-12-1\d \d\d:\d\d（Asia\/Shanghai）/);
  });

  it('warns on /healthz of a year within two months that the holiday calendar does not know (weekdays only there)', async () => {
    // kehu's clock is in December 2026; the calendar package knows 2026 only.
    const health = (await (await fetch(`http://127.0.0.1:${h.kehu.port}/healthz`)).json()) as { status: string; warnings?: string[] };
    // (Not the status: with kehu's clock days ahead, an inbox row still waiting looks old.)
    expect(health.status).not.toBe('error');
    expect(health.warnings).toEqual([expect.stringContaining('has no data for 2027: those years count weekdays only')]);
  });

  it('refuses a date in the past or too early for the lead time, and an unknown service, writing nothing', async () => {
    const before = await h.db.prisma.serviceRequest.count();
    expect(text(await say(U.tom, 'request materials customer:Acme needed:2026-12-01 items:brochures'))).toContain('Needed by: 2026-12-01 is in the past.');
    expect(text(await say(U.tom, 'request materials customer:Acme needed:2026-12-09 items:brochures'))).toContain('Needed by: 2026-12-09 is too early — this service needs 1 working day; the earliest realistic date is 2026-12-10.');
    expect(text(await say(U.tom, 'request visa customer:Acme'))).toContain('There is no service "visa"');
    expect(await h.db.prisma.serviceRequest.count()).toBe(before);
  });

  it('reads a reply typed in the thread of a request’s message as a comment (the requester’s DM, the channel card), relayed in the thread of the other side’s message; a non-party is refused in the thread', async () => {
    const n4 = Number(/Request #(\d+)/.exec(text(await say(U.tom, 'request materials customer:Acme needed:2026-12-16 items:brochures')))?.[1]);
    expect(n4).toBe(4);
    const status = await latest(U.tom, '#4 Customer visit materials');
    const card = await latest('C0ADMIN', '#4 客户拜访资料');
    const dm = await waitFor(() => [U.lina, U.zhao].map((u) => [...h.fakeSlack.messagesIn(u)].find((m) => /#4 (客户拜访资料|Customer visit materials)/.test(text(m)))).find(Boolean), { what: 'the assignee DM of #4', timeoutMs: 15_000 });
    const [assignee, other] = dm.channel === h.fakeSlack.dmOf(U.lina) ? [U.lina, U.zhao] : [U.zhao, U.lina];
    let n = 0;
    // A person's reply in a thread, as Slack sends it (message.im / message.channels): thread_ts names the thread's first message.
    const replyIn = (user: string, channel: string, threadTs: string, said: string, channelType: 'im' | 'channel') =>
      h.slackEvent(slackFixtureEvent('message-im', { user, channel, channel_type: channelType, text: said, ts: `${Math.floor(clock().getTime() / 1000)}.0009${++n}`, thread_ts: threadTs }), signed());
    const inThread = (channel: string, threadTs: string, has: string) => waitFor(() => h.fakeSlack.messagesIn(channel).find((m) => m.thread_ts === threadTs && text(m).includes(has)), { what: `a reply in ${channel}'s thread ${threadTs} with ${has}`, timeoutMs: 15_000 });

    // The requester answers under their status: it goes to the assignee, under the assignee's DM, and under the channel card
    // (in the org's language); the requester is told in the thread.
    await replyIn(U.tom, h.fakeSlack.dmOf(U.tom), status.ts, 'The logo is attached', 'im');
    await h.kehu.idle();
    expect(text(await inThread(assignee, dm.ts, 'The logo is attached'))).toContain('Tom Reed');
    expect(text(await inThread('C0ADMIN', card.ts, 'The logo is attached'))).toContain('#4 客户拜访资料 — Tom Reed：The logo is attached');
    await inThread(U.tom, status.ts, 'Comment on #4 sent to');
    // Another member answers under the channel card: to the requester under their status, and to the assignee under theirs.
    await replyIn(other, 'C0ADMIN', card.ts, '好的，收到', 'channel');
    await h.kehu.idle();
    await inThread(U.tom, status.ts, '好的，收到');
    await inThread(assignee, dm.ts, '好的，收到');
    // Someone who is neither the requester nor a member: refused in the card's thread, nothing stored.
    const comments = await h.db.prisma.requestComment.count();
    await replyIn(U.mei, 'C0ADMIN', card.ts, '我也想说一句', 'channel');
    await h.kehu.idle();
    await inThread('C0ADMIN', card.ts, '只有申请人和该部门成员可以对请求留言。');
    expect(await h.db.prisma.requestComment.count()).toBe(comments);
    expect(await h.db.prisma.requestComment.findMany({ where: { requestId: (await h.db.prisma.serviceRequest.findFirstOrThrow({ where: { number: 4 } })).id }, select: { personId: true, text: true }, orderBy: { at: 'asc' } })).toEqual([
      { personId: 'tom.reed', text: 'The logo is attached' },
      { personId: other === U.lina ? 'li.na' : 'zhao.lei', text: '好的，收到' },
    ]);
    // A reply in a DM thread that is no request's stays a command.
    await replyIn(U.tom, h.fakeSlack.dmOf(U.tom), '1700000000.000001', 'requests', 'im');
    await h.kehu.idle();
    await latest(U.tom, '#1 Customer visit materials: closed');
  });

  it('closes the rating prompt in place when its window ends unanswered (buttons gone, "rating closed, none given"), and records no rating', async () => {
    expect(text(await say(U.tom, 'request materials customer:Acme needed:2026-12-17 items:samples'))).toContain('Request #5');
    const dm = await waitFor(() => [U.lina, U.zhao].map((u) => [...h.fakeSlack.messagesIn(u)].find((m) => /#5 (客户拜访资料|Customer visit materials)/.test(text(m)))).find(Boolean), { what: 'the assignee DM of #5', timeoutMs: 15_000 });
    const assignee = dm.channel === h.fakeSlack.dmOf(U.lina) ? U.lina : U.zhao;
    const taken = await press(assignee, button(dm, 'take'));
    await press(assignee, button(taken, 'resolve'));
    await h.kehu.idle();
    const prompt = await latest(U.tom, 'How was it?');
    expect(text(prompt)).toContain('#5 Customer visit materials');
    expect(buttons(prompt)).toHaveLength(5);
    const fiveStars = buttons(prompt)[4]!;
    // Past the window (3 working days): the prompt is changed in place.
    await advance(6 * 24 * 60 * 60_000);
    const closed = await waitFor(() => h.fakeSlack.updates.find((u) => u.channel === h.fakeSlack.dmOf(U.tom) && u.ts === prompt.ts), { what: 'the rating prompt updated', timeoutMs: 15_000 });
    expect(text(closed)).toContain('#5 Customer visit materials — 行政部: rating closed, none given.');
    expect(buttons(h.fakeSlack.messagesIn(U.tom).find((m) => m.ts === prompt.ts)!)).toEqual([]);
    expect(await h.db.prisma.serviceRequest.findFirstOrThrow({ where: { number: 5 }, select: { rating: true, ratingClosedAt: true } })).toEqual({ rating: null, ratingClosedAt: expect.any(Date) });
    // A star pressed on an old copy: refused in words, still no rating.
    expect(text(await press(U.tom, fiveStars))).toContain('Request #5 can no longer be rated');
    expect((await h.db.prisma.serviceRequest.findFirstOrThrow({ where: { number: 5 }, select: { rating: true } })).rating).toBeNull();
  });

  it('updates the rating prompt in place at once when rated with `rate` (stars gone, the score and the thanks in the person’s language)', async () => {
    // 吴昊 speaks Chinese (the org default).
    const n = Number(/请求 #(\d+)/.exec(text(await say(U.wu, '请求 materials customer:Acme needed:2026-12-28 items:samples')))?.[1]);
    expect(n).toBeGreaterThan(0);
    const dm = await waitFor(() => [U.lina, U.zhao].map((u) => [...h.fakeSlack.messagesIn(u)].find((m) => new RegExp(`#${n} (客户拜访资料|Customer visit materials)`).test(text(m)))).find(Boolean), { what: `the assignee DM of #${n}`, timeoutMs: 15_000 });
    const assignee = dm.channel === h.fakeSlack.dmOf(U.lina) ? U.lina : U.zhao;
    const taken = await press(assignee, button(dm, 'take'));
    await press(assignee, button(taken, 'resolve'));
    await h.kehu.idle();
    const prompt = await latest(U.wu, '服务怎么样');
    expect(buttons(prompt)).toHaveLength(5);
    // Rated by the command, within the window: the answer, and the prompt changed in place with no wait for the window's end.
    expect(text(await say(U.wu, `评分 ${n} 4 很及时`))).toContain(`谢谢：#${n} 评分 4/5。`);
    await h.kehu.idle();
    const rated = await waitFor(() => h.fakeSlack.updates.find((u) => u.channel === h.fakeSlack.dmOf(U.wu) && u.ts === prompt.ts), { what: 'the rating prompt updated', timeoutMs: 15_000 });
    expect(text(rated)).toContain(`#${n} 客户拜访资料 — 行政部：已评 4/5，谢谢！`);
    expect(buttons(h.fakeSlack.messagesIn(U.wu).find((m) => m.ts === prompt.ts)!)).toEqual([]);
    expect(await h.db.prisma.serviceRequest.findFirstOrThrow({ where: { number: n }, select: { rating: true, ratingComment: true } })).toMatchObject({ rating: 4, ratingComment: '很及时' });
  });

  it('makes a request once when its acked command runs again after the request was committed (the row’s lease ran out before "done"): no second request, no second answer', async () => {
    const before = await h.db.prisma.serviceRequest.count();
    const r = await h.slashCommand(U.tom, 'request materials customer:Acme needed:2026-12-29 items:brochures', signed());
    const n = Number(/Request #(\d+)/.exec(text((await h.slackReply(r)).body))?.[1]);
    expect(n).toBeGreaterThan(0);
    await h.kehu.idle();
    const row = await h.db.prisma.job.findFirstOrThrow({ where: { kind: 'inbox.slack', payload: { contains: 'needed:2026-12-29' } } });
    expect(row).toMatchObject({ status: 'done', attempts: 1, effectAttempt: 1 });
    // As if its worker had stalled past the lease, or died, after the commit and before writing "done".
    await h.db.prisma.job.update({ where: { id: row.id }, data: { status: 'running', leaseOwner: 'a-worker-that-died:inbox', leaseUntil: new Date(0), doneAt: null } });
    await waitFor(async () => (await h.db.prisma.job.findUniqueOrThrow({ where: { id: row.id } })).attempts === 2, { what: 'the row run again', timeoutMs: 15_000 });
    await h.kehu.idle();
    expect(await h.db.prisma.job.findUniqueOrThrow({ where: { id: row.id }, select: { status: true, effectAttempt: true } })).toEqual({ status: 'done', effectAttempt: 1 });
    expect(await h.db.prisma.serviceRequest.count()).toBe(before + 1);
    expect(h.fakeSlack.responses.filter((p) => p.id === r.responseId)).toHaveLength(1);
    expect(h.fakeSlack.messagesIn('C0ADMIN').filter((m) => text(m).includes(`#${n} 客户拜访资料`))).toHaveLength(1);
  });
});

describe('service requests over Lark', () => {
  // Lark's events carry the real time, which the front door checks: the real clock here, a date well ahead.
  const h = useHarness({ lark: 'http', orgFile: ORG, catalogFile: CATALOG });

  it('requests in Chinese through the card form; the channel card’s 我来受理 takes it and every card is patched in place', async () => {
    await h.larkMessage('ou_wuhao', '请求 客户拜访资料');
    await h.larkIdle();
    const shown = h.fakeLark.messages.at(-1)!;
    const open = cardCallbacks(shown.content).find((v) => v.kehu_action === 'form.open')!;
    await h.larkCardAction('ou_wuhao', open, { messageId: shown.message_id });
    await h.larkIdle();
    const formCard = await h.fakeLark.waitForMessage((m) => JSON.stringify(m.content).includes('"tag":"form"'));
    const token = cardCallbacks(formCard.content).find((v) => v.kehu_form)?.kehu_form ?? JSON.stringify(formCard.content).match(/"kehu_form":"([^"]+)"/)![1]!;
    const r = await h.larkPost(larkFormSubmit({ openId: 'ou_wuhao', token: LARK_VERIFICATION_TOKEN, value: { kehu_form: token }, formValue: { customer: '小米科技', needed: '2027-03-31 +0800', items: ['samples'] } }));
    expect(r.status).toBe(200);
    expect(r.text).toContain('请求 #1（客户拜访资料）已提交：由 李娜 负责。');
    await h.larkIdle();
    const card = await h.fakeLark.waitForMessage((m) => m.receive_id === 'oc_admin' && JSON.stringify(m.content).includes('#1 客户拜访资料'));
    expect(card.receive_id_type).toBe('chat_id');
    const take = cardCallbacks(card.content).find((v) => v.kehu_action === 'request.act' && v.act === 'take')!;
    const taken = await h.larkCardAction('ou_lina', take, { messageId: card.message_id });
    expect(taken.text).toContain('李娜 已于');
    await h.larkIdle();
    const status = await h.fakeLark.waitForMessage((m) => m.receive_id === 'ou_wuhao' && JSON.stringify(m.content).includes('已分派给 李娜'));
    await h.fakeLark.waitForPatch((p) => p.message_id === status.message_id && JSON.stringify(p.content).includes('李娜 已于'));
    await h.fakeLark.waitForPatch((p) => p.message_id === card.message_id && JSON.stringify(p.content).includes('李娜 已于'));
    // A comment goes under the requester's card, in its thread.
    await h.larkMessage('ou_lina', '评论 1 样品周四到');
    await h.larkIdle();
    const relayed = await h.fakeLark.waitForMessage((m) => JSON.stringify(m.content).includes('样品周四到'));
    expect(relayed).toMatchObject({ kind: 'reply', parent_id: status.message_id });
    // Pressed again: changed already, nothing written.
    await h.larkCardAction('ou_zhaolei', take, { messageId: card.message_id });
    await h.larkIdle();
    expect(await h.db.prisma.serviceRequest.findFirst({ select: { version: true, assigneeId: true } })).toEqual({ version: 2, assigneeId: 'li.na' });
  });

  it('reads a reply in the thread of a request’s card as a comment (the requester’s DM; the department group, no @kehu needed), relayed in the thread of the other side’s card', async () => {
    const has = (m: { content: unknown }, s: string) => JSON.stringify(m.content).includes(s);
    await h.larkMessage('ou_wuhao', '请求 客户拜访资料 客户:小米科技 需要日期:2027-03-31 物品:宣传册');
    await h.larkIdle();
    const status = await h.fakeLark.waitForMessage((m) => m.kind === 'create' && m.receive_id === 'ou_wuhao' && has(m, '#2 客户拜访资料'));
    const card = await h.fakeLark.waitForMessage((m) => m.receive_id === 'oc_admin' && has(m, '#2 客户拜访资料'));
    const dm = await h.fakeLark.waitForMessage((m) => (m.receive_id === 'ou_lina' || m.receive_id === 'ou_zhaolei') && (has(m, '#2 客户拜访资料') || has(m, '#2 Customer visit materials')));
    const other = dm.receive_id === 'ou_lina' ? 'ou_zhaolei' : 'ou_lina';
    // The requester replies under their status card: to the assignee, in the thread of the assignee's card; answered in the thread.
    const mine = await h.larkMessage('ou_wuhao', '宣传册要新版的', { rootId: status.message_id });
    await h.larkIdle();
    const relayed = await h.fakeLark.waitForMessage((m) => m.kind === 'reply' && m.parent_id === dm.message_id && has(m, '宣传册要新版的'));
    expect(relayed.in_thread).toBe(true);
    const answered = await h.fakeLark.waitForMessage((m) => m.kind === 'reply' && m.parent_id === (mine.envelope.event.message as { message_id: string }).message_id && has(m, '已把对 #2 的留言转给'));
    expect(answered.in_thread).toBe(true);
    // Another member replies in the group card's thread without mentioning kehu: to the requester, under their status card.
    await h.larkMessage(other, '好的，周四送到', { chatType: 'group', mention: false, chatId: 'oc_admin', rootId: card.message_id });
    await h.larkIdle();
    await h.fakeLark.waitForMessage((m) => m.kind === 'reply' && m.parent_id === status.message_id && has(m, '好的，周四送到'));
    const request = await h.db.prisma.serviceRequest.findFirstOrThrow({ where: { number: 2 }, select: { id: true } });
    expect(await h.db.prisma.requestComment.findMany({ where: { requestId: request.id }, select: { personId: true, text: true }, orderBy: { at: 'asc' } })).toEqual([
      { personId: 'wu.hao', text: '宣传册要新版的' },
      { personId: other === 'ou_lina' ? 'li.na' : 'zhao.lei', text: '好的，周四送到' },
    ]);
  });
});

describe('service-request reminders over Lark', () => {
  /** Friday 2026-12-11 16:30 in Shanghai, ahead of the real time; Lark events carry kehu's clock as their create_time. */
  const T0 = Date.parse('2026-12-11T08:30:00Z');
  let offset = 0;
  const started = Date.now();
  const clock = () => new Date(T0 + (Date.now() - started) + offset);
  const h = useHarness({ lark: 'http', orgFile: ORG, catalogFile: CATALOG, clock });
  /** Moves kehu's clock to a Shanghai time and lets what fell due run. */
  const at = async (shanghai: string) => {
    offset = Date.parse(`${shanghai}+08:00`) - T0 - (Date.now() - started);
    await h.kehu.idle();
  };
  const has = (m: { content: unknown }, re: RegExp) => re.test(JSON.stringify(m.content));

  it('reminds the assignee at the due working time across the weekend (50% on Friday afternoon, 75% on Monday morning), the head at breach', async () => {
    await h.larkMessage('ou_wuhao', '请求 客户拜访资料 客户:小米科技 需要日期:2027-03-31 物品:宣传册', { createTimeMs: clock().getTime() });
    await h.larkIdle();
    const dm = await h.fakeLark.waitForMessage((m) => (m.receive_id === 'ou_lina' || m.receive_id === 'ou_zhaolei') && has(m, /#1 (客户拜访资料|Customer visit materials)/));
    // First response in 2 working hours from Friday 16:30: 50% at 17:30; 75% at the day's end, so Monday 09:00 (the weekend counts nothing); breach at 09:30.
    const reminders = () => h.fakeLark.messages.filter((m) => m.receive_id === dm.receive_id && has(m, /首次响应时限已过|of the first response time is gone/));
    await at('2026-12-11T17:29:00');
    expect(reminders()).toHaveLength(0);
    await at('2026-12-11T17:31:00');
    expect(reminders().map((m) => has(m, /50%/))).toEqual([true]);
    await at('2026-12-14T08:59:00');
    expect(reminders()).toHaveLength(1);
    await at('2026-12-14T09:01:00');
    expect(reminders().map((m) => has(m, /75%/))).toEqual([false, true]);
    expect(h.fakeLark.messages.some((m) => m.receive_id === 'ou_chengang' && has(m, /已超时 — #1/))).toBe(false);
    await at('2026-12-14T09:31:00');
    const breach = await h.fakeLark.waitForMessage((m) => m.receive_id === 'ou_chengang' && has(m, /已超时 — #1/));
    expect(cardCallbacks(breach.content).map((v) => v.kehu_action)).toEqual(['request.reassign', 'request.act']);
    // Each once: a sweep again changes nothing.
    await at('2026-12-14T09:35:00');
    expect(reminders()).toHaveLength(2);
    expect(h.fakeLark.messages.filter((m) => m.receive_id === 'ou_chengang' && has(m, /已超时 — #1/))).toHaveLength(1);
  });
});
