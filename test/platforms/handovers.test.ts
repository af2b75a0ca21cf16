// Departure handovers end to end on Slack and Lark (the shell: test/shell/shell-handovers.test.ts;
// both databases: test/db/handovers.test.ts): the plan before anything moves (typed or the
// form), the Start button, refusals in words, Call done moving the customer with its history,
// the Reassign person picker and the visit-day date picker, and working mornings walked on a
// clock the test moves, on Slack and on Lark: prompts, progress, an escalation and its Transfer now.
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/use-harness.ts';
import { LARK, SLACK } from '../support/test-org.ts';
import { viewSubmission } from '../support/slack-requests.ts';
import { cardCallbacks, larkCardAction, larkFormSubmit } from '../support/lark-requests.ts';
import { LARK_VERIFICATION_TOKEN } from '../support/harness.ts';
import { waitFor } from '../support/wait-for.ts';
import { enqueueJob } from '../../src/db/repositories/job.repository.ts';

const text = (body: { text?: unknown; blocks?: unknown }) => `${String(body.text)}\n${JSON.stringify(body.blocks ?? [])}`;
type Block = { type: string; elements?: { action_id: string; value: string }[] };

/** Monday 2026-12-14 09:00 in Shanghai: later than the real time, so that what the front door writes is due to the back office's clock. */
const T0 = Date.parse('2026-12-14T01:00:00Z');
const DAY = 86_400_000;

describe('handovers over Slack', () => {
  // kehu's clock runs with real time from T0 on; the test walks it forward a working day at a time. Requests are signed at kehu's time.
  let offset = T0 - Date.now();
  const clock = () => Date.now() + offset;
  const signed = () => ({ timestamp: Math.floor(clock() / 1000) });
  const h = useHarness({ slack: true, clock: () => new Date(clock()) });
  const say = async (user: string, command: string) => (await h.slackReply(await h.slashCommand(user, command, signed()))).body;
  const press = async (user: string, body: Record<string, unknown>, prefix: string) => {
    const button = (body.blocks as Block[]).flatMap((b) => b.elements ?? []).find((e) => e.action_id?.startsWith(prefix))!;
    return (await h.slackReply(await h.blockAction(user, button.action_id, JSON.parse(button.value) as Record<string, string>, signed()))).body;
  };

  it('shows the plan, starts on the button, and the successor’s Call done moves the customer', async () => {
    await say(SLACK.tomReed, 'claim 交接零号');
    await say(SLACK.tomReed, 'claim 交接电话');
    await say(SLACK.tomReed, 'stage 交接电话 25 contact:王总 phone:13800000000');
    expect(text(await say(SLACK.wuHao, 'handover tom.reed'))).toContain('只有其上级链条中的经理或管理员可以发起交接');
    expect(text(await say(SLACK.meiLin, 'handover tom.reed to tom.reed'))).toContain('Tom Reed 正是离职人');
    const plan = await say(SLACK.meiLin, '交接 tom.reed 给 wu.hao 最后一天 2099-01-05');
    expect(text(plan)).toContain('Tom Reed 的交接计划：2 个客户');
    expect(await h.db.prisma.ownershipEvent.count({ where: { kind: 'handover' } })).toBe(0);
    expect(text(await press(SLACK.meiLin, plan, 'kehu:handover.start'))).toContain('1 个已立即移交，1 个须在 2099-01-05 前逐个交接');
    // A double press: refused in words, nothing moved twice.
    expect(text(await press(SLACK.meiLin, plan, 'kehu:handover.start'))).toContain('Tom Reed 的交接已在进行');
    expect(await h.db.prisma.ownershipEvent.count({ where: { kind: 'handover' } })).toBe(1);

    expect(text(await say(SLACK.tomReed, 'handover note 交接电话 Mr Wang decides; promised a January demo'))).toContain('Recorded for 交接电话.');
    const status = await say(SLACK.wuHao, '交接 状态');
    expect(text(status)).toContain('交接电话：电话交接 → 吴昊');
    expect(text(await press(SLACK.wuHao, status, 'kehu:handover.confirm'))).toContain('交接电话 已移交给 吴昊');
    const customer = await h.db.prisma.customer.findFirstOrThrow({ where: { name: '交接电话' }, select: { ownerId: true } });
    expect(customer.ownerId).toBe('wu.hao');
    // The leaver is told through the queue.
    await h.kehu.idle();
    const dm = await h.fakeSlack.waitForCall('chat.postMessage', (c) => c.params.channel === SLACK.tomReed && String(c.params.text).includes('交接电话'));
    expect(String(dm.params.text)).toContain('The handover of this customer is complete.');
  }, 60_000);

  const modal = async (user: string, body: Record<string, unknown>, prefix: string, title: string) => {
    const button = (body.blocks as Block[]).flatMap((b) => b.elements ?? []).find((e) => e.action_id?.startsWith(prefix))!;
    await h.blockAction(user, button.action_id, JSON.parse(button.value) as Record<string, string>, signed());
    const opened = await h.fakeSlack.waitForView((v) => v.method === 'views.open' && JSON.stringify(v.view).includes(title));
    return opened.view as { private_metadata: string; blocks: { block_id?: string; element?: { type: string } }[] };
  };
  const submit = async (user: string, view: { private_metadata: string }, values: Record<string, Record<string, unknown>>) => {
    const r = await h.slackPost(viewSubmission({ userId: user, privateMetadata: view.private_metadata, values }), signed());
    return r.text ? (JSON.parse(r.text) as Record<string, unknown>) : undefined;
  };

  it('the manager’s Reassign opens a person picker (a non-rep refused beside the field); the leaver’s visit day opens a date picker and writes both reminders', async () => {
    await say(SLACK.tomReed, 'claim 交接拜访');
    // A 75% customer: the joint visit (the stage evidence is another test's business).
    await h.db.prisma.customer.updateMany({ where: { name: '交接拜访' }, data: { stage: 75 } });
    const plan = await say(SLACK.meiLin, '交接 tom.reed 给 wu.hao 最后一天 2099-01-05');
    await press(SLACK.meiLin, plan, 'kehu:handover.start');

    const status = await say(SLACK.meiLin, '交接 状态 tom.reed');
    const picker = await modal(SLACK.meiLin, status, 'kehu:handover.reassign', '改派接手人');
    expect(picker.blocks.find((b) => b.block_id === 'successor')?.element?.type).toBe('users_select');
    // The form names what it is about, in 林梅's language: the customer and the leaver.
    expect(JSON.stringify(picker.blocks)).toContain('客户：交接拜访，由 Tom Reed 交接。');
    const refused = await submit(SLACK.meiLin, picker, { successor: { successor: { type: 'users_select', selected_user: SLACK.saraNg } } });
    expect(JSON.stringify(refused)).toContain('Sara Ng 不是在职销售');
    const item = await h.db.prisma.handoverItem.findFirstOrThrow({ where: { customerName: '交接拜访' }, select: { id: true, successorId: true } });
    expect(item.successorId).toBe('wu.hao');

    const mine = await say(SLACK.tomReed, 'handover status');
    const dates = await modal(SLACK.tomReed, mine, 'kehu:handover.visitDay', 'Joint visit day');
    expect(dates.blocks.find((b) => b.block_id === 'day')?.element?.type).toBe('datepicker');
    expect(JSON.stringify(dates.blocks)).toContain('Customer: 交接拜访, handed over by Tom Reed.');
    expect(await submit(SLACK.tomReed, dates, { day: { day: { type: 'datepicker', selected_date: '2098-12-01' } } })).toEqual({ response_action: 'clear' });
    await h.kehu.idle();
    expect((await h.db.prisma.handoverItem.findUniqueOrThrow({ where: { id: item.id }, select: { visitDay: true } })).visitDay).toBe('2098-12-01');
    const reminders = await h.db.prisma.job.findMany({ where: { kind: 'handover.visitReminder' }, select: { idempotencyKey: true, runAt: true } });
    expect(reminders.map((r) => r.idempotencyKey.split(':').at(-1)).sort()).toEqual(['dayBefore', 'morning']);
  }, 60_000);
  it('walks working days: each morning one prompt per person with buttons and the manager’s progress; an overdue step escalated with Extend, Reassign, Transfer now; a crash and re-run sends nothing twice', async () => {
    // 吴昊 (who took 交接零号 and 交接电话 over above) leaves and Tom takes over; Tom's own handover of 交接拜访
    // to 吴昊 is still open, so each prompt lists both handovers' steps.
    await say(SLACK.wuHao, 'claim 逐日电话');
    await h.db.prisma.customer.updateMany({ where: { name: '逐日电话' }, data: { stage: 25 } });
    const plan = await say(SLACK.meiLin, '交接 wu.hao 给 tom.reed 最后一天 2026-12-18');
    expect(text(plan)).toContain('电话、拜访和交接备注须在 2026-12-16 前完成');
    await press(SLACK.meiLin, plan, 'kehu:handover.start');
    const morning = async (day: string) => {
      // What node-cron enqueues at 09:00, keyed by the day (a second enqueue of the same day is dropped).
      await h.db.prisma.$transaction((tx) => enqueueJob(tx, { kind: 'handover.morning', payload: null, runAt: new Date(clock()), idempotencyKey: `test-morning:${day}` }));
      await h.kehu.idle();
    };
    const prompts = (user: string, has: string) => h.fakeSlack.messagesIn(user).filter((m) => text(m).includes(has));

    // Monday: one prompt each, counted back from Friday — 吴昊: two calls and notes as leaver, the visit as Tom's successor;
    // Tom: the two calls as successor, his visit and note as leaver. 林梅 gets the progress (交接零号 moved at once).
    await morning('2026-12-14');
    const wu = await waitFor(() => prompts(SLACK.wuHao, '还剩 4 个工作日').at(-1), { what: "吴昊's prompt" });
    expect(text(wu)).toContain('交接：还剩 4 个工作日：2 个电话、1 次拜访、2 份备注。');
    expect(text(wu)).toContain('kehu:handover.confirm');
    const tom = await waitFor(() => prompts(SLACK.tomReed, '4 working days left').at(-1), { what: "Tom's prompt" });
    expect(text(tom)).toContain('Handover: 4 working days left: 2 calls, 1 visit, 1 note.');
    await waitFor(() => prompts(SLACK.meiLin, '吴昊 的交接：已完成 1/3，还剩 4 个工作日').at(-1), { what: 'the progress' });
    // A crash after the first prompts and a re-run (or a second replica): each person still has one.
    await h.db.prisma.$transaction((tx) => enqueueJob(tx, { kind: 'handover.morning', payload: null, runAt: new Date(clock()), idempotencyKey: 'test-morning:2026-12-14:rerun' }));
    await h.kehu.idle();
    expect(prompts(SLACK.tomReed, '4 working days left')).toHaveLength(1);

    // Thursday, past the due day (Wednesday): escalated to 林梅 with the three buttons; Transfer now moves it, flagged incomplete.
    offset += 3 * DAY;
    await morning('2026-12-17');
    const overdue = await waitFor(() => prompts(SLACK.meiLin, '已逾期：逐日电话').at(-1), { what: 'the escalation' });
    expect(((overdue.blocks ?? []) as Block[]).flatMap((b) => b.elements ?? []).map((e) => e.action_id.split(':')[1])).toEqual(['handover.extend', 'handover.reassign', 'handover.transferNow']);
    expect(text(await press(SLACK.meiLin, overdue as unknown as Record<string, unknown>, 'kehu:handover.transferNow'))).toContain('逐日电话 已移交给 Tom Reed');
    const moved = await h.db.prisma.customer.findFirstOrThrow({ where: { name: '逐日电话' }, select: { id: true, ownerId: true } });
    expect(moved.ownerId).toBe('tom.reed');
    expect(await h.db.prisma.ownershipEvent.findFirst({ where: { customerId: moved.id, kind: 'handover' }, select: { reason: true } })).toEqual({ reason: 'incomplete' });
  }, 60_000);
});

describe('handovers over Lark', () => {
  const h = useHarness({ lark: 'http' });
  const say = async (openId: string, command: string) => {
    await h.larkMessage(openId, command);
    await h.larkIdle();
    return JSON.stringify(h.fakeLark.messages.at(-1)!.content);
  };

  it('shows the plan and starts it from the card button', async () => {
    await say(LARK.tomReed, 'claim 飞书交接');
    const plan = await say(LARK.meiLin, '交接 tom.reed 给 wu.hao 最后一天 2099-01-05');
    expect(plan).toContain('Tom Reed 的交接计划：1 个客户');
    const value = JSON.parse(plan.match(/"behaviors":\[\{"type":"callback","value":(\{[^}]*"kehu_action":"handover\.start"\})\}\]/)![1]!) as Record<string, string>;
    const pressed = await h.larkCardAction(LARK.meiLin, value, { messageId: 'om_handover_1' });
    expect(pressed.text).toContain('1 个已立即移交');
    const customer = await h.db.prisma.customer.findFirstOrThrow({ where: { name: '飞书交接' }, select: { ownerId: true } });
    expect(customer.ownerId).toBe('wu.hao');
  }, 60_000);

  type Card = { body: { elements: { tag: string; name?: string; elements?: { tag: string; name?: string; behaviors?: { value: Record<string, string> }[] }[] }[] } };
  const formToken = (card: Card) => card.body.elements.find((e) => e.tag === 'form')!.elements!.find((e) => e.tag === 'button')!.behaviors![0]!.value.kehu_form!;
  const submit = async (openId: string, token: string, formValue: Record<string, unknown>) =>
    JSON.parse((await h.larkPost(larkFormSubmit({ openId, token: LARK_VERIFICATION_TOKEN, value: { kehu_form: token }, formValue }))).text) as { toast?: { content: string }; card?: { data: Card } };

  it('the handover form as a card (a person picker), then the leaver’s visit day on a card date picker', async () => {
    await say(LARK.tomReed, 'claim 飞书拜访');
    await h.db.prisma.customer.updateMany({ where: { name: '飞书拜访' }, data: { stage: 75 } });
    await say(LARK.meiLin, '交接');
    const form = h.fakeLark.messages.at(-1)!.content as unknown as Card;
    expect(form.body.elements.find((e) => e.tag === 'form')!.elements!.filter((e) => e.name && e.tag !== 'button').map((e) => [e.name, e.tag])).toEqual([
      ['leaver', 'select_person'],
      ['successors', 'input'],
      ['lastDay', 'date_picker'],
    ]);
    const plan = await submit(LARK.meiLin, formToken(form), { leaver: LARK.tomReed, successors: 'wu.hao', lastDay: '2099-01-05 +0800' });
    expect(JSON.stringify(plan)).toContain('Tom Reed 的交接计划：1 个客户');
    const start = JSON.stringify(plan).match(/"value":(\{[^}]*"kehu_action":"handover\.start"\})/)![1]!;
    expect((await h.larkCardAction(LARK.meiLin, JSON.parse(start) as Record<string, string>, { messageId: 'om_handover_2' })).text).toContain('0 个已立即移交');

    await say(LARK.tomReed, 'handover status');
    // The status reply (the start's notices may land after it).
    const status = JSON.stringify(h.fakeLark.messages.map((m) => m.content).find((c) => JSON.stringify(c).includes('handover.visitDay')));
    const pick = status.match(/"value":(\{[^}]*"kehu_action":"handover\.visitDay"\})/)![1]!;
    const opened = JSON.parse((await h.larkCardAction(LARK.tomReed, JSON.parse(pick) as Record<string, string>, { messageId: 'om_handover_3' })).text) as { card?: { data: Card } };
    await h.larkIdle();
    const dayForm = opened.card?.data ?? (h.fakeLark.messages.at(-1)!.content as unknown as Card);
    expect(JSON.stringify(dayForm)).toContain('date_picker');
    // The card form names the customer and the leaver, in Tom's language.
    expect(JSON.stringify(dayForm)).toContain('Customer: 飞书拜访, handed over by Tom Reed.');
    const done = await submit(LARK.tomReed, formToken(dayForm), { day: '2098-12-01 +0800' });
    expect(done.toast?.content).toContain('Recorded for 飞书拜访.');
    expect((await h.db.prisma.handoverItem.findFirstOrThrow({ where: { customerName: '飞书拜访' }, select: { visitDay: true } })).visitDay).toBe('2098-12-01');
  }, 60_000);
});

describe('handovers over Lark, working mornings', () => {
  // kehu's clock from T0 (Monday 09:00) on, walked a working day at a time; events carry kehu's time.
  let offset = T0 - Date.now();
  const clock = () => Date.now() + offset;
  const h = useHarness({ lark: 'http', clock: () => new Date(clock()) });
  const has = (m: { content: unknown }, s: string) => JSON.stringify(m.content).includes(s);
  const say = async (openId: string, line: string) => {
    await h.larkMessage(openId, line, { createTimeMs: clock() });
    await h.larkIdle();
  };
  const press = async (openId: string, card: { content: unknown; message_id: string }, action: string) => {
    const value = cardCallbacks(card.content).find((v) => v.kehu_action === action);
    if (!value) throw new Error(`no ${action} button in ${JSON.stringify(card.content)}`);
    const event = larkCardAction({ openId, value, token: h.larkToken, messageId: card.message_id });
    const r = await h.larkPost({ ...event, header: { ...event.header, create_time: String(clock()) } });
    await h.larkIdle();
    return r.text;
  };
  const morning = async (day: string) => {
    await h.db.prisma.$transaction((tx) => enqueueJob(tx, { kind: 'handover.morning', payload: null, runAt: new Date(clock()), idempotencyKey: `test-morning:${day}` }));
    await h.kehu.idle();
  };
  const cards = (openId: string, text: string) => h.fakeLark.messages.filter((m) => m.receive_id === openId && has(m, text));

  it('walks working days on Lark: one prompt card per person with buttons, the manager’s progress, Call done by both moves the customer; an overdue step escalated with its three buttons', async () => {
    await say(LARK.tomReed, 'claim 飞书逐日');
    await say(LARK.tomReed, 'claim 飞书逾期');
    await h.db.prisma.customer.updateMany({ where: { name: { in: ['飞书逐日', '飞书逾期'] } }, data: { stage: 25 } });
    await say(LARK.meiLin, '交接 tom.reed 给 wu.hao 最后一天 2026-12-18');
    // A reply to 林梅's message (the reply API names no receive_id).
    const plan = await h.fakeLark.waitForMessage((m) => has(m, 'Tom Reed 的交接计划'));
    await press(LARK.meiLin, plan, 'handover.start');

    // Monday: one card each, counted back from Friday; the manager gets the progress.
    await morning('2026-12-14');
    const tom = await waitFor(() => cards(LARK.tomReed, '4 working days left').at(-1), { what: "Tom's prompt card" });
    expect(cardCallbacks(tom.content).some((v) => v.kehu_action === 'handover.confirm')).toBe(true);
    const wu = await waitFor(() => cards(LARK.wuHao, '还剩 4 个工作日').at(-1), { what: "吴昊's prompt card" });
    await waitFor(() => cards(LARK.meiLin, 'Tom Reed 的交接').find((m) => has(m, '还剩 4 个工作日')), { what: 'the progress' });
    // A second run of the same morning (a restart, a second replica) sends nothing again.
    await h.db.prisma.$transaction((tx) => enqueueJob(tx, { kind: 'handover.morning', payload: null, runAt: new Date(clock()), idempotencyKey: 'test-morning:2026-12-14:rerun' }));
    await h.kehu.idle();
    expect(cards(LARK.tomReed, '4 working days left')).toHaveLength(1);

    // Tom leaves the note, both confirm the first call from their cards: the customer is 吴昊's, with its history.
    await say(LARK.tomReed, 'handover note 飞书逐日 王总拍板；别提价格');
    const customer = await h.db.prisma.customer.findFirstOrThrow({ where: { name: '飞书逐日' }, select: { id: true } });
    // The first "Call done" of each card is 飞书逐日's (the list's order).
    for (const [openId, card] of [[LARK.tomReed, tom], [LARK.wuHao, wu]] as const) expect(await press(openId, card, 'handover.confirm')).toContain('飞书逐日');
    await waitFor(async () => (await h.db.prisma.customer.findUniqueOrThrow({ where: { id: customer.id }, select: { ownerId: true } })).ownerId === 'wu.hao' || undefined, { what: '飞书逐日 handed to 吴昊' });

    // Thursday, past the due day: the other call is escalated to 林梅 with Extend, Reassign, Transfer now.
    offset += 3 * DAY;
    await morning('2026-12-17');
    const overdue = await waitFor(() => cards(LARK.meiLin, '已逾期：飞书逾期').at(-1), { what: 'the escalation card' });
    expect(cardCallbacks(overdue.content).map((v) => v.kehu_action)).toEqual(['handover.extend', 'handover.reassign', 'handover.transferNow']);
  }, 60_000);
});
