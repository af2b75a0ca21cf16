// The shell front end end to end: the real service (SQLite file, migrations, job worker)
// with the terminal conversation on in-memory streams, as `npm run shell` runs it.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { startShell } from '../../src/app.ts';
import { runImportCli } from '../../src/cli/import-customers.ts';
import { loadSettings } from '../../src/config/env.ts';
import { openDatabase } from '../../src/db/client.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { seedCustomers, type SeedCustomer } from '../support/seed-customers.ts';

async function converse(lines: string[], as?: string, options: { dir?: string } = {}): Promise<string> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'kehu-shell-'));
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (c) => (text += String(c)));
  const done = startShell({
    settings: loadSettings({ DATABASE_URL: `file:${join(dir, 'kehu.db')}` }),
    logger: createLogger('silent'),
    input,
    output,
    as,
    exportDir: join(dir, 'exports'),
  });
  input.end(lines.map((l) => `${l}\n`).join(''));
  await done;
  return text;
}

describe('shell front end', () => {
  it('asks who you are, then answers help and whoami in the person’s language', async () => {
    const out = await converse(['2', 'help', '/kehu whoami']);
    expect(out).toContain('Pick who you are');
    expect(out).toMatch(/ 2\) zhang\.wei\s+张伟 — rep/);
    expect(out).toContain('You are 张伟 (zhang.wei)');
    expect(out).toContain('kehu — 你可以做什么');
    expect(out).toContain('我是谁 — 你在组织中的信息');
    expect(out).toMatch(/上级\s+李娜/);
  });

  it('takes Chinese aliases, suggests on typos, and switches person', async () => {
    const out = await converse(['我是谁', 'whoamii', ':as chen.jie', '帮助'], 'zhang.wei');
    expect(out).toMatch(/部门\s+华东销售部/);
    expect(out).toContain('✗ 没有“whoamii”这个命令。 你是不是想输入 `whoami`？');
    expect(out).toContain('You are now Chen Jie (chen.jie)');
    expect(out).toContain('kehu — what you can do'); // chen.jie's locale is en
  });

  it('shows a manager their reports and an unknown person a clear answer', async () => {
    expect(await converse(['whoami'], 'li.na')).toMatch(/下属\s+张伟、Chen Jie/);
    expect(await converse(['help'], 'nobody')).toContain('No person "nobody" in the org file.');
  });

  it('refuses arguments a command does not take, in words', async () => {
    const out = await converse(['whoami extra'], 'chen.jie');
    expect(out).toContain("✗ That doesn't fit this command — usage: whoami");
  });
});

describe('shell front end: notifications and their buttons', () => {
  it('prints a queued notification for its recipient, whose buttons work after :as', async () => {
    const out = await converse(['claim 华为技术有限公司', ':as chen.jie', 'claim 华为技术', '1', ':as li.na', '2'], 'zhang.wei');
    expect(out).toContain('📨 to 李娜 (li.na):');
    expect(out).toMatch(/\[1\] 维持原负责人\s+\[2\] 转移：原负责人从未跟进/);
    expect(out).toContain('✓ 已裁决：华为技术有限公司 转给申诉人。现在的负责人是 Chen Jie。');
    expect(out).toContain('📨 to Chen Jie (chen.jie):\n   Decision on 华为技术有限公司: transferred to the challenger.');
  });
});

describe('shell front end: export', () => {
  const EXPORTED = 20_000;

  it(`writes a manager's ${EXPORTED.toLocaleString('en')}-customer export under the export folder and prints its path`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kehu-shell-'));
    const url = `file:${join(dir, 'kehu.db')}`;
    const db = await openDatabase(url, { migrate: true });
    const team = ['li.na', 'zhang.wei', 'chen.jie'];
    const book: SeedCustomer[] = Array.from({ length: EXPORTED }, (_, i) => ({ name: `客户 ${i} 有限公司`, ownerId: team[i % 3]!, stage: 25 }));
    // Someone outside 李娜's team: not in her file.
    book.push({ name: 'Admin Supplies Ltd.', ownerId: 'zhao.min' });
    try {
      await seedCustomers(db, book);
    } finally {
      await db.close();
    }
    const started = performance.now();
    const out = await converse(['导出'], 'li.na', { dir });
    const path = /📎 (\S+\.csv) \(([\d,]+) bytes\)/.exec(out);
    expect(path, out).not.toBeNull();
    expect(path![1]!.startsWith(join(dir, 'exports'))).toBe(true);
    expect(out).toContain(`✓ 已导出你团队的 ${EXPORTED} 个客户`);
    const content = readFileSync(path![1]!, 'utf8');
    expect(content.length).toBeGreaterThan(0);
    expect(content.startsWith('\uFEFF名称,信用代码,负责人邮箱,阶段,认领时间,最近跟进,别名\n')).toBe(true);
    const rows = parse(content.slice(1)) as string[][];
    expect(rows).toHaveLength(EXPORTED + 1);
    expect(new Set(rows.slice(1).map((r) => r[2]))).toEqual(new Set(['li.na@example.com', 'zhang.wei@example.com', 'chen.jie@example.com']));
    console.info(`shell export of ${EXPORTED} rows (exported, read back): ${((performance.now() - started) / 1000).toFixed(1)} s`);

    // The file is an import file: a dry run reads every row as valid (the seeded keys are
    // not the names' real keys, so none counts as already registered).
    const said: string[] = [];
    expect(await runImportCli([path![1]!], { env: { DATABASE_URL: url }, out: (l) => said.push(l), err: (l) => said.push(l) })).toBe(0);
    expect(said.join('\n')).toContain(`${EXPORTED} rows, ${EXPORTED} valid, 0 refused`);
  }, 60_000);

  it('refuses a rep and writes nothing', async () => {
    const out = await converse(['export'], 'chen.jie');
    expect(out).toContain('✗ You are not allowed to /kehu export.');
    expect(out).not.toContain('📎');
  });
});
