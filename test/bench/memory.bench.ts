// Memory, as an operator sees it: the resident memory (RSS) of every process the service
// starts, idle after start and after 10,000 mixed commands, beside a bare Bolt app's (the
// same commands, measured in the same run). kehu runs as production runs it — built
// (`npm run build`), then the node command of package.json's `start` script (its
// environment and node flags included) without npm in front, on a SQLite file, Slack over
// HTTP against the fake Slack (its own process, not counted) — and once more through `npm
// start` itself, whose npm process is counted too. Idle is read 10 s after start; "after"
// once the commands are all answered and the service has been quiet for 30 s (V8 gives
// memory back when a heap has been idle a while; so does a bot between bursts). Targets:
// 250 MB in all, idle, on SQLite; under 10% growth after the 10,000 commands.
//   npm run bench -- memory            KEHU_BENCH_COMMANDS=2000 for a shorter run
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET } from '../support/harness.ts';
import { childrenOf } from '../support/processes.ts';
import { sleep, waitFor } from '../support/wait-for.ts';
import { signSlack, slashCommand } from '../support/slack-requests.ts';
import { SLACK, TEST_ORG_FILE } from '../support/test-org.ts';
import { mixedCommand, productionCommand, rssMb, runLoad, spawnServer, table, type Bench, type BenchCheck, type ChildServer } from './bench-kit.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const IDLE_TARGET_MB = 250;
const MAX_GROWTH = 0.1;
/** How long a process is left alone before its memory is read: after start, after the load. */
const SETTLE_IDLE_MS = 10_000;
const SETTLE_AFTER_MS = 30_000;
const CONCURRENCY = 10;
const KEHU = 'kehu (node of npm start)';

/** RSS of a process and everything it started, MB, and how many processes that is. */
function treeRss(pid: number): { mb: number; processes: number } {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) pids.push(...childrenOf(pids[i]!).map((c) => c.pid));
  return { mb: pids.reduce((sum, p) => sum + (rssMb(p) || 0), 0), processes: pids.length };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}



interface Target {
  name: string;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** SIGTERM, and wait until the process has gone. */
async function stopChild(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** kehu as a process of its own: `node dist/main.js`, or `npm start`. */
async function startKehuProcess(name: string, command: string[], slackApiUrl: string, extraEnv: Record<string, string> = {}): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'kehu-bench-mem-'));
  const port = await freePort();
  const child: ChildProcess = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    stdio: 'ignore',
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: `file:${join(dir, 'kehu.db')}`,
      PORT: String(port),
      KEHU_ORG_FILE: TEST_ORG_FILE,
      LOG_LEVEL: 'info',
      SLACK_BOT_TOKEN,
      SLACK_SIGNING_SECRET,
      SLACK_API_URL: slackApiUrl,
      npm_config_update_notifier: 'false',
      ...extraEnv,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(() => fetch(`${url}/healthz`).then((r) => r.status === 200, () => false), { what: `${name} answering /healthz`, timeoutMs: 120_000, intervalMs: 100 });
  return {
    name,
    url,
    pid: child.pid!,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startBareBoltProcess(slackApiUrl: string): Promise<Target> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./bare-bolt.mjs', import.meta.url))], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { PATH: process.env.PATH, BARE_BOLT_SIGNING_SECRET: SLACK_SIGNING_SECRET, BARE_BOLT_API_URL: slackApiUrl, BARE_BOLT_RESPOND: '1' },
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve((JSON.parse(d.toString('utf8')) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`bare Bolt exited (${code})`)));
  });
  return {
    name: 'bare Bolt (node bare-bolt.mjs)',
    url,
    pid: child.pid!,
    stop: () => stopChild(child),
  };
}

export const memoryBench: Bench = {
  name: 'memory',
  description: 'RSS of every process the service starts: idle, and after 10,000 mixed commands, beside a bare Bolt app',
  async run() {
    const commands = Number(process.env.KEHU_BENCH_COMMANDS ?? 10_000);
    // What production runs.
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    const fake: ChildServer = await spawnServer('fake-slack', {}, { nice: 10 });
    const stats = async () => ((await (await fetch(`${fake.url}/_fake/stats`)).json()) as { responses: number }).responses;
    const slackApiUrl = `${fake.url}/api/`;
    const rows: string[][] = [];
    const checks: BenchCheck[] = [];
    try {
      const measure = async (target: Target, load: boolean) => {
        try {
          await sleep(SETTLE_IDLE_MS);
          const idle = treeRss(target.pid);
          if (!load) return { idle, after: undefined };
          const before = await stats();
          const responseUrl = `${fake.url}/response/`;
          const r = await runLoad({
            url: target.url,
            concurrency: CONCURRENCY,
            total: commands,
            shot: (i) => {
              const req = slashCommand({ userId: i % 2 ? SLACK.tomReed : SLACK.meiLin, text: mixedCommand(i), responseUrl: `${responseUrl}${randomUUID()}` });
              return { method: 'POST', path: '/slack/events', headers: { 'content-type': req.contentType, ...signSlack(SLACK_SIGNING_SECRET, req.body) }, body: req.body };
            },
          });
          const acked = r.statuses.get(200) ?? 0;
          if (acked !== commands) throw new Error(`memory bench: ${target.name} acked ${acked} of ${commands}`);
          // Every command answered, then left alone again.
          await waitFor(() => stats().then((n) => n - before >= commands, () => false), { what: `${target.name} answering every command`, timeoutMs: 600_000, intervalMs: 100 });
          await sleep(SETTLE_AFTER_MS);
          return { idle, after: treeRss(target.pid) };
        } finally {
          await target.stop();
        }
      };
      const bare = await measure(await startBareBoltProcess(slackApiUrl), true);
      const production = productionCommand();
      const kehu = await measure(await startKehuProcess(KEHU, [process.execPath, ...production.args], slackApiUrl, production.env), true);
      const viaNpm = await measure(await startKehuProcess('kehu (npm start: npm + node)', ['npm', 'start', '--silent'], slackApiUrl), false);
      const mb = (n: number) => n.toFixed(0);
      const growth = (m: { idle: { mb: number }; after?: { mb: number } }) => (m.after ? m.after.mb / m.idle.mb - 1 : Number.NaN);
      const row = (name: string, m: { idle: { mb: number; processes: number }; after?: { mb: number } }) => [
        name,
        String(m.idle.processes),
        mb(m.idle.mb),
        m.after ? mb(m.after.mb) : '—',
        m.after ? `${(growth(m) * 100).toFixed(1)}%` : '—',
      ];
      rows.push(row('bare Bolt (node bare-bolt.mjs)', bare), row(KEHU, kehu), row('kehu (npm start: npm + node)', viaNpm));
      checks.push({
        name: `kehu idle RSS ≤ ${IDLE_TARGET_MB} MB (SQLite, the node of npm start)`,
        ok: kehu.idle.mb <= IDLE_TARGET_MB,
        detail: `${mb(kehu.idle.mb)} MB in ${kehu.idle.processes} process(es); bare Bolt ${mb(bare.idle.mb)} MB (${(kehu.idle.mb / bare.idle.mb).toFixed(2)}x); through npm start ${mb(viaNpm.idle.mb)} MB`,
      });
      checks.push({
        name: `kehu RSS growth after ${commands} commands < ${MAX_GROWTH * 100}%`,
        ok: growth(kehu) < MAX_GROWTH,
        detail: `${(growth(kehu) * 100).toFixed(1)}% (bare Bolt ${(growth(bare) * 100).toFixed(1)}%)`,
      });
    } finally {
      await fake.stop();
    }
    return {
      report: table(['target', 'processes', 'idle MB', `after ${commands} MB`, 'growth'], rows),
      checks,
    };
  },
};
