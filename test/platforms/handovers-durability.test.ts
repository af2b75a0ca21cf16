// Handover prompts survive the process (issue 14 points 4 and 8: "a crash between two
// prompts (each once)"): the real service in a child process on a clock the test sets
// (test/support/shifted-clock.cjs) and moves between runs. Friday: the manager starts a
// handover over Slack's HTTP endpoint. Monday 09:00: the working morning's prompts go out —
// the leaver's is delivered, the successor's is posted but its answer never comes back,
// the manager's progress hangs before Slack takes it — and kehu is SIGKILLed there, between
// two prompts. Restarted five minutes later on the same database: the successor's prompt is
// not posted again (kehu finds it in the DM first), the progress is posted once, the
// leaver's is not repeated, and the morning is not run a second time. Tuesday 09:00 after
// another restart: that day's prompts, once each. On SQLite and on PostgreSQL.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { messageKey } from '../fakes/fake-slack.ts';
import { PG_AVAILABLE } from '../db/databases.ts';
import { withCrashRig } from '../support/crash-rig.ts';
import { blockActions } from '../support/slack-requests.ts';
import { SLACK, TEST_ORG_FILE } from '../support/test-org.ts';
import { waitFor } from '../support/wait-for.ts';

/** Friday 2026-12-11 10:00 in Shanghai: the handover starts (last day the Friday after). */
const FRIDAY = Date.parse('2026-12-11T02:00:00Z');
/** Monday 09:00:05 in Shanghai: the morning's slot (09:00) has just passed; the start-up's catch-up enqueues it. */
const MONDAY = Date.parse('2026-12-14T01:00:05Z');
const TUESDAY = Date.parse('2026-12-15T01:00:05Z');
const MINUTE = 60_000;

const pressable = (body: Record<string, unknown>, prefix: string) =>
  ((body.blocks ?? []) as { elements?: { action_id?: string; value?: string }[] }[]).flatMap((b) => b.elements ?? []).find((e) => e.action_id?.startsWith(prefix));

describe.concurrent('handover prompts across a crash', { timeout: 120_000 }, () => {
  for (const provider of ['sqlite', 'postgresql'] as const) {
    it.skipIf(provider === 'postgresql' && !PG_AVAILABLE)(`SIGKILL between two morning prompts: after the restart each prompt goes out exactly once, none lost [${provider}]`, async () => {
      // kehu's time, and Slack's: set at each start (startAt), running on with real time.
      await withCrashRig(provider, { KEHU_ORG_FILE: TEST_ORG_FILE }, async ({ fake, db, startAt: start, postSlack: post, say, delivered, keyCounts, endsCleanly }) => {
        /** Every handover prompt and progress kehu posted, by key: how many times each arrived. */
        const deliveries = () => keyCounts([SLACK.tomReed, SLACK.wuHao, SLACK.meiLin], (key) => key.startsWith('handover-prompt:') || key.startsWith('handover-progress:'));
        const jobOf = (key: string) => db.prisma.job.findUnique({ where: { idempotencyKey: key }, select: { status: true, attempts: true } });
        // Friday: Tom leaves; two customers at 25% (an intro call and a note each) go to 吴昊 by the 18th.
        const friday = await start(FRIDAY);
        for (const name of ['晨星物流', '远帆重工']) {
          await say(friday.port, SLACK.tomReed, `claim ${name}`);
          await say(friday.port, SLACK.tomReed, `stage ${name} 25 contact:王总 phone:13800000000`);
        }
        const plan = await say(friday.port, SLACK.meiLin, '交接 tom.reed 给 wu.hao 最后一天 2026-12-18');
        const button = pressable(plan, 'kehu:handover.start')!;
        const pressed = randomUUID();
        await post(friday.port, blockActions({ userId: SLACK.meiLin, actionId: button.action_id!, value: JSON.parse(button.value!) as Record<string, string>, responseUrl: fake.responseUrl(pressed) }));
        expect(JSON.stringify((await fake.waitForResponse((r) => r.id === pressed, { timeoutMs: 20_000 })).body)).toContain('0 个已立即移交，2 个须在 2026-12-18 前逐个交接');
        const handover = await db.prisma.handover.findFirstOrThrow({ where: { leaverId: 'tom.reed', status: 'open' }, select: { id: true } });
        friday.p.child.kill('SIGTERM');
        expect(await friday.p.exited).toBe(0);

        // Monday 09:00: 吴昊's prompt reaches Slack but its answer is lost; 林梅's progress is never taken. Kill between the prompts.
        fake.failNext('chat.postMessage', { hang: true, afterDelivery: true }, 1, (p) => String(p.text).includes('交接：还剩 4 个工作日'));
        fake.failNext('chat.postMessage', { hang: true }, 1, (p) => String(p.text).includes('Tom Reed 的交接：已完成 0/2'));
        const monday = await start(MONDAY);
        const tomPrompt = `handover-prompt:tom.reed:2026-12-14`;
        const wuPrompt = `handover-prompt:wu.hao:2026-12-14`;
        const progress = `handover-progress:${handover.id}:2026-12-14`;
        await waitFor(async () => (fake.hanging === 2 && (await jobOf(tomPrompt))?.status === 'done' ? true : undefined), { what: "Tom's prompt delivered, 吴昊's and the progress hanging", timeoutMs: 30_000 });
        monday.p.child.kill('SIGKILL');
        await monday.p.exited;
        const beforeRestart = deliveries();
        expect([...beforeRestart.entries()].sort()).toEqual([[tomPrompt, 1], [wuPrompt, 1]]);
        expect((await jobOf(wuPrompt))?.status).toBe('running');
        expect((await jobOf(progress))?.status).toBe('running');

        // Five minutes later (the dead process's leases have run out): the same morning, finished.
        const restarted = await start(MONDAY + 5 * MINUTE);
        await waitFor(async () => ((await jobOf(progress))?.status === 'done' && (await jobOf(wuPrompt))?.status === 'done' ? true : undefined), { what: "the progress and 吴昊's prompt finished after the restart", timeoutMs: 30_000 });
        await delivered();
        expect((await jobOf(wuPrompt))?.attempts).toBe(2);
        expect([...deliveries().entries()].sort()).toEqual([[progress, 1], [tomPrompt, 1], [wuPrompt, 1]]);
        // The morning ran once: its start-up catch-up found Monday's slot taken.
        expect(await db.prisma.job.count({ where: { kind: 'handover.morning', runAt: { gte: new Date(MONDAY - MINUTE) } } })).toBe(1);
        restarted.p.child.kill('SIGTERM');
        expect(await restarted.p.exited).toBe(0);

        // Tuesday 09:00: that day's prompts, once each; Monday's not again.
        const tuesday = await start(TUESDAY);
        const tuesdayKeys = ['handover-prompt:tom.reed:2026-12-15', 'handover-prompt:wu.hao:2026-12-15', `handover-progress:${handover.id}:2026-12-15`];
        await waitFor(() => (tuesdayKeys.every((k) => deliveries().has(k)) ? true : undefined), { what: "Tuesday's prompts", timeoutMs: 30_000 });
        await delivered();
        const counts = deliveries();
        console.log(`[handover crash ${provider}] ${[...counts.keys()].sort().join(', ')}`);
        expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
        expect([...counts.keys()].sort()).toEqual([progress, tomPrompt, wuPrompt, ...tuesdayKeys].sort());
        // Tuesday counts back from the 18th: three working days left.
        expect(fake.messagesIn(SLACK.tomReed).find((m) => messageKey(m) === 'handover-prompt:tom.reed:2026-12-15')?.text).toContain('Handover: 3 working days left: 2 calls, 2 notes.');
        await endsCleanly(tuesday.p);
      });
    });
  }
});
