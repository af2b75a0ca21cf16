// What a crash test needs around the real service in a child process (kehu-process.ts): a
// fake Slack, a fresh database of the provider (migrated), kehu started on it as often as the
// test kills it — on real time, or on a clock the test sets per start (shifted-clock.cjs;
// the fake Slack runs on the same clock) —, signed requests to its Slack endpoint, the keyed
// messages counted by key, and a clean end (no dead job, SIGTERM answered with exit 0).
// Used by the visitors', the requests' and the handovers' durability tests and the requests'
// holiday walk.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { createTestDatabase } from '../db/databases.ts';
import { keyCounts, startFakeSlack, type FakeSlack } from '../fakes/fake-slack.ts';
import { SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET } from './harness.ts';
import { killedAfterAll, runKehu, shiftedClockEnv, type KehuProcess } from './kehu-process.ts';
import { signSlack, slashCommand, type SlackRequest } from './slack-requests.ts';
import { testSlackUsers } from './test-org.ts';
import { waitFor } from './wait-for.ts';


export interface CrashRig {
  fake: FakeSlack;
  /** The test's own connection to the database kehu runs on. */
  db: Database;
  /** Starts kehu (Slack over HTTP against the fake) on the rig's database, with `env` added for this run; resolves once it listens. */
  start(env?: Record<string, string>): Promise<{ p: KehuProcess; port: number }>;
  /** The same, kehu's clock (and the fake Slack's) set to `at` and running on with real time from there. */
  startAt(at: number, env?: Record<string, string>): Promise<{ p: KehuProcess; port: number }>;
  /** kehu's time (and the fake Slack's), ms: real time until a startAt moves it. */
  now(): number;
  /** Posts a request to kehu's /slack/events, signed as Slack would at now(); answered 200. */
  postSlack(port: number, req: SlackRequest): Promise<void>;
  /** A slash command, and kehu's answer at its response_url. */
  say(port: number, userId: string, text: string): Promise<Record<string, unknown>>;
  /** Waits until no notice is left to deliver (nothing pending or running to a person, a channel, or a message to update). */
  delivered(what?: string): Promise<void>;
  /** How many times each message key matching `keep` arrived in the DMs (or channels) of `where`. */
  keyCounts(where: readonly string[], keep: (key: string) => boolean): Map<string, number>;
  /** No job died, and the process ends cleanly on SIGTERM. */
  endsCleanly(p: KehuProcess): Promise<void>;
}

const running = killedAfterAll();

/** Writes each named file into a fresh temporary folder: their paths, by name (an org file and a catalog a test edits). */
export function tempFiles<K extends string>(prefix: string, files: Record<K, string>): Record<K, string> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const paths = {} as Record<K, string>;
  for (const [name, text] of Object.entries(files) as [K, string][]) writeFileSync((paths[name] = join(dir, name)), text);
  return paths;
}

export async function withCrashRig(provider: 'sqlite' | 'postgresql', env: Record<string, string>, body: (rig: CrashRig) => Promise<void>): Promise<void> {
  // kehu's clock ahead of real time by this much (the last startAt's).
  let offset = 0;
  const now = () => Date.now() + offset;
  const fake = await startFakeSlack({ users: testSlackUsers(), clock: now });
  const testDb = await createTestDatabase(provider);
  const db = await testDb.open();
  const start = async (more: Record<string, string> = {}) => {
    const p = runKehu({ DATABASE_URL: testDb.url, PORT: '0', SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, ...env, ...more });
    running.push(p);
    return { p, port: await p.listening() };
  };
  const postSlack = async (port: number, req: SlackRequest) => {
    const res = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: req.body, headers: { 'content-type': req.contentType, ...signSlack(SLACK_SIGNING_SECRET, req.body, Math.floor(now() / 1000)) } });
    expect(res.status).toBe(200);
  };
  try {
    await body({
      fake,
      db,
      start,
      startAt(at, more = {}) {
        offset = at - Date.now();
        return start({ ...shiftedClockEnv(offset), ...more });
      },
      now,
      postSlack,
      async say(port, userId, text) {
        const id = randomUUID();
        await postSlack(port, slashCommand({ userId, text, responseUrl: fake.responseUrl(id) }));
        return (await fake.waitForResponse((r) => r.id === id, { timeoutMs: 20_000 })).body;
      },
      async delivered(what = 'every notice delivered') {
        const unsent = { status: { in: ['pending', 'running'] }, kind: { in: ['notify.person', 'notify.channel', 'message.update'] } };
        await waitFor(async () => ((await db.prisma.job.count({ where: unsent })) === 0 ? true : undefined), { what, timeoutMs: 30_000 });
      },
      keyCounts: (where, keep) => keyCounts(fake, where, keep),
      async endsCleanly(p) {
        expect(await db.prisma.job.count({ where: { status: 'dead' } })).toBe(0);
        p.child.kill('SIGTERM');
        expect(await p.exited).toBe(0);
      },
    });
  } finally {
    await fake.close();
    await db.close();
    await testDb.cleanup();
  }
}
