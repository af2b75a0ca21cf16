// Arbitration end to end over Slack: a refused rep presses Contest, the owner's manager
// gets the evidence with Keep / Transfer buttons as a DM, a wrong person's press is
// refused, the arbiter's press transfers the customer and each rep is told exactly once,
// and a second press says it was already decided. Also the pool warning's buttons.
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/use-harness.ts';
import { SLACK } from '../support/test-org.ts';
import { POOL_SWEEP_ENTRY } from '../../src/jobs/customers/pool-sweep.job.ts';
import { enqueueRecurring } from '../../src/jobs/recurring.ts';
import { waitFor } from '../support/wait-for.ts';

type Block = { type: string; elements?: { action_id: string; value: string }[] };
const text = (body: Record<string, unknown>) => `${String(body.text)}\n${JSON.stringify(body.blocks ?? [])}`;

describe('arbitration over Slack', () => {
  const h = useHarness({ slack: true });
  const say = async (user: string, command: string) => (await h.slackReply(await h.slashCommand(user, command))).body;
  const press = async (user: string, button: { action_id: string; value: string }) =>
    (await h.slackReply(await h.blockAction(user, button.action_id, JSON.parse(button.value) as Record<string, string>))).body;
  const buttons = (body: Record<string, unknown>) => ((body.blocks as Block[]).find((b) => b.type === 'actions')?.elements ?? []);
  const postsTo = (channel: string, match: string) => h.fakeSlack.callsOf('chat.postMessage').filter((c) => c.params.channel === channel && String(c.params.text).includes(match));

  it('contests, refuses the wrong person, transfers on the arbiter’s press, and tells both reps once', async () => {
    await say(SLACK.tomReed, 'claim Zanzibar Shipping Ltd');
    const refused = await say(SLACK.wuHao, 'claim Zanzibar Shipping Ltd');
    const contest = buttons(refused).find((b) => b.action_id.startsWith('kehu:customer.contest'))!;
    const answer = await press(SLACK.wuHao, contest);
    expect(answer.replace_original).toBe(true);
    expect(text(answer)).toContain('你对 Zanzibar Shipping Ltd 的申诉已交给 林梅');
    // Pressing again does not send a second contest.
    expect(text(await press(SLACK.wuHao, contest))).toContain('没有重复发送');

    const dm = await h.fakeSlack.waitForCall('chat.postMessage', (c) => c.params.channel === SLACK.meiLin && String(c.params.text).includes('Zanzibar'));
    const evidence = text(dm.params);
    expect(evidence).toContain('吴昊 对 Tom Reed 登记的 Zanzibar Shipping Ltd 提出申诉');
    expect(evidence).toMatch(/负责人登记时间\*\\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    expect(evidence).toMatch(/申诉时间\*\\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    expect(evidence).toContain('登记：Tom Reed');
    const decide = buttons(dm.params as Record<string, unknown>);
    expect(decide.map((b) => b.action_id)).toEqual(['kehu:contest.decide:0', 'kehu:contest.decide:1', 'kehu:contest.decide:2']);
    const transfer = decide[1]!;

    // The owner pressing the arbiter's button is refused, and nothing changes.
    const wrong = await press(SLACK.tomReed, transfer);
    expect(wrong.replace_original).toBe(false);
    expect(text(wrong)).toContain('Only 林梅, the arbiter of this contest, can decide it; nothing changed');
    const customer = await h.db.prisma.customer.findFirstOrThrow({ where: { name: 'Zanzibar Shipping Ltd' }, select: { id: true, ownerId: true } });
    expect(customer.ownerId).toBe('tom.reed');

    const decided = await press(SLACK.meiLin, transfer);
    expect(decided.replace_original).toBe(true);
    expect(text(decided)).toContain('已裁决：Zanzibar Shipping Ltd 转给申诉人。现在的负责人是 吴昊。');
    expect(text(decided)).toContain('理由：原负责人从未跟进');

    await h.fakeSlack.waitForCall('chat.postMessage', (c) => c.params.channel === SLACK.tomReed && String(c.params.text).includes('Decision on Zanzibar'));
    await h.fakeSlack.waitForCall('chat.postMessage', (c) => c.params.channel === SLACK.wuHao && String(c.params.text).includes('Zanzibar Shipping Ltd 的裁决'));
    const again = await press(SLACK.meiLin, decide[0]!);
    expect(text(again)).toContain('这个申诉已经裁决过了，没有任何改动');
    await h.kehu.idle();
    expect(postsTo(SLACK.tomReed, 'Decision on Zanzibar')).toHaveLength(1);
    expect(text(postsTo(SLACK.tomReed, 'Decision on Zanzibar')[0]!.params)).toContain('The owner is now 吴昊');
    expect(postsTo(SLACK.wuHao, 'Zanzibar Shipping Ltd 的裁决')).toHaveLength(1);
    const history = await h.db.prisma.ownershipEvent.findMany({ where: { customerId: customer.id }, orderBy: { at: 'asc' }, select: { kind: true, toPersonId: true, byPersonId: true } });
    expect(history).toEqual([
      { kind: 'claim', toPersonId: 'tom.reed', byPersonId: 'tom.reed' },
      { kind: 'transfer', toPersonId: 'wu.hao', byPersonId: 'mei.lin' },
    ]);
  });

  it('takes a typed decision with any reason: /kehu 裁决 <id> 维持 <reason>', async () => {
    await say(SLACK.tomReed, 'claim Yellowknife Timber Co');
    const refused = await say(SLACK.wuHao, 'claim Yellowknife Timber Co');
    await press(SLACK.wuHao, buttons(refused)[0]!);
    const contest = await h.db.prisma.contest.findFirstOrThrow({ where: { challengerId: 'wu.hao', status: 'open' }, select: { id: true } });
    expect(text(await say(SLACK.meiLin, `裁决 ${contest.id} 转移`))).toContain('转移需要理由');
    expect(text(await say(SLACK.meiLin, `裁决 ${contest.id} 维持 Tom 已签保密协议`))).toContain('已裁决：Yellowknife Timber Co 维持原负责人。现在的负责人是 Tom Reed。');
  });

  it('turns the pool warning buttons into a typed hint, an extension request to the manager, and a release', async () => {
    await say(SLACK.tomReed, 'claim Xenon Optics');
    const customer = await h.db.prisma.customer.findFirstOrThrow({ where: { name: 'Xenon Optics' }, select: { id: true, releaseAt: true } });
    const value = JSON.stringify({ customerId: customer.id });
    const hint = await press(SLACK.tomReed, { action_id: 'kehu:pool.logHint:0', value });
    expect(text(hint)).toContain('/kehu log \\"Xenon Optics\\" call');
    await press(SLACK.tomReed, { action_id: 'kehu:pool.askExtension:2', value });
    const ask = await h.fakeSlack.waitForCall('chat.postMessage', (c) => c.params.channel === SLACK.meiLin && String(c.params.text).includes('Xenon Optics'));
    const [approve] = buttons(ask.params as Record<string, unknown>);
    expect(text(await press(SLACK.wuHao, approve!))).toContain('只有 林梅 可以处理这个申请');
    expect(text(await press(SLACK.meiLin, approve!))).toContain('已批准：Xenon Optics 由 Tom Reed 保留至');
    const after = await h.db.prisma.customer.findUniqueOrThrow({ where: { id: customer.id }, select: { releaseAt: true, extendedUntil: true } });
    expect(after.releaseAt!.getTime() - customer.releaseAt!.getTime()).toBe(15 * 86_400_000);
    expect(text(await press(SLACK.tomReed, { action_id: 'kehu:pool.releaseNow:1', value }))).toContain('Xenon Optics is back in the public pool.');
  });

  it('runs the nightly sweep as one job per night, whichever replicas tick', async () => {
    const night = new Date('2026-11-25T18:00:00Z'); // 02:00 in Asia/Shanghai
    expect(await enqueueRecurring(h.db, POOL_SWEEP_ENTRY, night, 'Asia/Shanghai')).toBe(true);
    expect(await enqueueRecurring(h.db, POOL_SWEEP_ENTRY, night, 'Asia/Shanghai')).toBe(false);
    const key = 'pool-sweep:2026-11-26T02:00';
    await waitFor(async () => (await h.db.prisma.job.findUnique({ where: { idempotencyKey: key } }))?.status === 'done', { what: 'the sweep job done' });
    expect(h.logs.some((l) => l.msg === 'pool sweep done')).toBe(true);
  });
});
