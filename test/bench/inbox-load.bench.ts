// The inbox under load: 200 clients post signed slash commands to kehu (its own process,
// with the fake Slack in another) for 30 s as fast as kehu acks them; then the backlog
// drains. Every acked command must be answered exactly once (one reply per response_url),
// kehu's memory must stay within 1.5x of its idle size (the backlog lives in the
// database, not in memory), and the drain time is printed. On SQLite, and on PostgreSQL
// when a server answers (KEHU_TEST_PG_URL), where no transaction may expire under the load.
//   npm run bench -- inbox-load            KEHU_BENCH_SECONDS=10 for a shorter run, KEHU_BENCH_DATABASES=sqlite for one database
import { Agent, request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { canConnect, createScratchDatabase } from '../../src/db/pg-admin.ts';
import { SLACK_SIGNING_SECRET } from '../support/harness.ts';
import { signSlack, slashCommand } from '../support/slack-requests.ts';
import { SLACK } from '../support/test-org.ts';
import { mixedCommand, ms, percentile, rssMb, spawnServer, table, type Bench, type BenchCheck } from './bench-kit.ts';

const CLIENTS = 200;
const PG_ADMIN_URL = process.env.KEHU_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

interface Stats {
  responses: number;
  distinctResponses: number;
}

export const inboxLoadBench: Bench = {
  name: 'inbox-load',
  description: `${CLIENTS} clients post commands for a while; every ack answered once, memory bounded, drain time`,
  async run() {
    const seconds = Number(process.env.KEHU_BENCH_SECONDS ?? 30);
    const rows: string[][] = [];
    const checks: BenchCheck[] = [];
    const databases: Array<{ name: string; url?: string; drop?: () => Promise<void> }> = [{ name: 'sqlite' }];
    // KEHU_BENCH_DATABASES=sqlite (or postgresql) runs one of them only.
    const only = process.env.KEHU_BENCH_DATABASES;
    if (only !== 'sqlite' && (await canConnect(PG_ADMIN_URL))) {
      const scratch = await createScratchDatabase(PG_ADMIN_URL, 'kehu_bench_load');
      databases.push({ name: 'postgresql', url: scratch.url, drop: () => scratch.drop() });
    }
    for (const db of databases.filter((d) => !only || d.name === only)) {
      const fake = await spawnServer('fake-slack', {}, { nice: 10 });
      // With the node flags of `npm start`: what an operator runs.
      const kehu = await spawnServer('kehu', { slackApiUrl: `${fake.url}/api/`, databaseUrl: db.url }, { production: true });
      try {
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        const idle = rssMb(kehu.pid);
        let peak = idle;
        const watch = setInterval(() => (peak = Math.max(peak, rssMb(kehu.pid))), 200);
        const stats = async () => (await (await fetch(`${fake.url}/_fake/stats`)).json()) as Stats;

        // Closed loop: each client posts its next command as soon as the previous is acked.
        const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
        const target = new URL(kehu.url);
        const latencies: number[] = [];
        const statuses = new Map<number, number>();
        const deadline = performance.now() + seconds * 1000;
        let sent = 0;
        const one = () =>
          new Promise<void>((resolve, reject) => {
            const req0 = slashCommand({ userId: SLACK.tomReed, text: mixedCommand(sent), responseUrl: `${fake.url}/response/${randomUUID()}` });
            sent++;
            const body = Buffer.from(req0.body);
            const started = performance.now();
            const req = request(
              {
                host: target.hostname,
                port: target.port,
                method: 'POST',
                path: '/slack/events',
                agent,
                headers: { 'content-type': req0.contentType, ...signSlack(SLACK_SIGNING_SECRET, req0.body), 'content-length': String(body.length) },
              },
              (res) => {
                res.resume();
                res.on('end', () => {
                  latencies.push(performance.now() - started);
                  statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
                  resolve();
                });
              },
            );
            req.on('error', reject);
            req.end(body);
          });
        const loadStarted = performance.now();
        await Promise.all(
          Array.from({ length: CLIENTS }, async () => {
            while (performance.now() < deadline) await one();
          }),
        );
        const loadSeconds = (performance.now() - loadStarted) / 1000;
        agent.destroy();
        const acked = statuses.get(200) ?? 0;
        const atEnd = (await stats()).distinctResponses;

        // Drain: wait until every acked command has its reply (bounded: 20 minutes).
        const drainStarted = performance.now();
        let s = await stats();
        while (s.distinctResponses < acked && performance.now() - drainStarted < 20 * 60_000) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          s = await stats();
        }
        const drainSeconds = (performance.now() - drainStarted) / 1000;
        await new Promise((resolve) => setTimeout(resolve, 1_000)); // a late duplicate would show now
        s = await stats();
        clearInterval(watch);
        const after = rssMb(kehu.pid);
        // /healthz judges the backlog by the work thread's last queue sample (every 5 s): read it once a sample after the drain is in.
        await new Promise((resolve) => setTimeout(resolve, 5_500));
        const health = (await (await fetch(`${kehu.url}/healthz`)).json()) as { status: string };

        rows.push([
          db.name,
          String(sent),
          String(acked),
          (acked / loadSeconds).toFixed(0),
          ms(percentile(latencies, 50)),
          ms(percentile(latencies, 99)),
          String(atEnd),
          drainSeconds.toFixed(1),
          idle.toFixed(0),
          peak.toFixed(0),
          after.toFixed(0),
          health.status,
        ]);
        // Printed as soon as it is known: a run cut short still tells what it measured.
        console.log(`inbox-load ${db.name}: ${rows[rows.length - 1]!.join(' | ')}`);
        const non200 = sent - acked;
        checks.push({ name: `${db.name}: every request acked with 200`, ok: non200 === 0, detail: `${non200} of ${sent} not 200 (${JSON.stringify([...statuses])})` });
        checks.push({
          name: `${db.name}: every acked command answered exactly once`,
          ok: s.distinctResponses === acked && s.responses === acked,
          detail: `${s.distinctResponses} answered of ${acked}, ${s.responses - s.distinctResponses} answered twice`,
        });
        checks.push({ name: `${db.name}: peak RSS within 1.5x of idle`, ok: peak <= idle * 1.5, detail: `${peak.toFixed(0)} MB peak vs ${idle.toFixed(0)} MB idle (${(peak / idle).toFixed(2)}x)` });
      } finally {
        await kehu.stop();
        await fake.stop();
        await db.drop?.().catch(() => undefined);
      }
    }
    const report = [
      `${CLIENTS} clients, ${seconds} s of load per database, then the drain; kehu and the fake Slack each in their own process`,
      table(['database', 'sent', 'acked', 'acks/s', 'ack p50 ms', 'ack p99 ms', 'answered at end', 'drain s', 'RSS idle MB', 'RSS peak MB', 'RSS after MB', '/healthz after'], rows),
    ].join('\n');
    return { report, checks };
  },
};
