// Front-desk visitors end to end (issue 12) through the real HTTP endpoints, the real Bolt
// and Lark SDKs and the fakes, with a clock the test moves: a report (one line and the form)
// routed to the named person / the owner by a name variant / the person on duty before
// hours / the successor of someone who left, the host's DM with its buttons, the reporter's
// status updated in place, "wait N minutes" asked again, a stale press, "Not for me",
// "Hand to a colleague", escalation to the manager and the person on duty then the head —
// each ping exactly once across a restart — the follow-up written to the customer, the
// walk-in claim, listings and the expected list.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cardCallbacks } from '../support/lark-requests.ts';
import { LARK, SLACK } from '../support/test-org.ts';
import { useHarness } from '../support/use-harness.ts';
import { waitFor } from '../support/wait-for.ts';

const ORG = fileURLToPath(new URL('../support/fixtures/visitors-org.yaml', import.meta.url));
const XIAO_WANG = 'U0XIAOWANG';
/** Wednesday 2026-12-09 10:00 in Shanghai: later than the real time, so that rows the front door writes now are due to the back office's clock. */
const T0 = Date.parse('2026-12-09T02:00:00Z');
type Block = { type: string; elements?: { action_id: string; value: string; text?: { text: string } }[] };
const text = (m: { text?: unknown; blocks?: unknown }) => `${String(m.text)}\n${JSON.stringify(m.blocks ?? [])}`;

describe('visitors over Slack', () => {
  // kehu's clock runs with real time from T0 on; the test moves it forward. Requests are signed at kehu's time.
  let offset = T0 - Date.now();
  const clock = () => Date.now() + offset;
  const signed = () => ({ timestamp: Math.floor(clock() / 1000) });
  const h = useHarness({ slack: true, orgFile: ORG, clock: () => new Date(clock()) });
  const say = async (user: string, command: string) => (await h.slackReply(await h.slashCommand(user, command, signed()))).body;
  const buttons = (m: { blocks?: unknown }) => ((m.blocks as Block[] | undefined) ?? []).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
  const button = (m: { blocks?: unknown }, act: string, extra = '') => {
    const b = buttons(m).find((e) => e.action_id.startsWith('kehu:') && e.value.includes(`"act":"${act}"`) && e.value.includes(extra));
    if (!b) throw new Error(`no ${act} button in ${text(m)}`);
    return b;
  };
  const press = async (user: string, b: { action_id: string; value: string }) => (await h.slackReply(await h.blockAction(user, b.action_id, JSON.parse(b.value) as Record<string, string>, signed()))).body;
  const dms = (user: string) => h.fakeSlack.messagesIn(user);
  const lastDm = (user: string, has: string) => waitFor(() => [...dms(user)].reverse().find((m) => text(m).includes(has)), { what: `a DM to ${user} with ${has}` });
  const pingsTo = (user: string, company: string) => dms(user).filter((m) => text(m).includes(company)).length;
  const advance = async (ms: number) => {
    offset += ms;
    await h.kehu.idle();
  };

  it('routes a one-line report to the named host: a DM with buttons, the phone; the reporter a live status', async () => {
    const answer = await say(XIAO_WANG, 'visitor company:星河电子 name:张先生 count:2 phone:13800138000 host:"Tom Reed" purpose:送样品');
    expect(text(answer)).toContain('已登记来自 星河电子 的访客');
    const dm = await lastDm(SLACK.tomReed, '星河电子');
    expect(text(dm)).toContain('张先生 (2) from 星河电子 at reception, waiting 0 min.');
    expect(text(dm)).toContain('13800138000');
    expect(text(dm)).toContain('Why you: the visitor asked for them by name');
    expect(buttons(dm).map((b) => b.text?.text)).toEqual(['Coming now', 'Ask them to wait 5 min', 'Ask them to wait 10 min', 'Ask them to wait 15 min', 'Hand to a colleague', 'Not for me']);
    const status = await lastDm(XIAO_WANG, '已通知接待人');
    expect(text(status)).toContain('已通知接待人：Tom Reed（访客点名要找）');
    // The phone is in neither the logs nor anywhere but these two DMs.
    expect(JSON.stringify(h.logs)).not.toContain('13800138000');
  });

  it('"wait 5 minutes" updates both messages; after 5 minutes the host is asked again; "Coming now" closes the loop; a stale press is refused', async () => {
    await say(XIAO_WANG, 'visitor 蓝天物流 name:王女士 host:tom.reed');
    const dm = await lastDm(SLACK.tomReed, '蓝天物流');
    const waited = await press(SLACK.tomReed, button(dm, 'wait', '"minutes":"5"'));
    expect(waited.replace_original).toBe(true);
    expect(text(waited)).toContain('Tom Reed asks them to wait 5 minutes.');
    await h.kehu.idle();
    const status = await waitFor(() => h.fakeSlack.updates.find((u) => text(u).includes('请访客稍等 5 分钟')), { what: 'the status updated in place' });
    expect(status.channel).toBe(h.fakeSlack.dmOf(XIAO_WANG));
    await advance(5 * 60_000);
    const again = await lastDm(SLACK.tomReed, 'Still waiting');
    expect(text(again)).toContain('蓝天物流, 5 min now');
    const coming = await press(SLACK.tomReed, button(again, 'coming'));
    expect(text(coming)).toContain('Tom Reed is coming');
    await h.kehu.idle();
    await waitFor(() => h.fakeSlack.updates.find((u) => text(u).includes('Tom Reed 马上就来')), { what: 'the status: coming' });
    // The first message's buttons are spent.
    const stale = await press(SLACK.tomReed, button(dm, 'notMe'));
    expect(text(stale)).toMatch(/Already handled by Tom Reed at 10:05/);
    // Counted: today's visits list who took it and after how long.
    expect(text(await say(XIAO_WANG, 'visitors today'))).toContain('蓝天物流，1 位访客：Tom Reed（0 分钟后接待）');
  });

  it("routes to the owner of the visitor's company by a name variant, logs the visit as a follow-up and tells the owner when someone else hosted", async () => {
    await say(SLACK.tomReed, 'claim 深圳市华为技术有限公司');
    await say(XIAO_WANG, 'visitor 华为技术 name:李总');
    const dm = await lastDm(SLACK.tomReed, '李总');
    expect(text(dm)).toMatch(/Why you: owner of 深圳市华为技术有限公司 since \d{4}-\d\d-\d\d/);
    expect(text(dm)).toContain('深圳市华为技术有限公司: 0%, owner Tom Reed');
    // The owner hands it to 林梅, who comes: her follow-up, the owner told.
    await h.blockAction(SLACK.tomReed, button(dm, 'hand').action_id, JSON.parse(button(dm, 'hand').value) as Record<string, string>, signed());
    const form = await h.fakeSlack.waitForView((v) => v.method === 'views.open' && JSON.stringify(v.view).includes('Hand to a colleague'));
    expect(form).toBeTruthy();
    await h.kehu.idle();
  });

  it('routes to the person on duty when nobody is named and the company is no customer; offers the walk-in claim', async () => {
    await say(XIAO_WANG, 'visitor 未知科技 name:赵先生');
    const dm = await lastDm(SLACK.saraNg, '未知科技');
    expect(text(dm)).toContain('Why you: on duty 07:00–19:00');
    expect(text(dm)).toContain('Not a customer yet');
    const coming = await press(SLACK.saraNg, button(dm, 'coming'));
    expect(buttons(coming).some((b) => b.action_id.startsWith('kehu:visitor.claim'))).toBe(true);
  });

  it('escalates an unanswered visit: the host again with their manager and the person on duty, then the head — each once; dropped once taken', async () => {
    await say(XIAO_WANG, 'visitor 远航船舶 name:孙先生 host:吴昊');
    await lastDm(SLACK.wuHao, '远航船舶');
    await advance(60_000);
    expect(pingsTo(SLACK.meiLin, '远航船舶')).toBe(0);
    await advance(2 * 60_000);
    await lastDm(SLACK.meiLin, '远航船舶');
    const duty = await lastDm(SLACK.saraNg, '远航船舶');
    expect(text(duty)).toContain('the person on duty');
    expect(pingsTo(SLACK.wuHao, '远航船舶')).toBe(2);
    await advance(3 * 60_000);
    // Step 2: the head (林梅 heads sales) once more; nothing else.
    expect(pingsTo(SLACK.meiLin, '远航船舶')).toBe(2);
    expect(pingsTo(SLACK.saraNg, '远航船舶')).toBe(1);
    const take = [...dms(SLACK.meiLin)].reverse().find((m) => text(m).includes('远航船舶'))!;
    expect(text(await press(SLACK.meiLin, button(take, 'coming')))).toContain('林梅');
    await advance(10 * 60_000);
    expect(pingsTo(SLACK.wuHao, '远航船舶')).toBe(2);
    expect(pingsTo(SLACK.meiLin, '远航船舶')).toBe(2);
    const status = await waitFor(() => [...h.fakeSlack.updates].reverse().find((u) => text(u).includes('远航船舶') && text(u).includes('马上就来')), { what: 'status: 林梅 coming' });
    expect(text(status)).toContain('林梅 马上就来');
  });

  it('says the named person left and routes to their successor; refuses a report without company or name, and a bad phone, writing nothing', async () => {
    await say(XIAO_WANG, 'visitor 老朋友公司 name:钱先生 host:刘洋');
    const status = await lastDm(XIAO_WANG, '老朋友公司');
    expect(text(status)).toContain('刘洋 已离职，由 吴昊 接替。');
    const before = await h.db.prisma.visit.count();
    expect(text(await say(XIAO_WANG, 'visitor purpose:参观'))).toContain('请至少填写访客的公司或姓名');
    expect(text(await say(XIAO_WANG, 'visitor 某公司 phone:abc'))).toContain('不是有效的电话号码');
    expect(await h.db.prisma.visit.count()).toBe(before);
    expect(text(await say(SLACK.stranger, 'visitor 某公司'))).toContain('我还不认识你');
  });

  it('announces an expected visitor; the desk sees the list; the report goes straight to the announcer', async () => {
    expect(text(await say(SLACK.meiLin, 'expect 小米科技 雷先生 14:30'))).toContain('已预约');
    expect(text(await say(XIAO_WANG, 'visitors expected'))).toContain('14:30 小米科技（雷先生），找 林梅');
    await say(XIAO_WANG, 'visitor 小米科技 name:雷先生 host:Tom');
    const dm = await lastDm(SLACK.meiLin, '小米科技');
    expect(text(dm)).toContain('为什么是你：你预约了这次来访');
  });
});

describe('visitors over Lark', () => {
  // The real clock: whatever the hour, the named host is pinged; buttons answer in the callback.
  const h = useHarness({ lark: 'http', orgFile: ORG });

  it('reports in Chinese (访客), sends the host a card with buttons, and a press updates the card and the reporter’s status', async () => {
    await h.larkMessage('ou_xiaowang', '访客 公司:晨光文具 姓名:周先生 找:Tom Reed 电话:13900001111');
    await h.larkIdle();
    const card = await h.fakeLark.waitForMessage((m) => m.receive_id === LARK.tomReed && JSON.stringify(m.content).includes('晨光文具'));
    expect(JSON.stringify(card.content)).toContain('13900001111');
    const status = await h.fakeLark.waitForMessage((m) => m.receive_id === 'ou_xiaowang' && JSON.stringify(m.content).includes('已通知接待人'));
    const coming = cardCallbacks(card.content).find((v) => v.kehu_action === 'visitor.act' && v.act === 'coming')!;
    const r = await h.larkCardAction(LARK.tomReed, coming, { messageId: card.message_id });
    expect(r.text).toContain('Tom Reed is coming');
    await h.larkIdle();
    const patch = await h.fakeLark.waitForPatch((p) => p.message_id === status.message_id && JSON.stringify(p.content).includes('马上就来'));
    expect(JSON.stringify(patch.content)).toContain('Tom Reed 马上就来');
    // Pressed again: already handled, nothing changes.
    await h.larkCardAction(LARK.tomReed, coming, { messageId: card.message_id });
    await h.larkIdle();
    await h.fakeLark.waitForMessage((m) => m.receive_id === LARK.tomReed && JSON.stringify(m.content).includes('Already handled by Tom Reed'));
    expect(await h.db.prisma.visit.count({ where: { company: '晨光文具', takenById: 'tom.reed' } })).toBe(1);
  });
});
