// One shell session on the real back office (a fresh SQLite file, migrations) with a fixed
// clock: the lines typed as `as`, everything printed back.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { startShell } from '../../src/app.ts';
import { loadSettings } from '../../src/config/env.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { vi } from 'vitest';

// Each session starts a back office (migrations included): room for a busy machine.
vi.setConfig({ testTimeout: 20_000 });

export async function converse(lines: string[], as: string, now: string, env: Record<string, string> = {}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'kehu-shell-'));
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (c) => (text += String(c)));
  const done = startShell({
    settings: loadSettings({ DATABASE_URL: `file:${join(dir, 'kehu.db')}`, ...env }),
    logger: createLogger('silent'),
    clock: () => new Date(now),
    input,
    output,
    as,
  });
  input.end(lines.map((l) => `${l}\n`).join(''));
  await done;
  return text;
}
