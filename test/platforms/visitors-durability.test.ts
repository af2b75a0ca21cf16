// Escalation survives the process (issue 12 points 5 and 9): the real service in a child
// process on a fast ladder (a step every 3 s), killed with SIGKILL between two escalation
// steps — step 1 delivered, step 2's check waiting in the queue — and started again on the
// same database after step 2 fell due. Every ping —
// the host's first DM, each repeat, the manager, the person on duty, the head, the feed —
// goes out exactly once (counted by the key each Slack message carries), none is lost, and
// the ladder stops at maxSteps. On SQLite and on PostgreSQL.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack, type SlackMessage } from '../fakes/fake-slack.ts';
import { createTestDatabase, PG_AVAILABLE } from '../db/databases.ts';
import { SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET } from '../support/harness.ts';
import { runKehu, type KehuProcess } from '../support/kehu-process.ts';
import { signSlack, slashCommand } from '../support/slack-requests.ts';
import { SLACK, testSlackUsers } from '../support/test-org.ts';
import { waitFor } from '../support/wait-for.ts';

const FIXTURE = fileURLToPath(new URL('../support/fixtures/visitors-org.yaml', import.meta.url));
const XIAO_WANG = 'U0XIAOWANG';
const FEED = 'C0FRONTDESK';
/** 0.05 minutes: 3 s between steps, in and outside working hours; two steps, then the ladder stops. */
const STEP_MS = 3_000;

/** The visitors org with a fast ladder. */
function fastOrgFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kehu-visit-crash-'));
  const path = join(dir, 'org.yaml');
  writeFileSync(path, readFileSync(FIXTURE, 'utf8').replace('visitors:\n', 'visitors:\n  escalation: { workingMinutes: 0.05, outsideMinutes: 0.05, maxSteps: 2 }\n'));
  return path;
}

const keyOf = (m: SlackMessage) => (typeof m.metadata?.event_payload?.key === 'string' ? m.metadata.event_payload.key : undefined);

const running: KehuProcess[] = [];
afterAll(() => {
  for (const p of running) p.child.kill('SIGKILL');
});

// Both databases at once, each with its own fake Slack and processes: the file takes the time of one.
describe.concurrent('an escalation across a crash', { timeout: 90_000 }, () => {
  for (const provider of ['sqlite', 'postgresql'] as const) {
    it.skipIf(provider === 'postgresql' && !PG_AVAILABLE)(`SIGKILL between two steps: after the restart every ping goes out exactly once, none lost [${provider}]`, async () => {
      const fake: FakeSlack = await startFakeSlack({ users: testSlackUsers() });
      const orgFile = fastOrgFile();
      const start = async (databaseUrl: string) => {
        const p = runKehu({ DATABASE_URL: databaseUrl, PORT: '0', KEHU_ORG_FILE: orgFile, SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL: fake.apiUrl });
        running.push(p);
        return { p, port: await p.listening() };
      };
      /** Every keyed message kehu posted, by key: how many times each arrived. */
      const deliveries = () => {
        const counts = new Map<string, number>();
        for (const where of [SLACK.wuHao, SLACK.meiLin, SLACK.saraNg, XIAO_WANG, FEED]) {
          for (const m of fake.messagesIn(where)) {
            const key = keyOf(m);
            if (key?.startsWith('visit:')) counts.set(key, (counts.get(key) ?? 0) + 1);
          }
        }
        return counts;
      };
      const testDb = await createTestDatabase(provider);
      const db = await testDb.open();
      try {
        const first = await start(testDb.url);
        const req = slashCommand({ userId: XIAO_WANG, text: 'visitor 远航船舶 name:孙先生 host:吴昊', responseUrl: fake.responseUrl(randomUUID()) });
        const res = await fetch(`http://127.0.0.1:${first.port}/slack/events`, { method: 'POST', body: req.body, headers: { 'content-type': req.contentType, ...signSlack(SLACK_SIGNING_SECRET, req.body) } });
        expect(res.status).toBe(200);
        // Step 1 (the host again, their manager, the person on duty) delivered and recorded: kill before step 2.
        const stepKeys = (step: number) => [...deliveries().keys()].filter((k) => k.includes(`:s${step}:`));
        await waitFor(() => (stepKeys(1).some((k) => k.endsWith(':host')) ? true : undefined), { what: 'the first repeat ping', timeoutMs: 30_000 });
        const unsent = { status: { in: ['pending', 'running'] }, kind: { in: ['notify.person', 'notify.channel', 'message.update'] } };
        await waitFor(async () => ((await db.prisma.job.count({ where: unsent })) === 0 ? true : undefined), { what: "step 1's notices recorded as sent", timeoutMs: 30_000 });
        first.p.child.kill('SIGKILL');
        await first.p.exited;
        const beforeRestart = deliveries();
        expect([...beforeRestart.keys()].some((k) => k.includes(':s2:'))).toBe(false);
        expect(await db.prisma.job.count({ where: { kind: 'visitor.check', status: 'pending', idempotencyKey: { endsWith: ':s2' } } })).toBe(1);
        // Down for longer than a step: step 2 falls due while nobody runs.
        await new Promise((r) => setTimeout(r, STEP_MS * 1.5));
        const second = await start(testDb.url);
        const visit = await waitFor(async () => (await db.prisma.visit.findFirst({ where: { company: '远航船舶', step: 3 } })) ?? undefined, { what: 'the ladder to stop after step 2', timeoutMs: 30_000 });
        await waitFor(async () => ((await db.prisma.job.count({ where: unsent })) === 0 ? true : undefined), { what: 'every notice delivered', timeoutMs: 30_000 });
        const counts = deliveries();
        const keys = [...counts.keys()].sort();
        console.log(`[visitors crash ${provider}] ${beforeRestart.size} pings before the kill, ${counts.size} in all: ${keys.join(', ')}`);
        // Exactly once each.
        expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
        // None lost: the first DM, the status, the feed; step 1 (host again, manager), step 2 after the restart (the head).
        const id = visit.id;
        for (const k of [`visit:${id}:host:v1`, `visit:${id}:status`, `visit:${id}:feed:slack:${FEED}`, `visit:${id}:v1:s1:host`, `visit:${id}:v1:s1:mei.lin`, `visit:${id}:v1:s2:mei.lin`]) {
          expect(keys).toContain(k);
        }
        expect(keys.some((k) => k.includes(':s3:'))).toBe(false);
        // The reporter's status said the ladder stopped, in place.
        const status = fake.messagesIn(XIAO_WANG).find((m) => keyOf(m) === `visit:${id}:status`)!;
        await waitFor(() => (JSON.stringify(status.blocks).includes('kehu 已停止升级') ? true : undefined), { what: 'the status: stopped escalating' });
        expect(await db.prisma.job.count({ where: { status: 'dead' } })).toBe(0);
        second.p.child.kill('SIGTERM');
        expect(await second.p.exited).toBe(0);
      } finally {
        await fake.close();
        await db.close();
        await testDb.cleanup();
      }
    });
  }
});
