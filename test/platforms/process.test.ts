// The real entry point as an admin runs it, in a child process: `node dist/main.js` (built
// once for the run by test/support/global-setup.ts), `npm start` (npm builds, then node in
// its place: exec) and `npm run dev`'s `node --import tsx src/main.ts`. Start-up refuses bad
// configuration with a readable message, the service listens and answers /healthz (or says
// its port is taken), and a stop signal, sent to node or to npm, stops node cleanly (exit 0,
// nothing left running).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.ts';
import { freshSqliteFile } from '../support/db-templates.ts';
import { runKehu, type KehuProcess } from '../support/kehu-process.ts';
import { catchesSignal, childrenOf, isRunning, readOnlyMount, readOnlyMountsWork } from '../support/processes.ts';
import { waitFor } from '../support/wait-for.ts';

/** A database file that does not exist yet: kehu's first start creates and migrates it. */
const tempDb = () => `file:${join(mkdtempSync(join(tmpdir(), 'kehu-proc-')), 'kehu.db')}`;
/** A migrated database (a copy of the run's template): for the tests of what comes after the migrations. */
const migratedDb = () => freshSqliteFile('kehu-proc-').url;

describe('the kehu process', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack({ users: {} });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('refuses to start half-configured, naming the missing variable', async () => {
    const p = runKehu({ DATABASE_URL: tempDb(), SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(await p.exited).toBe(2);
    expect(p.out.stderr).toContain('SLACK_SIGNING_SECRET is missing');
  }, 60_000);

  it('refuses an invalid org file with the path and line', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kehu-org-')), 'org.yaml');
    writeFileSync(file, 'company: X\ndepartments:\n  - { id: s, name: S, kind: sales }\npeople:\n  - { id: a, name: A, email: a@x.test, department: s, manager: nobody }\n');
    const p = runKehu({ DATABASE_URL: tempDb(), KEHU_ORG_FILE: file, SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: fake.apiUrl });
    expect(await p.exited).toBe(2);
    expect(p.out.stderr).toContain(`${file} is not a valid org file`);
    expect(p.out.stderr).toContain('people[0].manager (line 5): "nobody" is not a person in this file');
  }, 60_000);

  it('a port already in use: says which, and stops what it had started first', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, resolve));
    try {
      const { port } = holder.address() as AddressInfo;
      const p = runKehu({ DATABASE_URL: migratedDb(), PORT: String(port), SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: fake.apiUrl });
      expect(await p.exited).toBe(2);
      expect(p.out.stderr).toContain(`kehu cannot start: port ${port} is already in use`);
      expect(p.out.stdout).toContain('"msg":"kehu stopped"');
    } finally {
      holder.close();
    }
  }, 60_000);

  it.each([
    { how: 'node dist/main.js', tsx: false },
    { how: 'node --import tsx src/main.ts (npm run dev)', tsx: true },
  ])('$how listens, answers /healthz, and stops cleanly on SIGTERM', async ({ tsx }) => {
    // The built service's first start on a new file; the loader's on a migrated one.
    const p = runKehu({ DATABASE_URL: tsx ? migratedDb() : tempDb(), PORT: '0', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: fake.apiUrl }, { tsx });
    try {
      const port = await p.listening();
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      // Slack counts as unreachable until its first check (auth.test, not awaited by start-up) answers.
      const body: unknown = await health.json();
      expect(body, JSON.stringify(body)).toMatchObject({ database: 'ok' });
      await waitFor(async () => ((await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { status: string }).status === 'ok', { what: 'healthz ok once Slack answered' });
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      expect(p.out.stdout).toContain('"msg":"kehu stopped"');
      expect(p.out.stdout).not.toContain('xoxb-1');
    } finally {
      p.child.kill('SIGKILL');
    }
  }, 60_000);

  describe.concurrent('a database file kehu cannot write: one line, exit 2', () => {
    const READ_ONLY_MOUNTS = readOnlyMountsWork();
    if (!READ_ONLY_MOUNTS) console.warn('[kehu tests] read-only bind mounts need CAP_SYS_ADMIN (unshare): those cases are SKIPPED');
    const slack = { PORT: '0', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };
    const migrated = () => freshSqliteFile('kehu-ro-').dir;
    const refusal = async (p: KehuProcess, pattern: RegExp) => {
      expect(await p.exited).toBe(2);
      expect(p.out.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(pattern)]);
      expect(p.out.stdout).not.toContain('kehu is listening');
    };

    it('DATABASE_URL inside a file, as if it were a folder', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'kehu-ro-')), 'not-a-folder');
      writeFileSync(file, '');
      const p = runKehu({ ...slack, DATABASE_URL: `file:${file}/data/kehu.db`, SLACK_API_URL: fake.apiUrl });
      await refusal(p, new RegExp(`^kehu cannot start: the SQLite database ${file}/data/kehu\\.db: ${file} is a file, not a folder \\(ENOTDIR\\)`));
    }, 60_000);

    it.skipIf(!READ_ONLY_MOUNTS)('a read-only data folder, on a first start', async () => {
      const dir = join(mkdtempSync(join(tmpdir(), 'kehu-ro-')), 'data');
      mkdirSync(dir);
      const p = runKehu({ ...slack, DATABASE_URL: `file:${dir}/kehu.db`, SLACK_API_URL: fake.apiUrl }, { wrap: readOnlyMount(dir) });
      await refusal(p, new RegExp(`^kehu cannot start: the SQLite database ${dir}/kehu\\.db: its folder ${dir} is not writable \\(read-only file system, EROFS\\): make it writable`));
    }, 60_000);

    it.skipIf(!READ_ONLY_MOUNTS)('a read-only data folder holding a migrated database', async () => {
      const dir = migrated();
      const p = runKehu({ ...slack, DATABASE_URL: `file:${dir}/kehu.db`, SLACK_API_URL: fake.apiUrl }, { wrap: readOnlyMount(dir) });
      await refusal(p, new RegExp(`its folder ${dir} is not writable \\(read-only file system, EROFS\\)`));
    }, 60_000);

    it.skipIf(!READ_ONLY_MOUNTS)('a read-only database file in a writable folder', async () => {
      const dir = migrated();
      const p = runKehu({ ...slack, DATABASE_URL: `file:${dir}/kehu.db`, SLACK_API_URL: fake.apiUrl }, { wrap: readOnlyMount(join(dir, 'kehu.db')) });
      await refusal(p, new RegExp(`^kehu cannot start: the SQLite database ${dir}/kehu\\.db: the file is not writable \\(read-only file system, EROFS\\)`));
    }, 60_000);
  });

  it('SIGTERM while it is still starting: it finishes starting, then stops cleanly (exit 0)', async () => {
    const p = runKehu({ DATABASE_URL: tempDb(), PORT: '0', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: fake.apiUrl });
    try {
      const pid = p.child.pid!;
      // As soon as main.ts listens for signals, before start-up (migrations, the work thread) begins.
      // (Node catches SIGTERM and SIGINT from its first moment, to restore the terminal and die;
      // SIGHUP only once JavaScript listens, and main.ts takes all three at once.)
      await waitFor(() => catchesSignal(pid, 'SIGHUP'), { what: 'main.ts to take signals', timeoutMs: 20_000, intervalMs: 1 });
      // Still starting when the signal goes.
      expect(p.out.stdout).not.toContain('"msg":"kehu is listening"');
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      expect(p.out.stdout).toContain('"signal":"SIGTERM","msg":"shutting down"');
      expect(p.out.stdout).toContain('"msg":"kehu stopped"');
      // It finished starting first, then stopped.
      expect(p.out.stdout.indexOf('"msg":"kehu is listening"')).toBeLessThan(p.out.stdout.indexOf('"msg":"shutting down"'));
    } finally {
      p.child.kill('SIGKILL');
    }
  }, 60_000);

  it('a second `npm start` on the same SQLite file, on another port: both serve, both stop cleanly', async () => {
    const env = { DATABASE_URL: tempDb(), PORT: '0', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: fake.apiUrl };
    const first = runKehu(env);
    let second: KehuProcess | undefined;
    try {
      const firstPort = await first.listening();
      // Nothing to migrate: the second start reads the history and goes on (WAL shares the file).
      second = runKehu(env, { npm: 'start' });
      const secondPort = await second.listening();
      for (const port of [firstPort, secondPort]) {
        const health = await fetch(`http://127.0.0.1:${port}/healthz`);
        expect(health.status).toBe(200);
      }
      for (const p of [second, first]) {
        p.child.kill('SIGTERM');
        expect(await p.exited).toBe(0);
        expect(p.out.stdout).toContain('"msg":"kehu stopped"');
        expect(p.out.stderr).toBe('');
      }
    } finally {
      first.child.kill('SIGKILL');
      second?.child.kill('SIGKILL');
    }
  }, 90_000);

  describe('`npm start`: a stop signal reaches node and stops it cleanly', () => {
    const slack = () => ({ DATABASE_URL: migratedDb(), PORT: '0', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: fake.apiUrl });

    // What Docker and Kubernetes send to PID 1 (here npm), what `kill` sends, Ctrl-C in a
    // terminal (npm forwards it and the terminal sends it to node too), a closed terminal.
    // npm forwards only SIGTERM and SIGINT and dies of SIGHUP itself (@npmcli/run-script's
    // signal-manager.js): SIGHUP to npm's pid alone never reaches node, hence
    // manifests/deploy/ runs node directly. A closed terminal signals the whole group.
    const cases = [
      { signal: 'SIGTERM', to: 'npm', npmExit: { code: 0, signal: null } },
      { signal: 'SIGINT', to: 'npm', npmExit: { code: 0, signal: null } },
      { signal: 'SIGINT', to: 'the process group', npmExit: { code: 0, signal: null } },
      { signal: 'SIGHUP', to: 'the process group', npmExit: { code: null, signal: 'SIGHUP' } },
    ] as const;

    it.each(cases)('$signal to $to', async ({ signal, to, npmExit }) => {
      const p = runKehu(slack(), { npm: 'start', detached: to === 'the process group' });
      const npmPid = p.child.pid!;
      let nodePid: number | undefined;
      try {
        await p.listening();
        // exec: node has taken the shell's place (after the build), so it is npm's only child, with the work thread inside.
        const children = childrenOf(npmPid);
        expect(children.map((c) => c.cmdline)).toEqual([expect.stringMatching(/node --max-semi-space-size=2 --heap-growing-percent=50 dist\/main\.js$/)]);
        nodePid = children[0]!.pid;
        process.kill(to === 'npm' ? npmPid : -npmPid, signal);
        expect({ code: await p.exited, signal: p.out.signal }).toEqual(npmExit);
        expect(p.out.stdout).toContain(`"signal":"${signal}","msg":"shutting down"`);
        expect(p.out.stdout).toContain('"msg":"kehu stopped"');
        expect(p.out.stdout.match(/"msg":"shutting down"/g)).toHaveLength(1);
        // Gone soon after: when npm died of the SIGHUP first, its pipes close with node's
        // last write, a moment before node itself has finished exiting.
        const pid = nodePid;
        await waitFor(() => !isRunning(pid), { timeoutMs: 5000, what: 'node to exit' });
      } finally {
        if (isRunning(npmPid)) process.kill(to === 'npm' ? npmPid : -npmPid, 'SIGKILL');
        // Not left running past a failed test: npm's SIGKILL does not reach node.
        if (nodePid !== undefined && isRunning(nodePid)) process.kill(nodePid, 'SIGKILL');
      }
    }, 60_000);

    it('SIGHUP to node itself, its parent alive, reloads the org file and keeps serving', async () => {
      const p = runKehu(slack());
      try {
        const port = await p.listening();
        p.child.kill('SIGHUP');
        await waitFor(() => p.out.stdout.includes('"msg":"org file reloaded"'), { what: 'the org reload' });
        // Past the hangup check: still serving, no stop.
        await new Promise((resolve) => setTimeout(resolve, 600));
        expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
        expect(p.out.stdout).not.toContain('"msg":"shutting down"');
        p.child.kill('SIGTERM');
        expect(await p.exited).toBe(0);
      } finally {
        if (isRunning(p.child.pid!)) p.child.kill('SIGKILL');
      }
    }, 60_000);
  });
});
