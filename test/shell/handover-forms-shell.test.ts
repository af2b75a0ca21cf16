// The handover's forms in the shell (issue 14 points 3 and 5): the Reassign and visit-day
// forms name the customer and the leaver in the person's language; a leaver's request that
// nobody else could take (she heads its department) reaches the manager who started the
// handover with an Assign button, whose form offers the department's members; one waiting
// for the leaver's approval as a manager goes to her own manager, who approves it, and so
// does one submitted after the start; when she was her department's only member, the form
// is a person picker for anyone to cover it, who then works on it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { converse } from '../support/shell-converse.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../support/fixtures/${name}`, import.meta.url));
/** Wednesday 2026-12-09 10:00 Shanghai. */
const clock = () => new Date('2026-12-09T02:00:00Z');

/** The requests org with edits: li.na of admin also a rep, and whatever else the test needs. */
function requestsOrg(edit: (yaml: string) => string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kehu-org-')), 'org.yaml');
  const base = readFileSync(fixture('requests-org.yaml'), 'utf8').replace('{ id: li.na, name: 李娜, email: li.na@kehu.test, slack: U0LINA, lark: ou_lina, department: admin, manager: chen.gang }', '{ id: li.na, name: 李娜, email: li.na@kehu.test, slack: U0LINA, lark: ou_lina, department: admin, manager: chen.gang, roles: [rep] }');
  writeFileSync(path, edit(base));
  return path;
}
/** 陈刚 hands li.na (who owns a customer) over to 吴昊, then reads his last notice's buttons. */
const handLiNaOver = [':as chen.gang', 'handover li.na to wu.hao last-day 2026-12-11', '1', ':as sara.ng', ':as chen.gang'];
const env = (org: string) => ({ KEHU_ORG_FILE: org, KEHU_CATALOG_FILE: fixture('requests-catalog.yaml') });

describe('handover forms in the shell', () => {
  let forms = '';
  let assign = '';
  let approve = '';
  let cover = '';
  beforeAll(async () => {
    [forms, assign, approve, cover] = await Promise.all([
      // A 75% customer: the leaver's visit-day form, the manager's Reassign form.
      converse(
        [
          'claim 拜访科技',
          'stage 拜访科技 25 contact:王先生 phone:13800000000',
          'stage 拜访科技 50 keyperson:王总 need:私有云',
          'stage 拜访科技 75 product:云平台',
          ':as li.na',
          'handover zhang.wei to chen.jie last-day 2099-01-05',
          '1',
          ':as zhang.wei',
          'handover status',
          '1',
          '2099-01-02',
          ':as li.na',
          'handover status zhang.wei',
          '1',
          ':cancel',
        ],
        'zhang.wei',
      ),
      // li.na heads finance (its reimbursements go to the head): nobody else could take the one she has.
      converse(
        [
          ':as li.na',
          'claim 华为技术',
          ':as tom.reed',
          'request reimbursement amount:120',
          ':as mei.lin',
          '1',
          ...handLiNaOver,
          '1',
          '1',
        ],
        'tom.reed',
        { clock, env: env(requestsOrg((y) => y.replace('head: sara.ng', 'head: li.na'))) },
      ),
      // li.na manages Zhao Lei, whose reimbursement waits for her approval: her manager approves it instead.
      converse(
        [
          ':as li.na',
          'claim 华为技术',
          ':as zhao.lei',
          'request reimbursement amount:80',
          ...handLiNaOver,
          '1',
          // Submitted while her handover is open: her manager approves it, not li.na.
          ':as zhao.lei',
          'request reimbursement amount:60',
          ':as li.na',
          ':as chen.gang',
        ],
        'tom.reed',
        { clock, env: env(requestsOrg((y) => y.replace('department: admin, manager: chen.gang, locale: en }', 'department: admin, manager: li.na, locale: en }'))) },
      ),
      // li.na heads finance and is its only member: the manager picks anyone to cover her request, who then takes it.
      converse(
        [':as li.na', 'claim 华为技术', ':as tom.reed', 'request reimbursement amount:120', ':as mei.lin', '1', ...handLiNaOver, '1', 'li.na', '吴昊', ':as wu.hao', '1'],
        'tom.reed',
        {
          clock,
          env: env(requestsOrg((y) => y.replace('head: sara.ng', 'head: li.na').replace('department: finance, manager: boss', 'department: office, manager: boss').replace('department: admin, manager: chen.gang, roles: [rep] }', 'department: finance, manager: chen.gang, roles: [rep] }'))),
        },
      ),
    ]);
  }, 60_000);

  it('the visit-day and Reassign forms name the customer and the leaver (in Chinese here; English on Slack and Lark)', () => {
    expect(forms).toMatch(/请填写表单：共同拜访日期\n共同拜访日期\n客户：拜访科技，由 张伟 交接。/);
    expect(forms).toContain('已记录：拜访科技。');
    expect(forms).toMatch(/改派接手人\n客户：拜访科技，由 张伟 交接。/);
  });

  it('a request nobody else could take: the manager who started it assigns it from the button, to a department member', () => {
    expect(assign).toContain('待处理的服务请求：1 个分配给其的请求按部门规则重新分配（#1）。');
    expect(assign).toMatch(/📨 to 陈刚 \(chen\.gang\):\n\s+! 李娜 正在交接，其待处理的服务请求已按部门分配规则重新分配：#1 → 无人可接（请手动改派）。[\s\S]*?\[1\] 分配 #1/);
    // The form: who leaves, the members of finance to choose from.
    expect(assign).toMatch(/分配请求 #1\n李娜 即将离职，部门中没有其他人可接请求 #1：请选择一位成员，或由你自己受理。[\s\S]*?1\) Sara Ng/);
    expect(assign).toContain('陈刚 已改派给 Sara Ng。');
    expect(assign).toMatch(/📨 to Sara Ng \(sara\.ng\):\n\s+#1 Expense reimbursement/);
  });

  it('a request waiting for the leaver’s approval goes to her manager, who approves it', () => {
    expect(approve).toContain('1 个待其审批的请求转给其上级审批（#1）');
    expect(approve).toMatch(/📨 to 陈刚 \(chen\.gang\):\n\s+#1 费用报销[\s\S]*?\[1\] 批准/);
    expect(approve).toMatch(/#1 费用报销[\s\S]*?已分派给 Sara Ng/);
    // Zhao Lei's message of #1 names who approves it now.
    expect(approve).toMatch(/📝 message #1 to zhao\.lei now reads:\n\s+#1 Expense reimbursement — Finance\n\s+─+\n\s+Waiting for 陈刚's approval\./);
  });

  it('a request submitted while her handover is open goes to her manager to approve, not to her', () => {
    const during = approve.slice(approve.indexOf('request reimbursement amount:60'));
    expect(during).toContain('Request #2 (Expense reimbursement) is in: 陈刚 approves it first, then Sara Ng has it');
    expect(during).toMatch(/📨 to 陈刚 \(chen\.gang\):\n\s+#2 费用报销 — Finance[\s\S]*?等待 陈刚 审批。[\s\S]*?\[1\] 批准   \[2\] 驳回/);
    expect(during).not.toContain('📨 to 李娜');
  });

  it('she was the only one in finance: the Assign form picks anyone to cover it (not her), who takes it', () => {
    expect(cover).toMatch(/📨 to 陈刚 \(chen\.gang\):\n\s+! 李娜 正在交接，其待处理的服务请求已按部门分配规则重新分配：#1 → 无人可接（请手动改派）。[\s\S]*?\[1\] 分配 #1/);
    expect(cover).toContain('分配请求 #1\n李娜 即将离职，且是Finance唯一的成员：请选择由谁代为受理请求 #1（你自己、部门负责人或公司任何人），其将作为受理人处理。');
    expect(cover).toContain('✗ 李娜 正是离职人（或也将离职），请另选受理人。');
    expect(cover).toContain('✓ 陈刚 已改派给 吴昊。');
    expect(cover).toMatch(/吴昊> 1\n#1 费用报销 — Finance\n─+\n吴昊 已于 2026-12-09 10:00 受理。/);
  });
});
