// The org file notices a leaver (issue 14 point 2) over Slack: a rep removed from the org
// file while kehu runs — their manager is told at once (on the reload, not at the next
// ten-minute check) what they still hold, with the plan one press away: "Show the handover
// plan" turns the notice into the plan with its Start button, and Start hands the customers over.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/use-harness.ts';
import { SLACK, TEST_ORG_FILE } from '../support/test-org.ts';
import { waitFor } from '../support/wait-for.ts';

const orgFile = join(mkdtempSync(join(tmpdir(), 'kehu-leavers-')), 'org.yaml');
writeFileSync(orgFile, readFileSync(TEST_ORG_FILE, 'utf8'));

const text = (body: { text?: unknown; blocks?: unknown }) => `${String(body.text)}\n${JSON.stringify(body.blocks ?? [])}`;
type Block = { type: string; elements?: { action_id: string; value: string }[] };
const button = (body: { blocks?: unknown }, prefix: string) => ((body.blocks ?? []) as Block[]).flatMap((b) => b.elements ?? []).find((e) => e.action_id?.startsWith(prefix));

describe('a leaver removed from the org file, over Slack', () => {
  const h = useHarness({ slack: true, orgFile });

  it('tells the manager at once with the plan one press away; Start hands the customers over', async () => {
    await h.slackReply(await h.slashCommand(SLACK.tomReed, 'claim 离职留下'));
    await h.kehu.idle();
    // Tom Reed leaves the file (his entry is the block that starts with his id).
    const yaml = readFileSync(orgFile, 'utf8');
    const tom = yaml.slice(yaml.indexOf('  - id: tom.reed'), yaml.indexOf('  - id: wu.hao'));
    writeFileSync(orgFile, yaml.replace(tom, ''));

    const notice = await waitFor(() => h.fakeSlack.messagesIn(SLACK.meiLin).find((m) => text(m).includes('Tom Reed 已从组织文件中移除，仍有 1 个客户')), { what: "林梅's notice that Tom left", timeoutMs: 15_000 });
    expect(text(notice)).toContain('查看交接计划：`交接 tom.reed`');
    const show = button(notice, 'kehu:handover.showPlan')!;
    const plan = (await h.slackReply(await h.blockAction(SLACK.meiLin, show.action_id, JSON.parse(show.value) as Record<string, string>))).body;
    // Gone already: the last day is today; the successor is from 林梅's line.
    expect(text(plan)).toMatch(/Tom Reed（负责人已离职） 的交接计划：1 个客户，最后工作日 \d{4}-\d{2}-\d{2}。尚未移交任何客户。/);
    expect(text(plan)).toContain('离职留下（0%）：立即移交 → 吴昊');
    const start = button(plan, 'kehu:handover.start')!;
    expect(text((await h.slackReply(await h.blockAction(SLACK.meiLin, start.action_id, JSON.parse(start.value) as Record<string, string>))).body)).toContain('1 个已立即移交');
    expect((await h.db.prisma.customer.findFirstOrThrow({ where: { name: '离职留下' }, select: { ownerId: true } })).ownerId).toBe('wu.hao');
  }, 60_000);
});
