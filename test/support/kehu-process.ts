// The real service in a child process, as an admin runs it (node with tsx's loader, the
// way `npm start` does), for tests that need real signals: SIGKILL, SIGTERM, a restart on
// the same database. Its JSON log lines are parsed as they come.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface KehuProcess {
  child: ChildProcess;
  out: { stdout: string; stderr: string };
  /** Resolves with the exit code once stdout and stderr are read to the end (null after a signal). */
  exited: Promise<number | null>;
  /** Log lines (JSON) so far. */
  lines(): Array<Record<string, unknown>>;
  /** The port from "kehu is listening". */
  listening(timeoutMs?: number): Promise<number>;
}

export function runKehu(env: Record<string, string>): KehuProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    // Only what the test sets: no credentials leak in from the developer's shell.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (c) => (out.stdout += String(c)));
  child.stderr!.on('data', (c) => (out.stderr += String(c)));
  // 'close', not 'exit': by then stdout and stderr have been read to the end.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const lines = () =>
    out.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch {
          return {};
        }
      });
  return {
    child,
    out,
    exited,
    lines,
    async listening(timeoutMs = 30_000) {
      const line = await waitFor(() => lines().find((l) => l.msg === 'kehu is listening'), { what: `kehu listening (stderr: ${out.stderr.slice(-500)})`, timeoutMs });
      return Number(line.port);
    },
  };
}
