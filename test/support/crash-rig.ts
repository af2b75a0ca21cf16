// What a crash test needs around the real service in a child process (kehu-process.ts): a
// fake Slack, a fresh database of the provider (migrated), kehu started on it as often as the
// test kills it, the keyed messages counted by key, and a clean end (no dead job, SIGTERM
// answered with exit 0). Used by the visitors', the requests' and the handovers' durability tests.
import { expect } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { createTestDatabase } from '../db/databases.ts';
import { keyCounts, startFakeSlack, type FakeSlack } from '../fakes/fake-slack.ts';
import { SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET } from './harness.ts';
import { killedAfterAll, runKehu, type KehuProcess } from './kehu-process.ts';
import { testSlackUsers } from './test-org.ts';

export interface CrashRig {
  fake: FakeSlack;
  /** The test's own connection to the database kehu runs on. */
  db: Database;
  /** Starts kehu (Slack over HTTP against the fake) on the rig's database, with `env` added for this run; resolves once it listens. */
  start(env?: Record<string, string>): Promise<{ p: KehuProcess; port: number }>;
  /** How many times each message key matching `keep` arrived in the DMs (or channels) of `where`. */
  keyCounts(where: readonly string[], keep: (key: string) => boolean): Map<string, number>;
  /** No job died, and the process ends cleanly on SIGTERM. */
  endsCleanly(p: KehuProcess): Promise<void>;
}

const running = killedAfterAll();

/** `slackClock`: the fake Slack's own time, for a test that runs kehu on a moved clock (fake-slack.ts). */
export async function withCrashRig(provider: 'sqlite' | 'postgresql', env: Record<string, string>, body: (rig: CrashRig) => Promise<void>, o: { slackClock?: () => number } = {}): Promise<void> {
  const fake = await startFakeSlack({ users: testSlackUsers(), clock: o.slackClock });
  const testDb = await createTestDatabase(provider);
  const db = await testDb.open();
  try {
    await body({
      fake,
      db,
      async start(more = {}) {
        const p = runKehu({ DATABASE_URL: testDb.url, PORT: '0', SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, ...env, ...more });
        running.push(p);
        return { p, port: await p.listening() };
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
