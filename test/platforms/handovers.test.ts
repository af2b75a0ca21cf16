// Departure handovers end to end on Slack and Lark (the shell: test/shell/shell-handovers.test.ts;
// the mornings, escalation and sweep: test/db/handovers.test.ts): the plan before anything
// moves, the Start button, the refusals in words, and the successor's Call done that moves
// the customer with its history.
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/use-harness.ts';
import { LARK, SLACK } from '../support/test-org.ts';
import { viewSubmission } from '../support/slack-requests.ts';

const text = (body: Record<string, unknown>) => `${String(body.text)}\n${JSON.stringify(body.blocks ?? [])}`;
type Block = { type: string; elements?: { action_id: string; value: string }[] };

describe('handovers over Slack', () => {
  const h = useHarness({ slack: true });
  const say = async (user: string, command: string) => (await h.slackReply(await h.slashCommand(user, command))).body;
  const press = async (user: string, body: Record<string, unknown>, prefix: string) => {
    const button = (body.blocks as Block[]).flatMap((b) => b.elements ?? []).find((e) => e.action_id?.startsWith(prefix))!;
    return (await h.slackReply(await h.blockAction(user, button.action_id, JSON.parse(button.value) as Record<string, string>))).body;
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
    await h.blockAction(user, button.action_id, JSON.parse(button.value) as Record<string, string>);
    const opened = await h.fakeSlack.waitForView((v) => v.method === 'views.open' && JSON.stringify(v.view).includes(title));
    return opened.view as { private_metadata: string; blocks: { block_id?: string; element?: { type: string } }[] };
  };
  const submit = async (user: string, view: { private_metadata: string }, values: Record<string, Record<string, unknown>>) => {
    const r = await h.slackPost(viewSubmission({ userId: user, privateMetadata: view.private_metadata, values }));
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
    const refused = await submit(SLACK.meiLin, picker, { successor: { successor: { type: 'users_select', selected_user: SLACK.saraNg } } });
    expect(JSON.stringify(refused)).toContain('Sara Ng 不是在职销售');
    const item = await h.db.prisma.handoverItem.findFirstOrThrow({ where: { customerName: '交接拜访' }, select: { id: true, successorId: true } });
    expect(item.successorId).toBe('wu.hao');

    const mine = await say(SLACK.tomReed, 'handover status');
    const dates = await modal(SLACK.tomReed, mine, 'kehu:handover.visitDay', 'Joint visit day');
    expect(dates.blocks.find((b) => b.block_id === 'day')?.element?.type).toBe('datepicker');
    expect(await submit(SLACK.tomReed, dates, { day: { day: { type: 'datepicker', selected_date: '2098-12-01' } } })).toEqual({ response_action: 'clear' });
    await h.kehu.idle();
    expect((await h.db.prisma.handoverItem.findUniqueOrThrow({ where: { id: item.id }, select: { visitDay: true } })).visitDay).toBe('2098-12-01');
    const reminders = await h.db.prisma.job.findMany({ where: { kind: 'handover.visitReminder' }, select: { idempotencyKey: true, runAt: true } });
    expect(reminders.map((r) => r.idempotencyKey.split(':').at(-1)).sort()).toEqual(['dayBefore', 'morning']);
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
});
