// Child process for benchmarks: runs ONE server so that the service under test, the fake
// platform and the load generator do not share an event loop (in production they never
// do). Prints one JSON line {"url": ...} when ready; answers {cpu, mainNs, loop} (process.cpuUsage, µs; the main thread's own CPU, ns;
// event-loop delay p99 and max since the previous answer, ms) on the IPC channel when
// asked; stops on SIGTERM or when stdin closes.
//   tsx test/bench/bench-server.ts fake-slack
//   tsx test/bench/bench-server.ts kehu '{"slackApiUrl":"http://127.0.0.1:PORT/api/"}'
//   tsx test/bench/bench-server.ts bare-bolt '{"slackApiUrl":"..."}'
//   tsx test/bench/bench-server.ts bare-bolt-respond '{"slackApiUrl":"..."}'   (acks, then respond()s once)
//   tsx test/bench/bench-server.ts bare-bolt-modal '{"slackApiUrl":"..."}'     (a press opens a modal; a submission gets errors)
//   tsx test/bench/bench-server.ts bare-bolt-visitor '{"slackApiUrl":"...","hostUserId":"U…"}'   (a submission: ack, then the host's DM)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { startKehu } from '../../src/app.ts';
import { openDatabase } from '../../src/db/client.ts';
import { seedCustomers } from '../support/seed-customers.ts';
import { startBareBolt } from './bare-bolt.mjs';
import { startFakeSlack } from '../fakes/fake-slack.ts';
import { SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET } from '../support/harness.ts';
import { TEST_ORG_FILE, testSlackUsers } from '../support/test-org.ts';

export type BenchServerKind = 'fake-slack' | 'kehu' | 'bare-bolt' | 'bare-bolt-respond' | 'bare-bolt-modal' | 'bare-bolt-visitor';

interface Args {
  slackApiUrl?: string;
  /** kehu's database (default a fresh SQLite file). */
  databaseUrl?: string;
  /** kehu: customers of Tom Reed (林梅's report) seeded before start, for a manager's export. */
  seed?: number;
  /** kehu's org file (default the test org). */
  orgFile?: string;
  /** bare-bolt-visitor: whom the DM goes to. */
  hostUserId?: string;
}

async function start(kind: BenchServerKind, args: Args): Promise<{ url: string; stop(): Promise<void> }> {
  switch (kind) {
    case 'fake-slack': {
      const fake = await startFakeSlack({ users: testSlackUsers() });
      return { url: fake.url, stop: () => fake.close() };
    }
    case 'kehu': {
      const dir = mkdtempSync(join(tmpdir(), 'kehu-bench-'));
      const databaseUrl = args.databaseUrl ?? `file:${join(dir, 'kehu.db')}`;
      if (args.seed) {
        const db = await openDatabase(databaseUrl, { migrate: true });
        await seedCustomers(db, Array.from({ length: args.seed }, (_, i) => ({ name: `基准测试客户${i}有限公司`, ownerId: 'tom.reed', stage: 25 })));
        await db.close();
      }
      const kehu = await startKehu({
        settings: {
          databaseUrl,
          port: 0,
          orgFile: args.orgFile ?? TEST_ORG_FILE,
          // Production's default level: what an operator would run.
          logLevel: 'info',
          slack: { botToken: SLACK_BOT_TOKEN, signingSecret: SLACK_SIGNING_SECRET, apiUrl: args.slackApiUrl },
        },
        logTo: { write: () => true },
        host: '127.0.0.1',
      });
      return {
        url: `http://127.0.0.1:${kehu.port}`,
        stop: async () => {
          await kehu.stop();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    case 'bare-bolt':
    case 'bare-bolt-respond':
    case 'bare-bolt-modal':
    case 'bare-bolt-visitor':
      return startBareBolt({
        signingSecret: SLACK_SIGNING_SECRET,
        slackApiUrl: args.slackApiUrl,
        respond: kind === 'bare-bolt-respond',
        modal: kind === 'bare-bolt-modal',
        visitor: kind === 'bare-bolt-visitor' ? { hostUserId: args.hostUserId ?? 'U0TOMREED' } : undefined,
      });
  }
}

const kind = process.argv[2] as BenchServerKind;
const running = await start(kind, JSON.parse(process.argv[3] ?? '{}') as Args);
process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  running.stop().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
// How late the server's event loop ran since the last 'cpu' question: its own stalls
// (GC, synchronous work, waiting for a core). The histogram records whole timer periods,
// so the 1 ms period itself is taken off.
const LOOP_TIMER_MS = 1;
const loop = monitorEventLoopDelay({ resolution: LOOP_TIMER_MS });
loop.enable();
const late = (ns: number) => Math.max(0, ns / 1e6 - LOOP_TIMER_MS);
/** CPU time of this process's main thread alone, ns (Linux schedstat; 0 elsewhere): the thread that acks. */
function mainThreadCpuNs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return 0;
  }
}
process.on('message', (m) => {
  if (m !== 'cpu') return;
  process.send?.({ cpu: process.cpuUsage(), mainNs: mainThreadCpuNs(), loop: { p99: late(loop.percentile(99)), max: late(loop.max) } });
  loop.reset();
});
process.stdin.on('end', stop);
process.stdin.resume();
