// The weekly digest build for an org of 500 reps under 50 managers: every manager's digest
// (the figures through the DigestSource, the text of every page, both charts) against the
// floor timed in the same run — hand-written SQL computing the same figures for all reps at
// once, one grouped aggregate per table — on SQLite and on PostgreSQL, with peak memory
// (RSS of kehu's process; the chart process is apart). Memory must not grow with the follow-ups:
// the build runs once with a tenth of them and again with all of them, on the same book.
//
// Sizes: the default is a tenth of the issue's (100,000 customers, 1,000,000 follow-ups,
// 200,000 stage changes: a few minutes for both databases); KEHU_BENCH_DIGEST_SCALE=full
// seeds the issue's 1,000,000 / 10,000,000 / 2,000,000 (seeding alone then takes minutes
// per database). The 3x target is judged at the full size only (at a tenth the charts' fixed
// cost outweighs a floor that shrank with the rows). Rows are generated inside the database (a recursive CTE on SQLite,
// generate_series on PostgreSQL) with the secondary indexes dropped and rebuilt after.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOrgText } from '../../src/config/org-file.ts';
import type { Services } from '../../src/chat/command.ts';
import { digestPages } from '../../src/chat/digests/digest-message.ts';
import { weekPeriod } from '../../src/core/digests/period.ts';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { canConnect, createScratchDatabase } from '../../src/db/pg-admin.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { createServices } from '../../src/platforms/back-office.ts';
import { CHART_PROCESSES, chartRenderer } from '../../src/platforms/charts/chart-renderer.ts';
import { DEFAULT_CONCURRENCY } from '../../src/jobs/worker.ts';
import { digestInstant } from '../../src/core/digests/batch-figures.ts';
import { rssMb, table, type Bench, type BenchCheck } from './bench-kit.ts';

const FULL = process.env.KEHU_BENCH_DIGEST_SCALE === 'full';
const SCALE = FULL ? { customers: 1_000_000, followUps: 10_000_000, stageChanges: 2_000_000 } : { customers: 100_000, followUps: 1_000_000, stageChanges: 200_000 };
const MANAGERS = 50;
const REPS = 500;
const MAX_RATIO = 3;
const MAX_MEMORY_GROWTH = 1.25;
const PG_URL = process.env.KEHU_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const TZ = 'Asia/Shanghai';
// Monday 2026-01-12 09:00 Shanghai: the digests of the week of 2026-01-05.
const NOW = new Date('2026-01-12T01:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;
const DAY_S = 86_400;
const PERIOD = weekPeriod('2026-01-05', TZ);

const ORG = `
company: Bench Co
timezone: ${TZ}
departments:
  - { id: sales, name: 销售部, kind: sales, head: boss }
people:
  - { id: boss, name: 总监, email: boss@bench.test, department: sales }
${Array.from({ length: MANAGERS }, (_, m) => `  - { id: m${m}, name: 经理${m}, email: m${m}@bench.test, department: sales, manager: boss }`).join('\n')}
${Array.from({ length: REPS }, (_, r) => `  - { id: rep${r}, name: 销售${r}号, email: rep${r}@bench.test, department: sales, manager: m${r % MANAGERS}, roles: [rep] }`).join('\n')}
`;

type Provider = Database['provider'];

/** SQL that makes a timestamp `secondsExpr` seconds after the epoch, stored as Prisma stores a DateTime. */
const at = (p: Provider, secondsExpr: string) =>
  p === 'sqlite' ? `(strftime('%Y-%m-%dT%H:%M:%S', ${secondsExpr}, 'unixepoch') || '.000+00:00')` : `(to_timestamp(${secondsExpr}) AT TIME ZONE 'UTC')`;
/** Rows 0..n-1 as `i`: the source of an INSERT … SELECT. */
const series = (p: Provider, n: number, from = 0) =>
  p === 'sqlite' ? `(WITH RECURSIVE s(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM s WHERE i < ${from + n - 1}) SELECT i FROM s) AS g` : `generate_series(${from}::bigint, ${from + n - 1}) AS g(i)`;
// SQLite's || binds tighter than %: each part in parentheses.
const cat = (p: Provider, ...parts: string[]) => (p === 'sqlite' ? parts.map((x) => `(${x})`).join(' || ') : `concat(${parts.join(', ')})`);

const SEEDED_TABLES = ['Customer', 'FollowUp', 'StageChange', 'OwnershipEvent'];

async function secondaryIndexes(db: Database): Promise<{ name: string; sql: string }[]> {
  const list = SEEDED_TABLES.map((t) => `'${t}'`).join(',');
  if (db.provider === 'sqlite') return db.prisma.$queryRawUnsafe(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${list})`);
  return db.prisma.$queryRawUnsafe(`SELECT indexname AS name, indexdef AS sql FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN (${list}) AND indexname NOT LIKE '%_pkey'`);
}

/**
 * Runs one seeding statement. On PostgreSQL without the service's statement timeout (a
 * million rows in one INSERT … SELECT outlasts it on a busy machine): SET LOCAL in its own
 * transaction, so the pool's connection keeps the service's setting.
 */
async function seedStatement(db: Database, sql: string): Promise<void> {
  if (db.provider === 'sqlite') {
    await db.prisma.$executeRawUnsafe(sql);
    return;
  }
  await db.prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL statement_timeout = 0');
      await tx.$executeRawUnsafe(sql);
    },
    { timeout: 30 * 60_000 },
  );
}

async function seedBook(db: Database): Promise<void> {
  const p = db.provider;
  const x = (sql: string) => seedStatement(db, sql);
  const C = SCALE.customers;
  if (p === 'sqlite') await x('PRAGMA foreign_keys = OFF');
  // Stage by the seed's shape: of every 185 customers 100 at 0%, 50 at 25%, 20 at 50%, 10 at 75%, 5 at 100%.
  const stage = `CASE WHEN i % 185 < 100 THEN 0 WHEN i % 185 < 150 THEN 25 WHEN i % 185 < 170 THEN 50 WHEN i % 185 < 180 THEN 75 ELSE 100 END`;
  const touched = `${NOW_S} - (i * 7919) % (60 * ${DAY_S})`;
  await x(`INSERT INTO "Customer" ("id","name","nameKey","pinyin","initials","ownerId","stage","claimedAt","lastTouchAt","releaseAt","createdAt","updatedAt")
    SELECT ${cat(p, "'c'", 'i')}, ${cat(p, "'客户'", 'i')}, ${cat(p, "'k'", 'i')}, '', '', ${cat(p, "'rep'", `i % ${REPS}`)}, ${stage},
      ${at(p, `${NOW_S} - (i * 104729) % (365 * ${DAY_S})`)}, ${at(p, touched)}, ${at(p, `${touched} + 30 * ${DAY_S}`)}, ${at(p, String(NOW_S))}, ${at(p, String(NOW_S))}
    FROM ${series(p, C)}`);
  await x(`INSERT INTO "OwnershipEvent" ("id","customerId","kind","toPersonId","byPersonId","at")
    SELECT ${cat(p, "'o'", 'i')}, ${cat(p, "'c'", 'i')}, 'claim', ${cat(p, "'rep'", `i % ${REPS}`)}, ${cat(p, "'rep'", `i % ${REPS}`)}, ${at(p, `${NOW_S} - (i * 104729) % (365 * ${DAY_S})`)}
    FROM ${series(p, C)}`);
  const S = SCALE.stageChanges;
  await x(`INSERT INTO "StageChange" ("id","customerId","fromStage","toStage","evidence","byPersonId","at")
    SELECT ${cat(p, "'s'", 'i')}, ${cat(p, "'c'", `i % ${C}`)}, (i % 4) * 25, CASE WHEN i % 10 = 0 THEN -1 ELSE (i % 4) * 25 + 25 END,
      CASE WHEN i % 4 = 3 THEN '{"deal":"x","amount":1000}' ELSE '{}' END, ${cat(p, "'rep'", `(i % ${C}) % ${REPS}`)}, ${at(p, `${NOW_S} - (i * 7907) % (180 * ${DAY_S})`)}
    FROM ${series(p, S)}`);
}

async function seedFollowUps(db: Database, from: number, n: number): Promise<void> {
  const p = db.provider;
  const C = SCALE.customers;
  // In slices: one statement of millions of rows holds a long write transaction.
  const slice = 1_000_000;
  for (let start = from; start < from + n; start += slice) {
    const count = Math.min(slice, from + n - start);
    await seedStatement(db, `INSERT INTO "FollowUp" ("id","customerId","personId","kind","note","at")
      SELECT ${cat(p, "'f'", 'i')}, ${cat(p, "'c'", `i % ${C}`)}, ${cat(p, "'rep'", `(i % ${C}) % ${REPS}`)},
        CASE i % 5 WHEN 0 THEN 'call' WHEN 1 THEN 'visit' WHEN 2 THEN 'meeting' WHEN 3 THEN 'message' ELSE 'note' END, '',
        ${at(p, `${NOW_S} - (i * 104723) % (365 * ${DAY_S})`)}
      FROM ${series(p, count, start)}`);
  }
}

/**
 * The floor: the same figures for all 500 reps at once, one grouped aggregate per table
 * (period, 30 and 90 days and the 12 weekly buckets as conditional sums).
 */
async function floor(db: Database): Promise<string> {
  const p = db.provider;
  let n = 0;
  const ph = () => (p === 'sqlite' ? '?' : `$${++n}`);
  const params: Date[] = [];
  const bind = (d: Date) => {
    params.push(d);
    return ph();
  };
  const ago = (days: number) => new Date(NOW.getTime() - days * DAY_S * 1000);
  const weeks = Array.from({ length: 12 }, (_, i) => ({ from: new Date(PERIOD.from.getTime() - (11 - i) * 7 * DAY_S * 1000), to: new Date(PERIOD.to.getTime() - (11 - i) * 7 * DAY_S * 1000) }));
  const inRange = (col: string, from: Date, to: Date) => `SUM(CASE WHEN "${col}" >= ${bind(from)} AND "${col}" < ${bind(to)} THEN 1 ELSE 0 END)`;
  const buckets = (col: string) => weeks.map((w) => inRange(col, w.from, w.to)).join(', ');
  const run = async (build: () => string) => {
    n = 0;
    params.length = 0;
    const sql = build();
    const rows = await db.prisma.$queryRawUnsafe<unknown[]>(sql, ...params);
    return rows.length;
  };
  const rows: number[] = [];
  rows.push(await run(
    () => `SELECT "ownerId", "stage", COUNT(*) AS n, SUM(CASE WHEN "lastTouchAt" < ${bind(ago(30))} THEN 1 ELSE 0 END) AS untouched,
      SUM(CASE WHEN "releaseAt" <= ${bind(ago(-7))} THEN 1 ELSE 0 END) AS releasing, SUM(CASE WHEN "stage" >= 50 AND "lastTouchAt" < ${bind(ago(14))} THEN 1 ELSE 0 END) AS stale
      FROM "Customer" WHERE "lostAt" IS NULL AND "ownerId" IS NOT NULL GROUP BY "ownerId", "stage"`,
  ));
  rows.push(await run(
    () => `SELECT "personId", "kind", ${inRange('at', PERIOD.from, PERIOD.to)} AS period, ${inRange('at', ago(30), NOW)} AS d30, ${buckets('at')}
      FROM "FollowUp" WHERE "at" >= ${bind(weeks[0]!.from)} AND "at" < ${bind(NOW)} GROUP BY "personId", "kind"`,
  ));
  rows.push(await run(
    () => `SELECT "byPersonId", "fromStage", "toStage", ${inRange('at', PERIOD.from, PERIOD.to)} AS period, COUNT(*) AS d90, ${buckets('at')}
      FROM "StageChange" WHERE "at" >= ${bind(ago(90))} AND "at" < ${bind(NOW)} GROUP BY "byPersonId", "fromStage", "toStage"`,
  ));
  rows.push(await run(
    () => `SELECT "toPersonId", "fromPersonId", "kind", ${inRange('at', PERIOD.from, PERIOD.to)} AS period, ${buckets('at')}
      FROM "OwnershipEvent" WHERE "at" >= ${bind(weeks[0]!.from)} AND "at" < ${bind(NOW)} GROUP BY "toPersonId", "fromPersonId", "kind"`,
  ));
  rows.push(await run(() => `SELECT "ownerId", "challengerId", COUNT(*) AS n FROM "Contest" WHERE "createdAt" >= ${bind(PERIOD.from)} AND "createdAt" < ${bind(PERIOD.to)} GROUP BY "ownerId", "challengerId"`));
  return rows.join(' + ');
}

/** Peak RSS while `fn` runs (sampled every 20 ms), and its time. */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; peakMb: number }> {
  let peak = rssMb(process.pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(process.pid))), 20);
  const started = performance.now();
  try {
    const value = await fn();
    return { value, seconds: (performance.now() - started) / 1000, peakMb: Math.max(peak, rssMb(process.pid)) };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * Every manager's digest: data, every page's text, both charts. As the back office builds
 * them on a Monday morning: one `digest.send` job per manager, all due at 09:00, run by the
 * job worker DEFAULT_CONCURRENCY at a time (database queries of one overlap the drawing of
 * another's charts in the chart process).
 */
async function buildAll(db: Database, charts: ReturnType<typeof chartRenderer>, withCharts: boolean): Promise<{ pages: number; pngBytes: number }> {
  const directory = parseOrgText(ORG, 'bench org');
  // The services the back office runs with (every digest section's store; fresh, so no batch
  // is left over from the run before), the bench's chart processes.
  const services: Services = { ...createServices(db, () => NOW), charts };
  let pages = 0;
  let pngBytes = 0;
  let next = 0;
  const slot = async () => {
    for (let m = next++; m < MANAGERS; m = next++) {
      const person = directory.person(`m${m}`)!;
      // As the job does: on time, every manager's digest as of the slot's time, one batch.
      const all = await digestPages({ services, directory, person, locale: 'zh-CN', period: PERIOD, charts: withCharts, pages: 'all', ...digestInstant(NOW.toISOString(), NOW) });
      pages += all.length;
      pngBytes += (all[0]!.images ?? []).reduce((n, i) => n + i.png.length, 0);
    }
  };
  await Promise.all(Array.from({ length: DEFAULT_CONCURRENCY }, slot));
  return { pages, pngBytes };
}

async function onDatabase(url: string, provider: Provider, rows: string[][], checks: BenchCheck[]): Promise<void> {
  await migrateDatabase(url);
  const db = await openDatabase(url);
  // Kept between the builds (seeding in between outlasts the idle time): the builds measured draw on warm processes.
  const charts = chartRenderer({ idleMs: 30 * 60_000 });
  try {
    const seedStarted = performance.now();
    const indexes = await secondaryIndexes(db);
    for (const i of indexes) await db.prisma.$executeRawUnsafe(`DROP INDEX "${i.name}"`);
    await seedBook(db);
    const tenth = Math.floor(SCALE.followUps / 10);
    await seedFollowUps(db, 0, tenth);
    for (const i of indexes) await seedStatement(db, i.sql);
    await seedStatement(db, 'ANALYZE');
    const seeded = (performance.now() - seedStarted) / 1000;
    console.log(`  ${provider}: seeded in ${seeded.toFixed(0)} s`);

    // Warm: the first build starts the chart process and fills the page cache.
    await buildAll(db, charts, true);
    const smallBuild = await measured(() => buildAll(db, charts, true));

    const moreStarted = performance.now();
    await seedFollowUps(db, tenth, SCALE.followUps - tenth);
    await seedStatement(db, 'ANALYZE');
    const moreSeconds = (performance.now() - moreStarted) / 1000;
    console.log(`  ${provider}: built with a tenth of the follow-ups in ${smallBuild.seconds.toFixed(1)} s; the rest seeded in ${moreSeconds.toFixed(0)} s`);

    await floor(db);
    const floorRun = await measured(() => floor(db));
    const dataOnly = await measured(() => buildAll(db, charts, false));
    const full = await measured(() => buildAll(db, charts, true));
    const ratio = full.seconds / floorRun.seconds;
    const growth = full.peakMb / smallBuild.peakMb;
    const fmt = (n: number) => n.toFixed(2);
    const mb = (n: number) => n.toFixed(0);
    rows.push([provider, `${(SCALE.followUps / 10).toLocaleString('en')} fu`, 'digests (data, text, charts)', fmt(smallBuild.seconds), mb(smallBuild.peakMb), '', `${smallBuild.value.pages} pages`]);
    rows.push([provider, `${SCALE.followUps.toLocaleString('en')} fu`, 'floor: one grouped SQL per table', fmt(floorRun.seconds), mb(floorRun.peakMb), '1.00', `${floorRun.value} groups`]);
    rows.push([provider, '', 'digests, data and text only', fmt(dataOnly.seconds), mb(dataOnly.peakMb), fmt(dataOnly.seconds / floorRun.seconds), `${dataOnly.value.pages} pages`]);
    rows.push([provider, '', 'digests (data, text, charts)', fmt(full.seconds), mb(full.peakMb), fmt(ratio), `${full.value.pages} pages, ${(full.value.pngBytes / 1e6).toFixed(1)} MB PNG`]);
    rows.push([provider, '', `of which the ${MANAGERS * 2} charts (the difference)`, fmt(full.seconds - dataOnly.seconds), '', fmt((full.seconds - dataOnly.seconds) / floorRun.seconds), `${CHART_PROCESSES} chart processes`]);
    rows.push([provider, '', `(seeding: ${seeded.toFixed(0)} s, then ${moreSeconds.toFixed(0)} s for the other follow-ups)`, '', '', '', '']);
    // The target is set at the issue's size: at a tenth the floor shrinks with the rows and
    // the 100 charts' fixed CPU does not, so the ratio there is shown in the table, not judged.
    if (FULL) checks.push({ name: `${provider}: every manager's digest within ${MAX_RATIO}x of the floor`, ok: ratio <= MAX_RATIO, detail: `${fmt(full.seconds)} s vs ${fmt(floorRun.seconds)} s (${fmt(ratio)}x)` });
    checks.push({
      name: `${provider}: peak memory does not grow with the follow-ups (10x the follow-ups, under ${MAX_MEMORY_GROWTH}x the RSS)`,
      ok: growth <= MAX_MEMORY_GROWTH,
      detail: `${mb(full.peakMb)} MB with ${SCALE.followUps.toLocaleString('en')} vs ${mb(smallBuild.peakMb)} MB with ${tenth.toLocaleString('en')} (${fmt(growth)}x)`,
    });
  } finally {
    await db.close();
  }
}

export const digestBench: Bench = {
  name: 'digest',
  description: `every manager's weekly digest (50 managers, 500 reps, ${SCALE.customers.toLocaleString('en')} customers, ${SCALE.followUps.toLocaleString('en')} follow-ups, ${SCALE.stageChanges.toLocaleString('en')} stage changes) against hand-written SQL, SQLite and PostgreSQL`,
  async run() {
    const rows: string[][] = [];
    const checks: BenchCheck[] = [];
    const notes: string[] = FULL ? [] : [`the ${MAX_RATIO}x target is judged at the issue's size only: KEHU_BENCH_DIGEST_SCALE=full npm run bench -- digest`];
    const dir = await mkdtemp(join(tmpdir(), 'kehu-bench-digest-'));
    try {
      await onDatabase(`file:${join(dir, 'digest.db')}`, 'sqlite', rows, checks);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    if (await canConnect(PG_URL)) {
      const scratch = await createScratchDatabase(PG_URL, 'kehu_bench');
      try {
        await onDatabase(scratch.url, 'postgresql', rows, checks);
      } finally {
        await scratch.drop();
      }
    } else notes.push(`no PostgreSQL at ${PG_URL}: its figures are missing (set KEHU_TEST_PG_URL)`);
    const report = [
      `seconds for all ${MANAGERS} managers' digests, ${DEFAULT_CONCURRENCY} at a time as the job worker runs them (every page; charts in the chart process), against the floor;`,
      `peak RSS of the process in MB; ${FULL ? 'full size' : 'a tenth of the full size (KEHU_BENCH_DIGEST_SCALE=full for 1M customers / 10M follow-ups / 2M stage changes)'}`,
      table(['database', 'size', 'what', 's', 'peak MB', 'x floor', ''], rows),
      ...notes,
    ].join('\n');
    return { report, checks };
  },
};
