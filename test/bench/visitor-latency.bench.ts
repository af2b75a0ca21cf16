// Visitor latency (issue 12 point 10): a submitted visitor form (view_submission) → the
// host's DM arriving at the fake Slack, p50/p99 at 1 and 20 concurrent reports, for kehu
// (inbox row, work thread, the report use case — routing, the visit written with its
// notices, the status and feed messages and the first escalation check in one transaction —
// then the notify job the commit wakes at once) and for a bare Bolt app whose listener acks
// and posts the DM itself, in the same run. Target: kehu p99 within 2x of bare Bolt (a person
// is standing at the door). Then the first escalation step: on a kehu whose org file
// escalates after 3 s, how late the repeat ping reaches the fake Slack after the step's due
// time (the check job's runAt), p50/p99. kehu, the bare app and the fake Slack each run in
// their own process (bench-server.ts); one machine, one clock.
//
// Nobody answers the latency half's reports, so its kehu escalates after the longest time
// the org file allows (2 hours): on the default ladder (1 minute outside working hours)
// every report of the run came back every minute with three more DMs and status updates,
// which a bare app that only posts the DM never does — at the default size kehu drowned
// in its own escalations, each late DM waited out the 15 s timeout, and the run went on
// for hours printing nothing. Each round prints its figures as it ends.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sealForm } from '../../src/chat/form-seal.ts';
import { openDatabase } from '../../src/db/client.ts';
import { SLACK_SIGNING_SECRET } from '../support/harness.ts';
import { signSlack, viewSubmission } from '../support/slack-requests.ts';
import { SLACK } from '../support/test-org.ts';
import { ms, percentile, post, spawnServer, table, type Bench, type BenchCheck, type ChildServer, type HttpShot } from './bench-kit.ts';

const CONCURRENCIES = [1, 20];
/**
 * Reports measured per concurrency and target: --requests, at most this many (the shared
 * default, 8,000, is sized for the ack benchmarks: here it took 9.7 minutes (579 s) on two
 * busy cores; 1,200 is about 2 and still 12 samples above the p99). KEHU_BENCH_VISITS sets it.
 */
const MAX_REPORTS = 1_200;
const ROUNDS = 6;
const MAX_RATIO = 2;
/** The escalation bench's ladder: 0.05 minutes. */
const STEP_MS = 3_000;
/** The latency half's ladder: the longest the org file allows, so that no step fires while it runs. */
const QUIET_STEP_MS = 120 * 60_000;
/** Our own bound for a due step: the worker's timer for the earliest job fires on time. */
const MAX_LATENESS_MS = 1_000;
const ORG = fileURLToPath(new URL('../support/fixtures/visitors-org.yaml', import.meta.url));
const REPORTER = 'U0XIAOWANG';

/** The visitors org with a ladder of `stepMs` in and outside working hours. */
function orgWithLadder(stepMs: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kehu-bench-visit-')), 'org.yaml');
  writeFileSync(path, readFileSync(ORG, 'utf8').replace('visitors:\n', `visitors:\n  escalation: { workingMinutes: ${stepMs / 60_000}, outsideMinutes: ${stepMs / 60_000}, maxSteps: 2 }\n`));
  return path;
}

const field = (name: string, value: string) => ({ [name]: { [name]: { type: 'plain_text_input', value } } });

/** The visitor form as Slack submits it, sealed for the front desk, asking for Tom Reed. */
function submission(company: string): HttpShot {
  const privateMetadata = sealForm(SLACK_SIGNING_SECRET, { request: { name: 'visitor.report', context: {} }, openedFor: 'xiao.wang', issuedAt: Date.now() });
  const req = viewSubmission({ userId: REPORTER, privateMetadata, values: { ...field('company', company), ...field('names', '基准先生'), ...field('host', 'Tom Reed') } });
  return { method: 'POST', path: '/slack/events', body: req.body, headers: { 'content-type': req.contentType, ...signSlack(SLACK_SIGNING_SECRET, req.body) } };
}

/** When the first `count` DMs to `user` containing `text` reached the fake (its clock); undefined after 15 s. */
async function arrivals(fakeUrl: string, user: string, text: string, count = 1): Promise<number[] | undefined> {
  const res = await fetch(`${fakeUrl}/_fake/posted?channel=${user}&count=${count}&contains=${encodeURIComponent(text)}`);
  return res.status === 200 ? ((await res.json()) as { at: number[] }).at : undefined;
}

export const visitorLatencyBench: Bench = {
  name: 'visitor-latency',
  description: "submitted visitor form → the host's DM at the fake Slack (kehu vs a bare Bolt app posting the DM itself), and the first escalation step's lateness",
  async run({ requests: asked, warmup }) {
    const requests = Number(process.env.KEHU_BENCH_VISITS ?? Math.min(asked, MAX_REPORTS));
    const servers: ChildServer[] = [];
    const loadAtStart = loadavg().map((l) => l.toFixed(2)).join(' ');
    const rows: string[][] = [];
    const checks: BenchCheck[] = [];
    const run = randomUUID().slice(0, 8);
    let seq = 0;
    const company = () => `基准访客${run}号${++seq}`;
    try {
      const fake = await spawnServer('fake-slack', {}, { nice: 10 });
      servers.push(fake);
      const slackApiUrl = `${fake.url}/api/`;
      const [bare, kehu] = await Promise.all([spawnServer('bare-bolt-visitor', { slackApiUrl, hostUserId: SLACK.tomReed }), spawnServer('kehu', { slackApiUrl, orgFile: orgWithLadder(QUIET_STEP_MS) }, { production: true })]);
      servers.push(bare!, kehu!);
      const targets = [
        { name: 'bare Bolt', url: bare!.url },
        { name: 'kehu', url: kehu!.url },
      ];

      // `concurrency` front-desk people each submitting a report and waiting for the host's DM, then the next.
      const reportBlock = async (url: string, concurrency: number, total: number) => {
        const latencies: number[] = [];
        const answers: number[] = [];
        let missing = 0;
        let bad = 0;
        let next = 0;
        const agent = new Agent({ keepAlive: true, maxSockets: concurrency * 2 });
        const person = async () => {
          while (next++ < total) {
            const c = company();
            const shot = submission(c);
            const waiting = arrivals(fake.url, SLACK.tomReed, c);
            const sentAt = Date.now();
            if ((await post(agent, url, shot)) !== 200) bad++;
            answers.push(Date.now() - sentAt);
            const at = await waiting;
            if (at) latencies.push(at[0]! - sentAt);
            else missing++;
          }
        };
        await Promise.all(Array.from({ length: concurrency }, person));
        agent.destroy();
        return { latencies, answers, missing, bad };
      };

      for (const concurrency of CONCURRENCIES) {
        const perRound = Math.max(concurrency, Math.ceil(requests / ROUNDS));
        const dm = new Map<string, number[]>(targets.map((t) => [t.name, []]));
        const answered = new Map<string, number[]>(targets.map((t) => [t.name, []]));
        let missing = 0;
        let bad = 0;
        for (const t of targets) await reportBlock(t.url, concurrency, Math.min(warmup, 100));
        for (let round = 0; round < ROUNDS; round++) {
          for (const t of round % 2 === 0 ? targets : [...targets].reverse()) {
            const started = performance.now();
            const r = await reportBlock(t.url, concurrency, perRound);
            // As soon as known: a round that stalls shows where, instead of a silent run.
            console.log(`  visitor-latency c=${concurrency} round ${round + 1}/${ROUNDS} ${t.name}: n ${r.latencies.length}, p50 ${ms(percentile(r.latencies, 50))} ms, p99 ${ms(percentile(r.latencies, 99))} ms, ${r.missing} DMs missing, ${r.bad} non-200 (${((performance.now() - started) / 1000).toFixed(1)} s)`);
            dm.get(t.name)!.push(...r.latencies);
            answered.get(t.name)!.push(...r.answers);
            missing += r.missing;
            bad += r.bad;
          }
        }
        const stat = (name: string, m = dm) => {
          const s = m.get(name)!;
          return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: Math.max(...s) };
        };
        const b = stat('bare Bolt');
        const k = stat('kehu');
        rows.push([String(concurrency), "form → host's DM", 'bare Bolt', String(b.n), ms(b.p50), ms(b.p99), ms(b.max)]);
        rows.push([String(concurrency), "form → host's DM", 'kehu', String(k.n), ms(k.p50), ms(k.p99), ms(k.max)]);
        for (const name of ['bare Bolt', 'kehu']) {
          const a = stat(name, answered);
          rows.push([String(concurrency), 'form → HTTP answer', name, String(a.n), ms(a.p50), ms(a.p99), ms(a.max)]);
        }
        checks.push({ name: `c=${concurrency}: kehu p99 within ${MAX_RATIO}x of bare Bolt`, ok: k.p99 <= MAX_RATIO * b.p99, detail: `${ms(k.p99)} ms vs ${ms(b.p99)} ms (${(k.p99 / b.p99).toFixed(2)}x)` });
        checks.push({ name: `c=${concurrency}: every report reached its host, every request answered 200`, ok: missing === 0 && bad === 0, detail: `${missing} DMs missing, ${bad} non-200` });
      }
      await kehu!.stop();
      await bare!.stop();

      // The first escalation step: reports nobody answers, on a kehu with a 3 s ladder; the
      // repeat ping's arrival against the step's due time (its job's runAt).
      const databaseUrl = `file:${join(mkdtempSync(join(tmpdir(), 'kehu-bench-esc-')), 'kehu.db')}`;
      const escalating = await spawnServer('kehu', { slackApiUrl, orgFile: orgWithLadder(STEP_MS), databaseUrl }, { production: true });
      servers.push(escalating);
      const db = await openDatabase(databaseUrl);
      const lateness: number[] = [];
      let lost = 0;
      try {
        const total = Math.max(20, Math.min(200, Math.ceil(requests / 40)));
        const agent = new Agent({ keepAlive: true, maxSockets: 40 });
        for (let batch = 0; batch < total / 20; batch++) {
          const companies = Array.from({ length: 20 }, company);
          await Promise.all(companies.map((c) => post(agent, escalating.url, submission(c))));
          const pings = await Promise.all(companies.map((c) => arrivals(fake.url, SLACK.tomReed, c, 2)));
          const visits = await db.prisma.visit.findMany({ where: { company: { in: companies } }, select: { id: true, company: true } });
          const due = new Map<string, number>();
          for (const j of await db.prisma.job.findMany({ where: { kind: 'visitor.check', idempotencyKey: { in: visits.map((v) => `visitor.check:${v.id}:v1:s1`) } }, select: { idempotencyKey: true, runAt: true } })) {
            due.set(j.idempotencyKey.split(':')[1]!, j.runAt.getTime());
          }
          companies.forEach((c, i) => {
            const id = visits.find((v) => v.company === c)?.id;
            const at = pings[i]?.[1];
            if (!id || at === undefined || !due.has(id)) lost++;
            else lateness.push(at - due.get(id)!);
          });
          console.log(`  visitor-latency first step, batch ${batch + 1}/${Math.ceil(total / 20)}: lateness p99 so far ${ms(percentile(lateness, 99))} ms, ${lost} lost`);
        }
        agent.destroy();
      } finally {
        await db.close();
      }
      rows.push(['20', 'first step: due → repeat ping', 'kehu', String(lateness.length), ms(percentile(lateness, 50)), ms(percentile(lateness, 99)), ms(Math.max(...lateness))]);
      checks.push({ name: `first escalation step: lateness p99 ≤ ${MAX_LATENESS_MS} ms after its due time, none lost`, ok: lost === 0 && percentile(lateness, 99) <= MAX_LATENESS_MS, detail: `p99 ${ms(percentile(lateness, 99))} ms, max ${ms(Math.max(...lateness))} ms, ${lost} lost` });
    } finally {
      await Promise.all(servers.map((s) => s.stop().catch(() => {})));
    }
    const report = [
      `ms; form → host's DM: from sending the view_submission to the fake Slack receiving the host's chat.postMessage; first step: the repeat ping's arrival after the check job's runAt (a ${STEP_MS / 1000} s ladder, 20 reports at a time);`,
      `${ROUNDS} alternating rounds per concurrency; kehu, bare Bolt and the fake Slack each in their own process; kehu on SQLite; ${cpus().length} CPUs, load average at start ${loadAtStart}`,
      table(['concurrency', 'what', 'target', 'n', 'p50', 'p99', 'max'], rows),
    ].join('\n');
    return { report, checks };
  },
};
