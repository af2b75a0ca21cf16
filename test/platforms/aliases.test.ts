// `alias <company> <other name>` / 别名 end to end over Slack: the owner or their manager
// adds another name; a claim under it is then refused as taken naming the owner, and
// `who` finds the customer by it. Bad input is answered in words with nothing written.
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/use-harness.ts';
import { SLACK } from '../support/test-org.ts';

const text = (body: Record<string, unknown>) => `${String(body.text)}\n${JSON.stringify(body.blocks ?? [])}`;

describe('aliases over Slack', () => {
  const h = useHarness({ slack: true });
  const say = async (user: string, command: string) => text((await h.slackReply(await h.slashCommand(user, command))).body);
  const aliases = () => h.db.prisma.customerAlias.count();

  it('adds another name for the owner; a claim under it is refused as taken; who finds it', async () => {
    await say(SLACK.tomReed, 'claim 上海浦东发展银行股份有限公司');
    expect(await say(SLACK.tomReed, 'alias 上海浦东发展银行 浦发银行')).toContain('"浦发银行" is now another name of 上海浦东发展银行股份有限公司');
    expect(await say(SLACK.wuHao, '认领 浦发银行')).toMatch(/上海浦东发展银行股份有限公司 已由 Tom Reed 于 .* 登记（阶段 0%）。先登记者得。/);
    expect(await say('U0XIAOWANG', '查询 浦发银行')).toContain('上海浦东发展银行股份有限公司 — Tom Reed · 0%');
    // The manager may add one too; in Chinese, with a name of several words.
    expect(await say(SLACK.meiLin, '别名 浦发银行 SPD Bank')).toContain('“SPD Bank”已添加为 上海浦东发展银行股份有限公司 的别名');
    expect(await say(SLACK.wuHao, 'claim SPD Bank Co., Ltd.')).toContain('上海浦东发展银行股份有限公司 已由 Tom Reed');
    expect(await say(SLACK.tomReed, 'alias 浦发银行 浦发银行')).toContain('is already a name of 上海浦东发展银行股份有限公司; nothing changed.');
    expect(await say(SLACK.tomReed, 'help')).toContain('alias &lt;company&gt; &lt;other name&gt; — give your customer another name');
  });

  it.each([
    ['another rep', SLACK.wuHao, 'alias 浦发银行 浦东发展', '只有负责人或其上级可以为这个客户添加别名'],
    ['its own name', SLACK.tomReed, 'alias 浦发银行 上海浦東發展銀行股份有限公司', 'That is 上海浦东发展银行股份有限公司\'s own name, not another one'],
    ['an alias over 200 characters', SLACK.tomReed, `alias 浦发银行 ${'浦'.repeat(201)}`, 'has at most 200 characters'],
    ['control characters', SLACK.tomReed, 'alias 浦发银行 Bad\u0007Name', 'contains control characters'],
    ['only format characters', SLACK.tomReed, 'alias 浦发银行 \u200b\u200d\u202e', 'is only invisible characters'],
    ['no alias at all', SLACK.tomReed, 'alias 浦发银行', 'Give the other name of 浦发银行'],
    ['another customer’s name', SLACK.tomReed, 'alias 浦发银行 Acme Robotics', '"Acme Robotics" is already the name of another customer, Acme Robotics Co., Ltd.; nothing was added'],
  ])('answers %s in words and writes nothing', async (_what, user, command, expected) => {
    if ((await h.db.prisma.customer.count({ where: { name: 'Acme Robotics Co., Ltd.' } })) === 0) await say(SLACK.wuHao, 'claim Acme Robotics Co., Ltd.');
    const before = await aliases();
    expect(await say(user, command)).toContain(expected);
    expect(await aliases()).toBe(before);
  });
});
