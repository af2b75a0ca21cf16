// The real entry point as an admin runs it (`npm start` = tsx src/main.ts), in a child
// process: start-up refuses bad configuration with a readable message, the service
// listens and answers /healthz (or says its port is taken), and SIGTERM stops it cleanly (exit 0).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.ts';
import { waitFor } from '../support/wait-for.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    // Only what the test sets: no credentials leak in from the developer's shell.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (c) => (out.stdout += String(c)));
  child.stderr.on('data', (c) => (out.stderr += String(c)));
  // 'close', not 'exit': by then stdout and stderr have been read to the end.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, out, exited };
}

const tempDb = () => `file:${join(mkdtempSync(join(tmpdir(), 'kehu-proc-')), 'kehu.db')}`;

describe('the kehu process', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack({ users: {} });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('refuses to start half-configured, naming the missing variable', async () => {
    const p = run({ DATABASE_URL: tempDb(), SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(await p.exited).toBe(2);
    expect(p.out.stderr).toContain('SLACK_SIGNING_SECRET is missing');
  }, 60_000);

  it('refuses an invalid org file with the path and line', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kehu-org-')), 'org.yaml');
    writeFileSync(file, 'company: X\ndepartments:\n  - { id: s, name: S, kind: sales }\npeople:\n  - { id: a, name: A, email: a@x.test, department: s, manager: nobody }\n');
    const p = run({ DATABASE_URL: tempDb(), KEHU_ORG_FILE: file, SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: fake.apiUrl });
    expect(await p.exited).toBe(2);
    expect(p.out.stderr).toContain(`${file} is not a valid org file`);
    expect(p.out.stderr).toContain('people[0].manager (line 5): "nobody" is not a person in this file');
  }, 60_000);

  it('a port already in use: says which, and stops what it had started first', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, resolve));
    try {
      const { port } = holder.address() as AddressInfo;
      const p = run({ DATABASE_URL: tempDb(), PORT: String(port), SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: fake.apiUrl });
      expect(await p.exited).toBe(2);
      expect(p.out.stderr).toContain(`kehu cannot start: port ${port} is already in use`);
      expect(p.out.stdout).toContain('"msg":"kehu stopped"');
    } finally {
      holder.close();
    }
  }, 60_000);

  it('listens, answers /healthz, and stops cleanly on SIGTERM', async () => {
    const p = run({ DATABASE_URL: tempDb(), PORT: '0', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: fake.apiUrl });
    try {
      const listening = await waitFor(
        () => p.out.stdout.split('\n').map((l) => (l.startsWith('{') ? (JSON.parse(l) as { msg?: string; port?: number }) : undefined)).find((l) => l?.msg === 'kehu is listening'),
        { timeoutMs: 30_000, what: 'the "kehu is listening" log line' },
      );
      const health = await fetch(`http://127.0.0.1:${listening.port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok' });
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      expect(p.out.stdout).toContain('"msg":"kehu stopped"');
      expect(p.out.stdout).not.toContain('xoxb-1');
    } finally {
      p.child.kill('SIGKILL');
    }
  }, 60_000);
});
