// Several kehu replicas as a company runs them (issue 16): one PostgreSQL database, N real
// processes started with `npm start`'s node command (bench-kit's productionCommand(): the same
// flags and MALLOC_ARENA_MAX), each on a port of its own, nginx in front (nginx.ts: the deploy
// site, round-robin) and one fake Slack for all of them. Helpers stop a replica with SIGTERM and
// start it again on its port (a rolling restart is that, one replica after another), or SIGKILL
// it; the keyed messages are counted at the fake by key, as the crash rig does; the database's
// connections are counted in pg_stat_activity. The database is a scratch database on the shared
// server, or — for a test that restarts PostgreSQL — one on a cluster of the rig's own
// (own-postgres.ts): the shared server is never restarted. Usable from vitest and from
// `npm run soak` alike (no vitest hooks: everything started is stopped in the rig's finally).
import { openDatabase, type Database } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { createScratchDatabase, queryOnce, type ScratchDatabase } from '../../src/db/pg-admin.ts';
import { productionCommand, rssMb } from '../bench/bench-kit.ts';
import { PG_ADMIN_URL } from '../db/databases.ts';
import { keyCounts, startFakeSlack, type FakeSlack, type SlackUser } from '../fakes/fake-slack.ts';
import { SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET } from './harness.ts';
import { runKehu, shiftedClockEnv, type KehuProcess } from './kehu-process.ts';
import { freePort, startNginx, type Nginx } from './nginx.ts';
import { startOwnPostgres, type OwnPostgres } from './own-postgres.ts';

export interface Replica {
  index: number;
  port: number;
  /** The running process; undefined while stopped. */
  p?: KehuProcess;
  /** Every process this replica ran, in order (the stopped ones' logs stay readable). */
  runs: KehuProcess[];
  /** RSS (MB) of its first process once listening. */
  rssStartMb?: number;
}

export interface ReplicaRig {
  fake: FakeSlack;
  /** The test's own connection to the replicas' database. */
  db: Database;
  databaseUrl: string;
  databaseName: string;
  /** The rig's own cluster, when started with postgres: 'own'. */
  pg?: OwnPostgres;
  nginx: Nginx;
  /** nginx's URL: what Slack and Lark would call. */
  url: string;
  replicas: Replica[];
  /** Starts replica i (stopped or never started) on its port; resolves once it listens and handles signals. */
  start(i: number): Promise<void>;
  /** SIGTERM to replica i; resolves with its exit code once it is gone. */
  stop(i: number): Promise<number | null>;
  /** stop(i) then start(i), as a deploy does it; rejects when the stop does not exit 0. */
  restart(i: number): Promise<void>;
  /** SIGKILL to replica i; resolves once it is gone. */
  kill(i: number): Promise<void>;
  /** RSS (MB) of replica i's running process. */
  rss(i: number): number;
  keyCounts(where: readonly string[], keep: (key: string) => boolean): Map<string, number>;
  /** The replicas' connections to their database now (pg_stat_activity, the rig's own excluded), by application_name. */
  pgConnections(): Promise<Map<string, number>>;
}

export interface ReplicaRigOptions {
  replicas: number;
  /** 'shared': a scratch database on KEHU_TEST_PG_URL's server; 'own': a cluster of the rig's own (restartable). */
  postgres?: 'shared' | 'own';
  /** Added to every replica's env (KEHU_ORG_FILE, LOG_LEVEL, ...). */
  env?: Record<string, string>;
  slackUsers?: Record<string, SlackUser>;
  /** Every replica's clock this far ahead of real time (shifted-clock.cjs), the same for all and for each restart. */
  clockOffsetMs?: number;
}

const production = productionCommand();
const RIG_APPLICATION = 'kehu-test-rig';

export async function withReplicaRig<T>(o: ReplicaRigOptions, body: (rig: ReplicaRig) => Promise<T>): Promise<T> {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  const running = new Set<KehuProcess>();
  try {
    const pg = o.postgres === 'own' ? await startOwnPostgres() : undefined;
    if (pg) cleanups.push(() => pg.stop());
    const scratch: ScratchDatabase = await createScratchDatabase(pg?.adminUrl ?? PG_ADMIN_URL, 'kehu_r');
    cleanups.push(() => scratch.drop());
    // Migrated once before any replica starts: the replicas then start together (each still
    // checks, under the advisory lock, and finds nothing to apply).
    await migrateDatabase(scratch.url);
    const db = await openDatabase(scratch.url, { poolSize: 2, applicationName: RIG_APPLICATION });
    cleanups.push(() => db.close());
    const fake = await startFakeSlack({ users: o.slackUsers ?? {} });
    cleanups.push(() => fake.close());

    const replicas: Replica[] = [];
    for (let index = 0; index < o.replicas; index++) replicas.push({ index, port: await freePort(), runs: [] });
    const nginx = await startNginx(replicas.map((r) => r.port));
    cleanups.push(() => nginx.stop());
    // Last registered, first run: the processes go before nginx, the fake and the database.
    cleanups.push(async () => {
      for (const p of running) p.child.kill('SIGKILL');
      await Promise.all([...running].map((p) => p.exited));
    });

    const replica = (i: number) => {
      const r = replicas[i];
      if (!r) throw new Error(`no replica ${i} (the rig has ${replicas.length})`);
      return r;
    };
    const gone = async (r: Replica) => {
      const p = r.p!;
      const code = await p.exited;
      running.delete(p);
      r.p = undefined;
      return code;
    };
    const rig: ReplicaRig = {
      fake,
      db,
      databaseUrl: scratch.url,
      databaseName: scratch.name,
      pg,
      nginx,
      url: nginx.url,
      replicas,
      async start(i) {
        const r = replica(i);
        if (r.p) throw new Error(`replica ${i} is running`);
        const p = runKehu(
          { ...production.env, DATABASE_URL: scratch.url, PORT: String(r.port), SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, ...(o.clockOffsetMs ? shiftedClockEnv(o.clockOffsetMs) : {}), ...o.env },
          { nodeArgs: production.args },
        );
        r.p = p;
        r.runs.push(p);
        running.add(p);
        try {
          await p.listening(60_000);
        } catch (e) {
          throw new Error(`replica ${i} did not start: ${(e as Error).message}\nstderr: ${p.out.stderr.slice(-1000)}\nstdout: ${p.out.stdout.slice(-2000)}`);
        }
        r.rssStartMb ??= rssMb(p.child.pid!);
      },
      async stop(i) {
        const r = replica(i);
        if (!r.p) throw new Error(`replica ${i} is not running`);
        r.p.child.kill('SIGTERM');
        return gone(r);
      },
      async restart(i) {
        const code = await rig.stop(i);
        if (code !== 0) throw new Error(`replica ${i} exited ${code} on SIGTERM: ${replica(i).runs.at(-1)!.out.stderr.slice(-1000)}`);
        await rig.start(i);
      },
      async kill(i) {
        const r = replica(i);
        if (!r.p) throw new Error(`replica ${i} is not running`);
        r.p.child.kill('SIGKILL');
        await gone(r);
      },
      rss(i) {
        const p = replica(i).p;
        return p ? rssMb(p.child.pid!) : Number.NaN;
      },
      keyCounts: (where, keep) => keyCounts(fake, where, keep),
      async pgConnections() {
        const rows = await queryOnce<{ name: string; n: string }>(
          pg?.adminUrl ?? PG_ADMIN_URL,
          `SELECT application_name AS name, count(*) AS n FROM pg_stat_activity WHERE datname = '${scratch.name}' AND application_name <> '${RIG_APPLICATION}' GROUP BY 1`,
        );
        return new Map(rows.map((r) => [r.name, Number(r.n)]));
      },
    };
    await Promise.all(replicas.map((r) => rig.start(r.index)));
    return await body(rig);
  } finally {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (e) {
        console.warn(`[replica rig] cleanup: ${(e as Error).message}`);
      }
    }
  }
}
