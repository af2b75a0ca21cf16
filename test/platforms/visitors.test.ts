// Front-desk visitors end to end (issue 12) through the real HTTP endpoints, the real Bolt
// and Lark SDKs and the fakes, with a clock the test moves: a report (one line and the form)
// routed to the named person / an ambiguous name the reporter picks from / the owner by a
// name variant / the person on duty (in and before office hours) / the visitors' sales
// head when nobody is on duty / the successor of someone who left, the host's DM with its buttons, the reporter's
// status and the front desk channel's feed updated in place, "wait N minutes" asked again,
// a stale press, "Not for me", "Hand to a colleague" (the person picker submitted),
// escalation to the manager and the person on duty then the head — each once; dropped once
// taken — the follow-up written to the customer and the owner told, the walk-in claim,
// listings and the expected list. On Lark: the feed card, the urgent repeat ping
// (urgent_app) and read receipts. The kill-and-restart in the middle of an escalation is
// visitors-durability.test.ts (a real process).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cardCallbacks, larkCardAction, larkMessageRead } from '../support/lark-requests.ts';
import { viewSubmission } from '../support/slack-requests.ts';
import { LARK, SLACK } from '../support/test-org.ts';
import { useHarness } from '../support/use-harness.ts';
import { waitFor } from '../support/wait-for.ts';

const ORG = fileURLToPath(new URL('../support/fixtures/visitors-org.yaml', import.meta.url));
const XIAO_WANG = 'U0XIAOWANG';
/** The front desk's channel (visitors-org.yaml). */
const FEED = 'C0FRONTDESK';
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
    // The front desk's channel gets the arrival too, in the org's language: no phone, no buttons.
    const feed = await waitFor(() => h.fakeSlack.messagesIn(FEED).find((m) => text(m).includes('星河电子')), { what: 'the feed message' });
    expect(text(feed)).toContain('已通知接待人：Tom Reed（访客点名要找）');
    expect(text(feed)).toContain('张先生（2 人）');
    expect(text(feed)).not.toContain('13800138000');
    expect(buttons(feed)).toEqual([]);
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
    // The reporter's status (the front desk's feed changes too, in its channel).
    await waitFor(() => h.fakeSlack.updates.find((u) => u.channel === h.fakeSlack.dmOf(XIAO_WANG) && text(u).includes('请访客稍等 5 分钟')), { what: 'the status updated in place' });
    await advance(5 * 60_000);
    const again = await lastDm(SLACK.tomReed, 'Still waiting');
    expect(text(again)).toContain('蓝天物流, 5 min now');
    const coming = await press(SLACK.tomReed, button(again, 'coming'));
    expect(text(coming)).toContain('Tom Reed is coming');
    await h.kehu.idle();
    await waitFor(() => h.fakeSlack.updates.find((u) => u.channel !== FEED && text(u).includes('Tom Reed 马上就来')), { what: 'the status: coming' });
    // The feed's one message went notified → wait → asked again → coming, in place.
    const feed = h.fakeSlack.messagesIn(FEED).filter((m) => text(m).includes('蓝天物流'));
    expect(feed).toHaveLength(1);
    await waitFor(() => (text(h.fakeSlack.messagesIn(FEED).find((m) => text(m).includes('蓝天物流'))!).includes('Tom Reed 马上就来') ? true : undefined), { what: 'the feed: coming' });
    // It showed the wait on the way (once, or twice when the re-ask's update still carried it: bursts coalesce by timing).
    expect(h.fakeSlack.updates.filter((u) => u.channel === FEED && text(u).includes('请访客稍等 5 分钟')).length).toBeGreaterThanOrEqual(1);
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
    // The owner hands it to 林梅 (the person picker), who gets the same visit with the same clock and comes: her follow-up, the owner told.
    await h.blockAction(SLACK.tomReed, button(dm, 'hand').action_id, JSON.parse(button(dm, 'hand').value) as Record<string, string>, signed());
    const form = await h.fakeSlack.waitForView((v) => v.method === 'views.open' && JSON.stringify(v.view).includes('Hand to a colleague'));
    const view = form.view as { private_metadata: string };
    const handed = await h.slackPost(viewSubmission({ userId: SLACK.tomReed, privateMetadata: view.private_metadata, values: { colleague: { colleague: { type: 'users_select', selected_user: SLACK.meiLin } } } }), signed());
    expect(handed.status).toBe(200);
    await h.kehu.idle();
    const hers = await lastDm(SLACK.meiLin, '李总');
    expect(text(hers)).toContain('为什么是你：由 Tom Reed 转交');
    await waitFor(() => h.fakeSlack.updates.find((u) => text(u).includes('Tom Reed 已把来访转交给 林梅')), { what: 'the status: handed' });
    await press(SLACK.meiLin, button(hers, 'coming'));
    await h.kehu.idle();
    const customer = await h.db.prisma.customer.findFirstOrThrow({ where: { name: '深圳市华为技术有限公司' }, include: { followUps: true } });
    expect(customer.followUps.map((f) => [f.kind, f.personId, f.note])).toEqual([['visit', 'mei.lin', '李总']]);
    expect(customer.lastFollowUpAt).not.toBeNull();
    // The owner is told that someone else hosted their customer's visitor.
    await lastDm(SLACK.tomReed, '林梅 logged a visit on your customer 深圳市华为技术有限公司: 李总');
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

  it('an ambiguous name: the reporter picks on the status message; "Not for me" routes on to the person on duty', async () => {
    await say(XIAO_WANG, 'visitor 双子星科技 name:冯先生 host:吴');
    const status = await lastDm(XIAO_WANG, '双子星科技');
    expect(text(status)).toContain('“吴”对应 2 个人：是哪一位？');
    expect(buttons(status).map((b) => b.text?.text)).toEqual(['吴昊', '吴敏', '都不是', '结束来访']);
    // Nobody is pinged before the reporter picks.
    expect(pingsTo(SLACK.wuHao, '双子星科技')).toBe(0);
    await press(XIAO_WANG, button(status, 'pick', '"personId":"wu.hao"'));
    await h.kehu.idle();
    const dm = await lastDm(SLACK.wuHao, '双子星科技');
    expect(text(dm)).toContain('为什么是你：由 小王 在前台选定');
    expect(text(await press(SLACK.wuHao, button(dm, 'notMe')))).not.toContain('不是找我的');
    await h.kehu.idle();
    const duty = await lastDm(SLACK.saraNg, '双子星科技');
    expect(text(duty)).toContain('Why you: on duty 07:00–19:00');
    await waitFor(() => h.fakeSlack.updates.find((u) => u.channel !== FEED && text(u).includes('吴昊：不是找我的——继续寻找接待人。')), { what: 'the status: not for me' });
  });

  it('before office hours the person on duty gets the visitor; on a Saturday evening with nobody on duty, the head of the visitors’ sales department', async () => {
    // Thursday 08:00 (working hours start at 09:00).
    await advance(22 * 3_600_000);
    await say(XIAO_WANG, 'visitor 晨曦贸易 name:马先生');
    expect(text(await lastDm(SLACK.saraNg, '晨曦贸易'))).toContain('Why you: on duty 07:00–19:00');
    // Saturday 20:00: xiao.wang's weekend slot ended at 17:00.
    await advance(2 * 86_400_000 + 12 * 3_600_000);
    await say(XIAO_WANG, 'visitor 夜航科技 name:周先生');
    expect(text(await lastDm(SLACK.meiLin, '夜航科技'))).toContain('为什么是你：销售部负责人（接待无人认领的访客）');
  });
});

describe('visitors over Lark', () => {
  // As on Slack: kehu's clock from T0 on, moved by the test; events carry kehu's time.
  let offset = T0 - Date.now();
  const clock = () => Date.now() + offset;
  const h = useHarness({ lark: 'http', orgFile: ORG, clock: () => new Date(clock()) });
  const FEED_CHAT = 'oc_frontdesk';
  const now = <T extends { header: Record<string, string> }>(e: T): T => ({ ...e, header: { ...e.header, create_time: String(clock()) } });
  const say = async (openId: string, line: string) => {
    await h.larkMessage(openId, line, { createTimeMs: clock() });
    await h.larkIdle();
  };
  const press = async (openId: string, value: Record<string, string>, messageId: string) => {
    const r = await h.larkPost(now(larkCardAction({ openId, value, token: h.larkToken, messageId })));
    await h.larkIdle();
    return r;
  };
  const has = (m: { content: unknown }, s: string) => JSON.stringify(m.content).includes(s);
  const advance = async (ms: number) => {
    offset += ms;
    await h.kehu.idle();
  };

  it('reports in Chinese (访客), sends the host a card with buttons, and a press updates the card, the reporter’s status and the feed', async () => {
    await say('ou_xiaowang', '访客 公司:晨光文具 姓名:周先生 找:Tom Reed 电话:13900001111');
    const card = await h.fakeLark.waitForMessage((m) => m.receive_id === LARK.tomReed && has(m, '晨光文具'));
    expect(JSON.stringify(card.content)).toContain('13900001111');
    const status = await h.fakeLark.waitForMessage((m) => m.receive_id === 'ou_xiaowang' && has(m, '已通知接待人'));
    // The front desk's group chat gets the arrival, without the phone.
    const feed = await h.fakeLark.waitForMessage((m) => m.receive_id === FEED_CHAT && has(m, '晨光文具'));
    expect(feed.receive_id_type).toBe('chat_id');
    expect(has(feed, '13900001111')).toBe(false);
    expect(cardCallbacks(feed.content)).toEqual([]);
    const coming = cardCallbacks(card.content).find((v) => v.kehu_action === 'visitor.act' && v.act === 'coming')!;
    const r = await press(LARK.tomReed, coming, card.message_id);
    expect(r.text).toContain('Tom Reed is coming');
    const patch = await h.fakeLark.waitForPatch((p) => p.message_id === status.message_id && has(p, '马上就来'));
    expect(JSON.stringify(patch.content)).toContain('Tom Reed 马上就来');
    await h.fakeLark.waitForPatch((p) => p.message_id === feed.message_id && has(p, 'Tom Reed 马上就来'));
    // Pressed again: already handled, nothing changes.
    await press(LARK.tomReed, coming, card.message_id);
    await h.fakeLark.waitForMessage((m) => m.receive_id === LARK.tomReed && has(m, 'Already handled by Tom Reed'));
    expect(await h.db.prisma.visit.count({ where: { company: '晨光文具', takenById: 'tom.reed' } })).toBe(1);
  });

  it('pings an unanswered host again as an urgent message (urgent_app); a read receipt makes the status say "seen, not answered"', async () => {
    await say('ou_xiaowang', '访客 公司:远洋渔业 姓名:钱先生 找:Tom Reed');
    const first = await h.fakeLark.waitForMessage((m) => m.receive_id === LARK.tomReed && has(m, '远洋渔业'));
    const status = await h.fakeLark.waitForMessage((m) => m.receive_id === 'ou_xiaowang' && has(m, '远洋渔业'));
    expect(h.fakeLark.urgents).toEqual([]);
    await advance(3 * 60_000);
    const again = await h.fakeLark.waitForMessage((m) => m.receive_id === LARK.tomReed && has(m, '远洋渔业') && m.message_id !== first.message_id);
    expect(has(again, 'Still waiting')).toBe(true);
    // The repeat ping, and only it, is urgent, to the host alone.
    await waitFor(() => (h.fakeLark.urgents.length ? true : undefined), { what: 'an urgent_app call' });
    expect(h.fakeLark.urgents.map((u) => ({ message_id: u.message_id, to: u.user_id_list }))).toEqual([{ message_id: again.message_id, to: [LARK.tomReed] }]);
    // Nothing said about reading yet; then Tom reads the repeat ping at 10:03.
    expect(h.fakeLark.patches.some((p) => p.message_id === status.message_id && has(p, '看到消息'))).toBe(false);
    const read = h.fakeLark.markRead(LARK.tomReed, [again.message_id], clock());
    await h.larkPost(now(larkMessageRead({ token: h.larkToken, event: read })));
    await h.larkIdle();
    const seen = await h.fakeLark.waitForPatch((p) => p.message_id === status.message_id && has(p, 'Tom Reed 已于 10:03 看到消息，尚未回复'));
    expect(seen).toBeTruthy();
    await h.fakeLark.waitForPatch((p) => p.message_id !== status.message_id && has(p, '远洋渔业') && has(p, '看到消息'));
    // A second receipt changes nothing.
    const patches = h.fakeLark.patches.length;
    await h.larkPost(now(larkMessageRead({ token: h.larkToken, event: h.fakeLark.markRead(LARK.tomReed, [first.message_id], clock()) })));
    await h.larkIdle();
    expect(h.fakeLark.patches.length).toBe(patches);
  });

  it('sends the repeat ping as a plain card when the app may not send urgent messages', async () => {
    h.fakeLark.failNext('message.urgentApp', { code: 99991672, msg: 'Access denied: im:message.urgent', status: 400 });
    await say('ou_xiaowang', '访客 公司:白云航空 姓名:韩女士 找:Tom Reed');
    await h.fakeLark.waitForMessage((m) => m.receive_id === LARK.tomReed && has(m, '白云航空'));
    await advance(3 * 60_000);
    await h.fakeLark.waitForMessage((m) => m.receive_id === LARK.tomReed && has(m, '白云航空') && has(m, 'Still waiting'));
    await waitFor(() => (h.fakeLark.calls.some((c) => c.api === 'message.urgentApp' && c.failed) ? true : undefined), { what: 'the refused urgent_app' });
    expect(h.fakeLark.urgents).toEqual([]);
    expect(await h.db.prisma.job.count({ where: { status: 'dead' } })).toBe(0);
    expect(JSON.stringify(h.logs)).toContain('im:message.urgent');
  });
});
