// `npm run bench -- request-sweep` (issue 13 point 11): the deadline sweep — finding every
// service request whose reminder is due and enqueueing it — with 100,000 open and 1,000,000
// closed requests in the database, against the same sweep with only the open ones, in the
// same run, on SQLite and on PostgreSQL when a server answers (KEHU_TEST_PG_URL; two scratch
// databases, dropped after). 1% of the open requests (1,000) are due. Target: ratio under 1.5
// (due work is found through the nextAlertAt index, never by reading the closed history). Each
// round puts the due requests back and sweeps both databases; the median ratio is reported,
// with each database's size.
//   KEHU_BENCH_SWEEP_OPEN / KEHU_BENCH_SWEEP_CLOSED / KEHU_BENCH_SWEEP_DUE / KEHU_BENCH_SWEEP_ROUNDS change the sizes.
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOrgText } from '../../src/config/org-file.ts';
import type { Catalog, CatalogService } from '../../src/core/requests/catalog.ts';
import { deadlines, type ServiceRequest } from '../../src/core/requests/request.ts';
import { withNextAlert } from '../../src/core/requests/request-alerts.ts';
import { sweepRequestAlerts } from '../../src/core/requests/sweep-request-alerts.ts';
import { departmentSchedule } from '../../src/core/time/working-time.ts';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { canConnect, createScratchDatabase, type ScratchDatabase } from '../../src/db/pg-admin.ts';
import { createRequestStore } from '../../src/db/repositories/service-request.repository.ts';
import type { Bench, BenchCheck } from './bench-kit.ts';

const PG_URL = process.env.KEHU_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

const directory = parseOrgText(`company: Bench
timezone: Asia/Shanghai
departments:
  - { id: sales, name: Sales, kind: sales, head: mei }
  - { id: admin, name: Admin, kind: function, head: chen }
people:
  - { id: mei, name: Mei, email: mei@b.test, department: sales }
  - { id: tom, name: Tom, email: tom@b.test, department: sales, manager: mei, roles: [rep] }
  - { id: chen, name: Chen, email: chen@b.test, department: admin }
  - { id: li.na, name: Li Na, email: li.na@b.test, department: admin, manager: chen }
`, 'bench-org.yaml');
const service: CatalogService = {
  key: 'materials', name: { en: 'Materials', 'zh-CN': '资料' }, departmentId: 'admin', prerequisites: [], managerApproves: false, fields: [],
  targets: { firstResponse: { hours: 2 }, resolution: { days: 1 } }, leadTimeDays: 1, assign: { rule: 'head' },
  reminders: { at: [0.5, 0.75], repeatEvery: { hours: 4 }, escalateAt: 2 }, closeAfter: { days: 3 }, ratingWindow: { days: 3 }, maxPause: { days: 2 },
};
const catalog: Catalog = { services: [service] };
const schedule = departmentSchedule(directory.org, 'admin');
/** Monday 2026-12-14 09:00 Shanghai: the due requests started then; the sweep runs at 14:00 (50% of a working day is 13:30). */
const START = new Date('2026-12-14T01:00:00Z');
const NOW = new Date('2026-12-14T06:00:00Z');

function template(id: string, status: 'taken' | 'closed', clockStart: Date): ServiceRequest {
  const r: ServiceRequest = {
    id, number: 0, serviceKey: 'materials', departmentId: 'admin', requesterId: 'tom', assigneeId: 'li.na', status, fields: {}, version: 2, clockStart, ...deadlines(service, clockStart, 0, schedule),
    pausedMs: 0, extendedMs: 0, respondedAt: clockStart, submittedAt: clockStart, told: ['li.na'], last: { action: 'take', byPersonId: 'li.na', at: clockStart },
    display: { serviceName: service.name, fields: [] }, ...(status === 'closed' ? { resolvedAt: clockStart, closedAt: clockStart } : {}),
  };
  return status === 'closed' ? { ...r, nextAlertAt: undefined } : withNextAlert(r, service, schedule);
}

const COLUMNS = ['serviceKey', 'departmentId', 'requesterId', 'assigneeId', 'status', 'fields', 'state', 'customerId', 'customerName', 'version', 'clockStart', 'firstResponseDue', 'resolutionDue', 'pausedMs', 'pausedAt', 'respondedAt', 'extendedMs', 'nextAlertAt', 'alertsSentUpTo', 'lastRequesterCommentAt', 'rating', 'ratingComment', 'ratedAt', 'resolvedAt', 'closedAt', 'submittedAt', 'updatedAt'];

/** `count` copies of the template row `tpl`, ids `<prefix><i>`, numbers from `firstNumber`. */
async function copies(db: Database, tpl: string, prefix: string, count: number, firstNumber: number): Promise<void> {
  const cols = COLUMNS.map((c) => `"${c}"`).join(', ');
  const tcols = COLUMNS.map((c) => `t."${c}"`).join(', ');
  for (let from = 0; from < count; from += 100_000) {
    const n = Math.min(100_000, count - from);
    await db.prisma.$executeRawUnsafe(
      `WITH RECURSIVE k(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM k WHERE i < ${from + n - 1})
       INSERT INTO "ServiceRequest" ("id", "number", "duplicateKey", ${cols})
       SELECT '${prefix}' || k.i, ${firstNumber} + k.i, '${prefix}' || k.i, ${tcols} FROM k, "ServiceRequest" t WHERE t."id" = '${tpl}'`,
    );
  }
}

async function seed(url: string, open: number, closed: number, due: number): Promise<Database> {
  const db = await openDatabase(url, { migrate: true });
  const store = createRequestStore(db);
  // Three template rows through the real store (so every column is as kehu writes it), then copies in SQL.
  const rows = [template('tpl-due', 'taken', START), template('tpl-later', 'taken', new Date('2026-12-21T01:00:00Z')), template('tpl-closed', 'closed', new Date('2026-01-05T01:00:00Z'))];
  for (const [i, r] of rows.entries()) await store.create({ ...r }, `tpl-${i}`, () => ({ notices: [] }));
  await copies(db, 'tpl-due', 'due', due, 10);
  await copies(db, 'tpl-later', 'open', open - due, 10 + due);
  if (closed) await copies(db, 'tpl-closed', 'closed', closed, 10 + open);
  await db.prisma.serviceRequest.deleteMany({ where: { id: { startsWith: 'tpl-' } } });
  await db.prisma.job.deleteMany();
  await db.prisma.$executeRawUnsafe('ANALYZE');
  return db;
}

/** Puts the due requests back as they were before a sweep; clears the queue. */
async function reset(db: Database, nextAlertAt: Date): Promise<void> {
  await db.prisma.serviceRequest.updateMany({ where: { id: { startsWith: 'due' } }, data: { nextAlertAt, alertsSentUpTo: null } });
  await db.prisma.job.deleteMany();
}

interface Sizes {
  open: number;
  closed: number;
  due: number;
  rounds: number;
}

/** The database's size in MB: the SQLite file, or PostgreSQL's pg_database_size. */
async function sizeMb(db: Database, url: string): Promise<string> {
  const bytes = url.startsWith('file:')
    ? statSync(url.slice('file:'.length)).size
    : Number((await db.prisma.$queryRawUnsafe<{ size: bigint }[]>('SELECT pg_database_size(current_database()) AS size'))[0]!.size);
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

/** Seeds the two databases at `urls` (open only; with the closed), sweeps them round after round: its report lines and checks. */
async function onProvider(provider: string, urls: { onlyOpen: string; withClosed: string }, n: Sizes): Promise<{ lines: string[]; checks: BenchCheck[] }> {
  const seeding = performance.now();
  const onlyOpen = await seed(urls.onlyOpen, n.open, 0, n.due);
  const withClosed = await seed(urls.withClosed, n.open, n.closed, n.due);
  const seeded = (performance.now() - seeding) / 1000;
  const nextAlertAt = template('x', 'taken', START).nextAlertAt!;
  try {
    const sweep = async (db: Database) => {
      await reset(db, nextAlertAt);
      const t = performance.now();
      const sent = await sweepRequestAlerts({ requests: createRequestStore(db), directory, catalog, now: NOW });
      return { ms: performance.now() - t, sent };
    };
    // Warm both (JIT, page cache).
    await sweep(onlyOpen);
    await sweep(withClosed);
    const results: { a: number; b: number; sentA: number; sentB: number }[] = [];
    for (let i = 0; i < n.rounds; i++) {
      const a = await sweep(onlyOpen);
      const b = await sweep(withClosed);
      results.push({ a: a.ms, b: b.ms, sentA: a.sent, sentB: b.sent });
    }
    const ratios = results.map((r) => r.b / r.a).sort((x, y) => x - y);
    const median = ratios[Math.floor(ratios.length / 2)]!;
    const lines = [
      `${provider}: seeded in ${seeded.toFixed(0)} s; database size: open only ${await sizeMb(onlyOpen, urls.onlyOpen)}, with the closed ${await sizeMb(withClosed, urls.withClosed)}`,
      ...results.map((r, i) => `  round ${i + 1}: open only ${r.a.toFixed(0)} ms (${r.sentA} reminders), with the closed ${r.b.toFixed(0)} ms (${r.sentB}) — ${(r.b / r.a).toFixed(2)}x`),
      `  median ratio: ${median.toFixed(2)}x (target < 1.5x)`,
    ];
    const sentOk = results.every((r) => r.sentA === n.due && r.sentB === n.due);
    return {
      lines,
      checks: [
        { name: `${provider}: sweep with the closed history < 1.5x the open ones only`, ok: median < 1.5, detail: `${median.toFixed(2)}x` },
        { name: `${provider}: every due reminder enqueued once per sweep`, ok: sentOk, detail: results.map((r) => `${r.sentA}/${r.sentB}`).join(', ') },
      ],
    };
  } finally {
    await onlyOpen.close();
    await withClosed.close();
  }
}

export const requestSweepBench: Bench = {
  name: 'request-sweep',
  description: 'the deadline sweep with 100,000 open + 1,000,000 closed requests vs the open ones only (target < 1.5x), SQLite and PostgreSQL',
  async run() {
    const open = Number(process.env.KEHU_BENCH_SWEEP_OPEN ?? 100_000);
    const closed = Number(process.env.KEHU_BENCH_SWEEP_CLOSED ?? 1_000_000);
    const n: Sizes = { open, closed, due: Number(process.env.KEHU_BENCH_SWEEP_DUE ?? Math.round(open / 100)), rounds: Number(process.env.KEHU_BENCH_SWEEP_ROUNDS ?? 3) };
    const lines = [`${open.toLocaleString('en')} open requests (${n.due.toLocaleString('en')} due), and ${closed.toLocaleString('en')} closed beside them`];
    const checks: BenchCheck[] = [];
    const add = (r: { lines: string[]; checks: BenchCheck[] }) => void (lines.push(...r.lines), checks.push(...r.checks));
    const dir = await mkdtemp(join(tmpdir(), 'kehu-bench-sweep-'));
    try {
      add(await onProvider('sqlite', { onlyOpen: `file:${join(dir, 'open.db')}`, withClosed: `file:${join(dir, 'all.db')}` }, n));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    if (await canConnect(PG_URL)) {
      const scratch: ScratchDatabase[] = [];
      try {
        for (let i = 0; i < 2; i++) scratch.push(await createScratchDatabase(PG_URL, 'kehu_bench_sweep'));
        add(await onProvider('postgresql', { onlyOpen: scratch[0]!.url, withClosed: scratch[1]!.url }, n));
      } finally {
        for (const s of scratch) await s.drop();
      }
    } else lines.push(`no PostgreSQL at ${PG_URL}: its figures are missing (set KEHU_TEST_PG_URL)`);
    return { report: lines.join('\n'), checks };
  },
};
