// The shell front end end to end: the real service (SQLite file, migrations, job worker)
// with the terminal conversation on in-memory streams, as `npm run shell` runs it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startShell } from '../../src/app.ts';
import { loadSettings } from '../../src/config/env.ts';
import { createLogger } from '../../src/observability/logger.ts';

async function converse(lines: string[], as?: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'kehu-shell-'));
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
