// Nothing acked is lost: the real process, real signals, a restart on the same database.
// Commands are signed and posted as Slack posts them; each one's reply must reach its
// response_url on the fake Slack. SIGKILL right after the acks, and SIGTERM with a backlog:
// the restarted service answers every command. On SQLite and on PostgreSQL.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.ts';
import { createTestDatabase, PG_AVAILABLE, type TestDatabase } from '../db/databases.ts';
import { SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET } from '../support/harness.ts';
import { runKehu, type KehuProcess } from '../support/kehu-process.ts';
import { signSlack, slashCommand } from '../support/slack-requests.ts';
import { SLACK, TEST_ORG_FILE, testSlackUsers } from '../support/test-org.ts';
import { waitFor } from '../support/wait-for.ts';

const env = (fake: FakeSlack, databaseUrl: string) => ({
  DATABASE_URL: databaseUrl,
  PORT: '0',
  KEHU_ORG_FILE: TEST_ORG_FILE,
  SLACK_BOT_TOKEN,
  SLACK_SIGNING_SECRET,
  SLACK_API_URL: fake.apiUrl,
});

/** Posts `n` signed `/kehu help` commands, `concurrency` at a time; resolves with their response ids once all are acked. */
async function sendCommands(port: number, fake: FakeSlack, n: number, concurrency: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  let next = 0;
  const statuses: number[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        const req = slashCommand({ userId: SLACK.tomReed, text: 'help', responseUrl: fake.responseUrl(id) });
        const res = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: req.body, headers: { 'content-type': req.contentType, ...signSlack(SLACK_SIGNING_SECRET, req.body) } });
        await res.arrayBuffer();
        statuses.push(res.status);
      }
    }),
  );
  expect(statuses.filter((s) => s !== 200)).toEqual([]);
  return ids;
}

const repliesPer = (fake: FakeSlack, ids: string[]) => {
  const counts = new Map(ids.map((id) => [id, 0]));
  for (const r of fake.responses) if (counts.has(r.id)) counts.set(r.id, counts.get(r.id)! + 1);
  return [...counts.values()];
};

for (const provider of ['sqlite', 'postgresql'] as const) {
  describe.skipIf(provider === 'postgresql' && !PG_AVAILABLE)(`acked commands survive the process [${provider}]`, { timeout: 120_000 }, () => {
    let fake: FakeSlack;
    let db: TestDatabase;
    const running: KehuProcess[] = [];
    beforeAll(async () => {
      fake = await startFakeSlack({ users: testSlackUsers() });
    });
    afterAll(async () => {
      for (const p of running) p.child.kill('SIGKILL');
      await fake.close();
    });
    const start = async (url: string) => {
      const p = runKehu(env(fake, url));
      running.push(p);
      return { p, port: await p.listening() };
    };

    it('SIGKILL in the middle of the work: the restarted service answers every command', async () => {
      db = await createTestDatabase(provider);
      try {
        const first = await start(db.url);
        const ids = await sendCommands(first.port, fake, 150, 10);
        // Killed while rows are being worked on: some answered, some running, most waiting.
        await waitFor(() => repliesPer(fake, ids).filter((c) => c > 0).length >= 5, { what: 'the first replies', timeoutMs: 30_000 });
        first.p.child.kill('SIGKILL');
        await first.p.exited;
        const answeredBeforeKill = repliesPer(fake, ids).filter((c) => c > 0).length;
        const second = await start(db.url);
        await waitFor(() => repliesPer(fake, ids).every((c) => c > 0), { what: 'a reply to every acked command', timeoutMs: 60_000 });
        const counts = repliesPer(fake, ids);
        console.log(`[durability ${provider}] SIGKILL: ${ids.length} acked, ${answeredBeforeKill} answered before the kill, ${counts.filter((c) => c > 1).length} answered twice`);
        // At most the rows in flight at the kill (the chat thread's 4 slots) can be answered twice.
        expect(counts.filter((c) => c > 1).length).toBeLessThanOrEqual(4);
        second.p.child.kill('SIGTERM');
        expect(await second.p.exited).toBe(0);
      } finally {
        await db.cleanup();
      }
    });

    it('SIGTERM with a backlog: exits 0 in time, hands the rest back, and the next start answers it', async () => {
      db = await createTestDatabase(provider);
      try {
        const first = await start(db.url);
        const ids = await sendCommands(first.port, fake, 300, 20);
        const stopping = Date.now();
        first.p.child.kill('SIGTERM');
        expect(await first.p.exited).toBe(0);
        const stopMs = Date.now() - stopping;
        expect(first.p.lines().some((l) => l.msg === 'kehu stopped')).toBe(true);
        const answeredBeforeStop = repliesPer(fake, ids).filter((c) => c > 0).length;
        const second = await start(db.url);
        await waitFor(() => repliesPer(fake, ids).every((c) => c > 0), { what: 'a reply to every acked command', timeoutMs: 60_000 });
        const counts = repliesPer(fake, ids);
        console.log(`[durability ${provider}] SIGTERM: ${ids.length} acked, ${answeredBeforeStop} answered before the stop (${stopMs} ms), ${counts.filter((c) => c > 1).length} answered twice`);
        expect(counts.filter((c) => c > 1)).toEqual([]);
        second.p.child.kill('SIGTERM');
        expect(await second.p.exited).toBe(0);
      } finally {
        await db.cleanup();
      }
    });
  });
}
