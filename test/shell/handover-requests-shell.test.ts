// A leaver's open requests in the shell, end to end (issue 14 point 5): li.na of admin, also
// a rep, leaves; her manager's plan lists her requests; on Start the one assigned to her goes
// to the next in admin's rotation (his DM printed, the earlier messages reprinted in place,
// the head told) and the one she made for the handed-over customer becomes the successor's.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { converse } from '../support/shell-converse.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../support/fixtures/${name}`, import.meta.url));

describe('a leaver’s requests in the shell', () => {
  let out = '';
  beforeAll(async () => {
    // The requests org, li.na of admin also a rep (pre-sales): she owns a customer and is in admin's rotation.
    const dir = mkdtempSync(join(tmpdir(), 'kehu-org-'));
    const org = join(dir, 'org.yaml');
    writeFileSync(org, readFileSync(fixture('requests-org.yaml'), 'utf8').replace('department: admin, manager: chen.gang }', 'department: admin, manager: chen.gang, roles: [rep] }'));
    out = await converse(
      [
        ':as li.na',
        'claim 华为技术',
        ':as tom.reed',
        'request materials customer:华为技术 needed:2026-12-10 items:brochures',
        ':as li.na',
        'request materials customer:华为技术 needed:2026-12-11 items:samples',
        ':as chen.gang',
        'handover li.na to wu.hao last-day 2026-12-11',
        '1',
        // Later changes reach the successor's message of #2, in place, and comments its thread.
        ':as zhao.lei',
        '1',
        'comment 2 Which samples?',
      ],
      'tom.reed',
      // Wednesday 2026-12-09 10:00 Shanghai.
      { clock: () => new Date('2026-12-09T02:00:00Z'), env: { KEHU_ORG_FILE: org, KEHU_CATALOG_FILE: fixture('requests-catalog.yaml') } },
    );
  }, 30_000);

  it('lists the leaver’s open requests in the plan, with their numbers', () => {
    expect(out).toContain('李娜 的交接计划：1 个客户');
    expect(out).toContain('待处理的服务请求：1 个分配给其的请求按部门规则重新分配（#1）；1 个其提交的请求随客户转给接手人（#2）。');
  });

  it('on Start: the assigned one goes to the next in rotation with every message in place, the head is told, the made one follows the successor', () => {
    // #1 was li.na's: the rotation skips her and gives it to Zhao Lei, whose DM is new.
    expect(out).toMatch(/📨 to Zhao Lei \(zhao\.lei\):\n\s+#1 Customer visit materials[\s\S]*?\(陈刚 reassigned it to Zhao Lei\.\)/);
    expect(out).toMatch(/📝 message #1 to tom\.reed now reads:\n\s+#1 Customer visit materials[\s\S]*?Assignee\s+Zhao Lei/);
    expect(out).toMatch(/📝 message #2 to li\.na now reads:\n\s+#1 客户拜访资料[\s\S]*?陈刚 已改派给 Zhao Lei。/);
    expect(out).toMatch(/📝 message #3 to #C0ADMIN now reads:\n\s+#1 客户拜访资料[\s\S]*?负责人\s+Zhao Lei/);
    expect(out).toContain('李娜 的交接已开始：1 个已立即移交，0 个须在 2026-12-11 前逐个交接。已转移 2 个待处理的服务请求。');
    expect(out).toContain('李娜 正在交接，其待处理的服务请求已按部门分配规则重新分配：#1 → Zhao Lei。');
    // #2 li.na made for 华为技术, handed over to 吴昊: his request now, her message updated in place.
    expect(out).toMatch(/📨 to 吴昊 \(wu\.hao\):\n\s+#2 客户拜访资料[\s\S]*?申请人\s+吴昊/);
    expect(out).toMatch(/📝 message #4 to li\.na now reads:\n\s+#2 客户拜访资料[\s\S]*?申请人\s+吴昊/);
  });

  it('later changes of #2 update the successor’s message in place, and comments reply in its thread', () => {
    // Its number: the shell lists the numbers of a turn's messages after them all, in the order sent (the jobs' order).
    const taken = /📝 message #(\d+) to wu\.hao now reads:\n\s+#2 客户拜访资料[\s\S]*?Zhao Lei 已于 2026-12-09 10:00 受理。/.exec(out);
    const n = taken?.[1];
    expect(n).toBeDefined();
    expect(out).toContain(`↳ to 吴昊 (wu.hao), in reply to message #${n}:\n   #2 客户拜访资料 — Zhao Lei：Which samples?`);
    // The leaver's old message of #2 was updated once, at the start, not after.
    expect(out.match(/📝 message #4 to li\.na now reads/g)).toHaveLength(1);
  });
});
