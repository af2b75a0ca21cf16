// Entry point: read the environment, start kehu, stop cleanly on SIGTERM/SIGINT (and on a
// SIGHUP that came with the loss of the terminal or parent; otherwise SIGHUP reloads the org file).
// With no Slack or Lark credentials (or with --shell) it opens the terminal shell.
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { startKehu, startShell, type Kehu } from './app.ts';
import { loadSettings } from './config/env.ts';
import { StartRefusal } from './config/start-refusal.ts';
import { createLogger } from './observability/logger.ts';

/** After a SIGHUP, how long the parent has to die of it too before the signal counts as a hangup. */
const HANGUP_CHECK_MS = 300;

const { values } = parseArgs({ options: { shell: { type: 'boolean' }, as: { type: 'string' } }, strict: false });

try {
  const settings = loadSettings();
  if (values.shell || (!settings.slack && !settings.lark)) {
    // Logs go to a file so they do not interleave with the conversation.
    mkdirSync('data', { recursive: true });
    const logger = createLogger(settings.logLevel, pino.destination({ dest: 'data/kehu-shell.log', mkdir: true, sync: false }));
    await startShell({ settings, logger, input: process.stdin, output: process.stdout, as: values.as as string | undefined });
    process.exit(0);
  }
  // Signals are taken before start-up begins: one that lands while kehu starts (a deploy
  // that changes its mind, Ctrl-C) stops it as soon as it has started, cleanly, instead of
  // killing node half-way.
  let kehu: Kehu | undefined;
  let wanted: NodeJS.Signals | undefined;
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    // A signal often comes twice: Ctrl-C (or a closed terminal) reaches the whole process
    // group, and npm forwards it to node as well. The listener stays on, so the second one
    // is ignored instead of killing node half-way through its clean stop.
    if (!kehu) return void (wanted ??= signal);
    if (stopping) return;
    stopping = true;
    const running = kehu;
    running.logger.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      (e) => {
        running.logger.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => shutdown(signal));
  // SIGHUP is an admin's "reload the org file" (the work thread re-reads it). A closed
  // terminal sends it to the whole process group too, and there npm dies of it: when the
  // parent is gone a moment later, it was a hangup, and kehu stops instead of serving on
  // orphaned. (Under systemd or as a container's PID 1 the parent stays: a reload only.)
  const parent = process.ppid;
  process.on('SIGHUP', () => {
    kehu?.reloadOrg();
    setTimeout(() => {
      if (process.ppid !== parent) shutdown('SIGHUP');
    }, HANGUP_CHECK_MS).unref();
  });
  kehu = await startKehu({ settings });
  if (wanted) shutdown(wanted);
} catch (e) {
  if (e instanceof StartRefusal) {
    process.stderr.write(`kehu cannot start: ${e.message}\n`);
    process.exit(2);
  }
  const { code, port } = (typeof e === 'object' && e !== null ? e : {}) as { code?: unknown; port?: unknown };
  const why: Record<string, string> = {
    EADDRINUSE: 'is already in use (stop what holds it, or set PORT)',
    EACCES: 'needs privileges this user does not have (use a port above 1023)',
  };
  if (typeof code === 'string' && why[code]) {
    process.stderr.write(`kehu cannot start: port ${String(port)} ${why[code]}\n`);
    process.exit(2);
  }
  throw e;
}
