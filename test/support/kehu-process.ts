// The real service in a child process, as production runs it (`node dist/main.js`, built
// once per test run by global-setup.ts), as `npm run dev` runs it (tsx's loader), or
// `npm start` itself, for tests that need real signals: SIGKILL, SIGTERM, a restart on the
// same database. Its JSON log lines are parsed as they come. Also the admin's other
// commands, through npm (`npm run db:migrate`).
import { spawn, type ChildProcess } from 'node:child_process';
import { delimiter, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catchesSignal, childrenOf } from './processes.ts';
import { afterAll } from 'vitest';
import { waitFor } from './wait-for.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const SHIFTED_CLOCK = fileURLToPath(new URL('./shifted-clock.cjs', import.meta.url));
/** The env that runs a kehu child `offsetMs` ahead of real time (shifted-clock.cjs: main and work threads alike). */
export function shiftedClockEnv(offsetMs: number): Record<string, string> {
  return { NODE_OPTIONS: `--require=${SHIFTED_CLOCK}`, KEHU_TEST_CLOCK_OFFSET_MS: String(offsetMs) };
}

export interface KehuProcess {
  child: ChildProcess;
  /** `signal`: what ended the child (npm may die of a signal node survives). */
  out: { stdout: string; stderr: string; signal: NodeJS.Signals | null };
  /** Resolves with the exit code once stdout and stderr are read to the end (null after a signal). */
  exited: Promise<number | null>;
  /** Log lines (JSON) so far. */
  lines(): Array<Record<string, unknown>>;
  /** The port from "kehu is listening", once node handles SIGTERM, SIGINT and SIGHUP (a signal sent then is kehu's to handle). */
  listening(timeoutMs?: number): Promise<number>;
}

export interface RunKehuOptions {
  /** Run this package.json script through npm (`npm run start`, `npm run db:migrate`) instead of node directly. */
  npm?: string;
  /** `node --import tsx src/main.ts` (what `npm run dev` runs) instead of `node dist/main.js`. */
  tsx?: boolean;
  /** Arguments for the program (after `--` for npm). */
  args?: string[];
  /** In its own process group, as a terminal's foreground job is: Ctrl-C reaches every member. */
  detached?: boolean;
  /** Put in front of the command, e.g. readOnlyMount(path) from processes.ts. */
  wrap?: string[];
  /** Flags for node before the script (direct runs only), e.g. `npm start`'s (bench-kit's productionCommand()). */
  nodeArgs?: string[];
}

export function runKehu(env: Record<string, string>, options: RunKehuOptions = {}): KehuProcess {
  const [command, ...args] = [
    ...(options.wrap ?? []),
    ...(options.npm
      ? ['npm', 'run', options.npm, ...(options.args ? ['--', ...options.args] : [])]
      : [process.execPath, ...(options.nodeArgs ?? []), ...(options.tsx ? ['--import', 'tsx', 'src/main.ts'] : ['dist/main.js']), ...(options.args ?? [])]),
  ] as [string, ...string[]];
  const child = spawn(command, args, {
    cwd: ROOT,
    // Only what the test sets: no credentials leak in from the developer's shell. This node
    // first on PATH, so npm starts the same one; no update check against the registry.
    env: {
      PATH: [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter),
      HOME: process.env.HOME ?? '',
      npm_config_update_notifier: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  const out: KehuProcess['out'] = { stdout: '', stderr: '', signal: null };
  child.stdout!.on('data', (c) => (out.stdout += String(c)));
  child.stderr!.on('data', (c) => (out.stderr += String(c)));
  // 'close', not 'exit': by then stdout and stderr have been read to the end (by every
  // process that holds them: node too, when npm is gone before it).
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code, signal) => {
      out.signal = signal;
      resolve(code);
    }),
  );
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
      // main.ts installs its signal handlers a moment after the line: on a busy machine a
      // signal sent in between would kill node outright.
      if (process.platform === 'linux') {
        const node = () => (options.npm ? childrenOf(child.pid!).find((c) => /\bnode\b/.test(c.cmdline))?.pid : child.pid);
        await waitFor(() => {
          const pid = node();
          return pid !== undefined && (['SIGTERM', 'SIGINT', 'SIGHUP'] as const).every((signal) => catchesSignal(pid, signal));
        }, { what: 'kehu handling SIGTERM, SIGINT and SIGHUP', timeoutMs });
      }
      return Number(line.port);
    },
  };
}

/** The processes a test file started, each SIGKILLed after its tests (whatever state a failed test left them in): push every one. */
export function killedAfterAll(): KehuProcess[] {
  const running: KehuProcess[] = [];
  afterAll(() => {
    for (const p of running) p.child.kill('SIGKILL');
  });
  return running;
}
