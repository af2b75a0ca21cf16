// The shell front end as the shell tests drive it: a fresh SQLite file (a copy of the run's
// migrated template, db-templates.ts), the lines piped in as `npm run shell` reads them,
// everything it printed back.
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { startShell } from '../../src/app.ts';
import { loadSettings } from '../../src/config/env.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { freshSqliteFile } from './db-templates.ts';

/** `onOutput` sees everything printed so far, as it is printed (a test moves its clock when a message appears). */
export async function converse(lines: string[], as: string, options: { env?: Record<string, string>; clock?: () => Date; onOutput?: (printed: string) => void } = {}): Promise<string> {
  const { dir, url } = freshSqliteFile('kehu-shell-');
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (c) => {
    text += String(c);
    options.onOutput?.(text);
  });
  const done = startShell({ settings: loadSettings({ DATABASE_URL: url, ...options.env }), logger: createLogger('silent'), clock: options.clock, input, output, as, exportDir: join(dir, 'exports') });
  input.end(lines.map((l) => `${l}\n`).join(''));
  await done;
  return text;
}
