// Escalation survives the process (issue 12 points 5 and 9): the real service in a child
// process on a fast ladder (a step every 3 s), killed with SIGKILL between two escalation
// steps — step 1 delivered, step 2's check waiting in the queue — and started again on the
// same database after step 2 fell due. Every ping —
// the host's first DM, each repeat, the manager, the person on duty, the head, the feed —
// goes out exactly once (counted by the key each Slack message carries), none is lost, and
// the ladder stops at maxSteps. On SQLite and on PostgreSQL.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { messageKey } from '../fakes/fake-slack.ts';
import { PG_AVAILABLE } from '../db/databases.ts';
import { tempFiles, withCrashRig } from '../support/crash-rig.ts';
import { slashCommand } from '../support/slack-requests.ts';
import { SLACK } from '../support/test-org.ts';
import { waitFor } from '../support/wait-for.ts';

const FIXTURE = fileURLToPath(new URL('../support/fixtures/visitors-org.yaml', import.meta.url));
const XIAO_WANG = 'U0XIAOWANG';
const FEED = 'C0FRONTDESK';
/** 0.05 minutes: 3 s between steps, in and outside working hours; two steps, then the ladder stops. */
const STEP_MS = 3_000;

/** The visitors org with a fast ladder. */
function fastOrgFile(): string {
  return tempFiles('kehu-visit-crash-', { 'org.yaml': readFileSync(FIXTURE, 'utf8').replace('visitors:\n', 'visitors:\n  escalation: { workingMinutes: 0.05, outsideMinutes: 0.05, maxSteps: 2 }\n') })['org.yaml'];
}

// Both databases at once, each with its own fake Slack and processes: the file takes the time of one.
describe.concurrent('an escalation across a crash', { timeout: 90_000 }, () => {
  for (const provider of ['sqlite', 'postgresql'] as const) {
    it.skipIf(provider === 'postgresql' && !PG_AVAILABLE)(`SIGKILL between two steps: after the restart every ping goes out exactly once, none lost [${provider}]`, async () => {
      await withCrashRig(provider, { KEHU_ORG_FILE: fastOrgFile() }, async ({ fake, db, start, postSlack, delivered, keyCounts, endsCleanly }) => {
        /** Every keyed message kehu posted, by key: how many times each arrived. */
        const deliveries = () => keyCounts([SLACK.wuHao, SLACK.meiLin, SLACK.saraNg, XIAO_WANG, FEED], (k) => k.startsWith('visit:'));
        const first = await start();
        await postSlack(first.port, slashCommand({ userId: XIAO_WANG, text: 'visitor 远航船舶 name:孙先生 host:吴昊', responseUrl: fake.responseUrl(randomUUID()) }));
        // Step 1 (the host again, their manager, the person on duty) delivered and recorded: kill before step 2.
        const stepKeys = (step: number) => [...deliveries().keys()].filter((k) => k.includes(`:s${step}:`));
        await waitFor(() => (stepKeys(1).some((k) => k.endsWith(':host')) ? true : undefined), { what: 'the first repeat ping', timeoutMs: 30_000 });
        await delivered("step 1's notices recorded as sent");
        first.p.child.kill('SIGKILL');
        await first.p.exited;
        const beforeRestart = deliveries();
        expect([...beforeRestart.keys()].some((k) => k.includes(':s2:'))).toBe(false);
        expect(await db.prisma.job.count({ where: { kind: 'visitor.check', status: 'pending', idempotencyKey: { endsWith: ':s2' } } })).toBe(1);
        // Down for longer than a step: step 2 falls due while nobody runs.
        await new Promise((r) => setTimeout(r, STEP_MS * 1.5));
        const second = await start();
        const visit = await waitFor(async () => (await db.prisma.visit.findFirst({ where: { company: '远航船舶', step: 3 } })) ?? undefined, { what: 'the ladder to stop after step 2', timeoutMs: 30_000 });
        await delivered();
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
        const status = fake.messagesIn(XIAO_WANG).find((m) => messageKey(m) === `visit:${id}:status`)!;
        await waitFor(() => (JSON.stringify(status.blocks).includes('kehu 已停止升级') ? true : undefined), { what: 'the status: stopped escalating' });
        await endsCleanly(second.p);
      });
    });
  }
});
