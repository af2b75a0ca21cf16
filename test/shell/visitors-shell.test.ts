// The shell transcript of a whole visit (issue 12 point 9): the front desk reports a
// visitor, the host is pinged with buttons and presses "Coming now", the reporter's status
// is reprinted in place, the reporter closes the visit, and `visitors today` counts it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { expect, it } from 'vitest';
import { startShell } from '../../src/app.ts';
import { loadSettings } from '../../src/config/env.ts';
import { createLogger } from '../../src/observability/logger.ts';

it('runs a whole visit in the shell: report, host DM, Coming now, status in place, close, the count', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kehu-shell-'));
  const input = new PassThrough();
  const output = new PassThrough();
  let out = '';
  output.on('data', (c) => (out += String(c)));
  // Wednesday 10:00 in Shanghai (the example org's zone).
  const clock = () => new Date('2026-12-09T02:00:00Z');
  const done = startShell({ settings: loadSettings({ DATABASE_URL: `file:${join(dir, 'kehu.db')}` }), logger: createLogger('silent'), input, output, as: 'wang.fang', clock });
  input.end(['help', '访客 公司:华为 姓名:张先生 找:zhangwei 电话:13800138000', ':as zhang.wei', '1', ':as wang.fang', '1', 'visitors today'].map((l) => `${l}\n`).join(''));
  await done;
  // The front desk sees `visitor` first in help.
  expect(out).toMatch(/kehu — 你可以做什么[\s\S]*?• 访客 \[公司\]/);
  expect(out.indexOf('• 访客 [公司]')).toBeLessThan(out.indexOf('• 帮助'));
  expect(out).toContain('✓ 已登记来自 华为 的访客');
  expect(out).toMatch(/📨 to 张伟 \(zhang\.wei\):[\s\S]*华为 的 张先生（1 人） 在前台，已等待 0 分钟。[\s\S]*\[1\] 马上来 {3}\[2\] 请稍等 5 分钟/);
  expect(out).toMatch(/📨 to 王芳 \(wang\.fang\):[\s\S]*已通知接待人：张伟（访客点名要找）/);
  expect(out).toContain('已回复：张伟 马上就来（0 分钟后回复）。');
  expect(out).toContain('[1] 认领这家公司');
  expect(out).toMatch(/📝 message #\d+ to wang\.fang now reads:[\s\S]*张伟 马上就来/);
  expect(out).toContain('已结束，共 0 分钟（接待人：张伟）。');
  expect(out).toContain('• 10:00 华为，1 位访客：张伟（0 分钟后接待）');
  // A shell start-up migrates a database and loads the org: room for a loaded machine.
}, 30_000);
