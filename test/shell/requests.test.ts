// Service requests in the shell, end to end on the real back office (SQLite file,
// migrations) with a fixed clock: the catalog grouped by department, a service's
// prerequisites before anything else, unknown services named, and the promise check
// against the lead time in working days across National Day — in both languages.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { converse } from '../support/shell-converse.ts';

describe('requests in the shell', () => {
  it('lists the example catalog by department and shows a service’s prerequisites first', async () => {
    const out = await converse(['请求', 'request materials', ':as chen.jie', 'request reimbursement', 'request visa'], 'zhang.wei', { clock: () => new Date('2026-09-29T02:00:00Z') });
    expect(out).toContain('可以申请的服务');
    expect(out).toMatch(/行政部[\s\S]*客户拜访资料（`materials`）— 1 个工作日内办结；标准工期 1 个工作日[\s\S]*财务部[\s\S]*费用报销/);
    expect(out).toContain('申请前请先准备好');
    expect(out).toContain('F-12');
    expect(out).toMatch(/表单需要填写：客户 \*、需要日期 \*、物品 \*、备注/);
    // chen.jie reads English: the finance service needs the originals and the manager's approval.
    expect(out).toContain('Expense reimbursement: before you ask, have these ready');
    expect(out).toContain('original invoices');
    expect(out).toContain('Your manager approves it before the department sees it.');
    expect(out).toContain('There is no service "visa". Services: Customer visit materials (materials), Expense reimbursement (reimbursement).');
  });

  it('checks a promised date against the lead time in working days, naming the holiday in between', async () => {
    const out = await converse(
      ['承诺 华为技术 reimbursement 2026-10-02', '承诺 华为技术 费用报销 2026/10/13', 'promise Acme reimbursement 2026-09-01', 'promise Acme reimbursement 2026-02-30', 'promise Acme visa 2026-12-01'],
      'zhang.wei',
      // Tue 2026-09-29 10:00 Shanghai: five working days are 9/30, 10/8, 10/9, 10/10 (a make-up Saturday), 10/12.
      { clock: () => new Date('2026-09-29T02:00:00Z') },
    );
    expect(out).toContain('2026-10-02 来不及：费用报销需要 5 个工作日。最早可承诺的日期是 2026-10-12。');
    expect(out).toContain('期间有法定假日：National Day。');
    expect(out).toContain('2026-10-13 可以承诺：费用报销需要 5 个工作日，最早 2026-10-12。');
    expect(out).toContain('2026-09-01 已经过去了。');
    expect(out).toContain('日期格式应为 2026-10-09');
    expect(out).toContain('没有“visa”这项服务');
  });

  it('refuses to start on a catalog naming a missing department, with the file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kehu-catalog-'));
    const file = join(dir, 'catalog.yaml');
    writeFileSync(file, 'services:\n  - key: x\n    name: { en: X, zh-CN: X }\n    department: ghost\n    targets: { firstResponse: 1h, resolution: 1d }\n    leadTimeDays: 1\n');
    await expect(converse(['help'], 'zhang.wei', { clock: () => new Date('2026-09-29T02:00:00Z'), env: { KEHU_CATALOG_FILE: file } })).rejects.toThrow(/catalog\.yaml is not a valid service catalog:\n {2}- services\[0\]\.department \(line 4\): "ghost" is not a department in the org file/);
  });
});
