// The `export` command end to end on Slack and Lark: a manager gets their team's book as
// a CSV file in their DM (UTF-8 with BOM, the import's header in their language, the
// team's customers only), a rep is refused in words, and a failed upload is said as such.
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedCustomers } from '../support/seed-customers.ts';
import { LARK, SLACK } from '../support/test-org.ts';
import { useHarness } from '../support/use-harness.ts';
import type { Harness } from '../support/harness.ts';

const BOM = '\uFEFF';

/** 林梅's team: herself, Tom Reed and 吴昊 (her reports); Sara Ng heads another department. */
async function seedBook(h: Harness) {
  await seedCustomers(h.db, [
    { name: '深圳市华为技术有限公司', ownerId: 'tom.reed', stage: 50, creditCode: '914403001922038216', claimedAt: new Date('2025-03-05T02:00:00Z') },
    { name: '=HYPERLINK("x")', ownerId: 'wu.hao', stage: 25 },
    { name: 'Acme Trading Co., Ltd.', ownerId: 'mei.lin', stage: 0, lastFollowUpAt: new Date('2025-06-01T01:30:00Z') },
    { name: 'Finance Only Ltd.', ownerId: 'sara.ng', stage: 75 },
  ]);
}

function readCsv(content: Buffer): string[][] {
  const text = content.toString('utf8');
  expect(text.startsWith(BOM)).toBe(true);
  return parse(text.slice(1)) as string[][];
}

describe('export over Slack', () => {
  const h = useHarness({ slack: true });
  beforeAll(() => seedBook(h));
  const say = async (user: string, command: string) => (await h.slackReply(await h.slashCommand(user, command))).body;

  it("sends a manager their team's customers as a CSV in their DM, then says how many", async () => {
    const body = await say(SLACK.meiLin, '导出');
    expect(String(body.text)).toMatch(/^已导出你团队的 3 个客户：customers-mei\.lin-\d{8}-\d{6}\.csv。$/);
    const open = h.fakeSlack.callsOf('conversations.open');
    expect(open.map((c) => c.params.users)).toEqual([SLACK.meiLin]);
    expect(h.fakeSlack.files).toHaveLength(1);
    const file = h.fakeSlack.files[0]!;
    expect(file).toMatchObject({ channel_id: 'D0MEILIN', initial_comment: body.text, length: file.content.length });
    expect(file.filename).toMatch(/^customers-mei\.lin-\d{8}-\d{6}\.csv$/);
    expect(file.title).toMatch(/^测试科技 \(Kehu Test\) 客户 \d{4}-\d\d-\d\d$/);
    const rows = readCsv(file.content);
    expect(rows[0]).toEqual(['名称', '信用代码', '负责人邮箱', '阶段', '认领时间', '最近跟进', '别名']);
    // The manager first, then the team in org order; nobody else's customers.
    expect(rows.slice(1)).toEqual([
      ['Acme Trading Co., Ltd.', '', 'mei.lin@kehu.test', '0', expect.stringMatching(/^2025-01-01T\d\d:\d\d:\d\d\+08:00$/), '2025-06-01T09:30:00+08:00', ''],
      ['深圳市华为技术有限公司', '914403001922038216', 'tom.reed@kehu.test', '50', '2025-03-05T10:00:00+08:00', '', ''],
      // A cell a spreadsheet would run as a formula is written with an apostrophe.
      ["'=HYPERLINK(\"x\")", '', 'Wu.Hao@kehu.test', '25', expect.any(String), '', ''],
    ]);
  });

  it('refuses a rep in words and sends nothing', async () => {
    const body = await say(SLACK.tomReed, 'export');
    expect(String(body.text)).toBe('You are not allowed to /kehu export.');
    expect(h.fakeSlack.callsOf('conversations.open')).toHaveLength(0);
    expect(h.fakeSlack.files).toHaveLength(0);
  });

  it('answers extra words with the usage', async () => {
    expect(String((await say(SLACK.meiLin, '导出 全部')).text)).toContain('用法：导出');
  });

  it('says the file was not sent when the upload fails, with a ref', async () => {
    h.fakeSlack.failNext('files.completeUploadExternal', { error: 'internal_error' });
    const body = await say(SLACK.meiLin, 'export');
    expect(String(body.text)).toMatch(/^文件没能发送给你（编号 [0-9a-f-]{36}）/);
    expect(h.fakeSlack.files).toHaveLength(0);
    expect(h.logs.some((l) => l.msg === 'attachment not delivered')).toBe(true);
  });
});

describe('export over Lark', () => {
  const h = useHarness({ lark: 'http' });
  beforeAll(() => seedBook(h));
  const say = async (openId: string, command: string) => {
    await h.larkMessage(openId, command);
    await h.larkIdle();
    return h.fakeLark.messages;
  };

  it('uploads the CSV and sends it to the manager as a file message before the reply card', async () => {
    const messages = await say(LARK.meiLin, '导出');
    expect(h.fakeLark.files).toHaveLength(1);
    const file = h.fakeLark.files[0]!;
    expect(file.file_type).toBe('stream');
    expect(file.file_name).toMatch(/^customers-mei\.lin-\d{8}-\d{6}\.csv$/);
    const rows = readCsv(file.content);
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => r[2])).toEqual(['负责人邮箱', 'mei.lin@kehu.test', 'tom.reed@kehu.test', 'Wu.Hao@kehu.test']);
    expect(messages.map((m) => m.msg_type)).toEqual(['file', 'interactive']);
    expect(messages[0]).toMatchObject({ kind: 'create', receive_id: LARK.meiLin, receive_id_type: 'open_id', content: { file_key: file.file_key } });
    expect(JSON.stringify(messages[1]!.content)).toContain('已导出你团队的 3 个客户');
  });

  it("gives another manager their own team's book only, in their language", async () => {
    await say(LARK.saraNg, 'export');
    const rows = readCsv(h.fakeLark.files[0]!.content);
    expect(rows).toEqual([
      ['name', 'credit_code', 'owner_email', 'stage', 'claimed_at', 'last_follow_up', 'aliases'],
      ['Finance Only Ltd.', '', 'sara.ng@kehu.test', '75', expect.any(String), '', ''],
    ]);
    expect(JSON.stringify(h.fakeLark.messages.at(-1)!.content)).toContain('Exported 1 customer of your team');
  });

  it('refuses a rep in words and uploads nothing', async () => {
    const messages = await say(LARK.tomReed, 'export');
    expect(h.fakeLark.files).toHaveLength(0);
    expect(messages.map((m) => m.msg_type)).toEqual(['interactive']);
    expect(JSON.stringify(messages[0]!.content)).toContain('You are not allowed to /kehu export.');
  });
});
