// Handover plan benchmark (issue 14 point 9): a leaver with 5,000 customers in a database of
// 1,000,000, in an org of 500 reps — the time to build the plan with successor ranking, and
// to start it (the 0% transfers, one transaction, set-based), against the time to read those
// 5,000 customers alone, in the same run, on SQLite and (when one answers) PostgreSQL.
// Target: plan within 3× of the read. The reps' records come from a seeded history: one
// stage change in the last 180 days per 20 customers. After the start the bench checks what
// it wrote: the 0% customers are the successors', each with one `handover` history row, and
// the rest still the leaver's.
//   npm run bench -- handover                                  a tenth: 100,000 customers, 5,000 the leaver's
//   KEHU_BENCH_HANDOVER_SCALE=full npm run bench -- handover   1,000,000
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOrgText } from '../../src/config/org-file.ts';
import type { Stage } from '../../src/core/customers/funnel.ts';
import { planHandover, startHandover } from '../../src/core/handovers/plan-handover.ts';
import { openDatabase, type Provider } from '../../src/db/client.ts';
import { canConnect, createScratchDatabase } from '../../src/db/pg-admin.ts';
import { createCustomerStore } from '../../src/db/repositories/customer.repository.ts';
import { createHandoverStore } from '../../src/db/repositories/handover.repository.ts';
import { seedCustomers, type SeedCustomer } from '../support/seed-customers.ts';
import { ms, table, type BenchCheck, type Bench } from './bench-kit.ts';

const STAGES: Stage[] = [0, 25, 50, 75, 100];
const PG_URL = process.env.KEHU_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const FULL = process.env.KEHU_BENCH_HANDOVER_SCALE === 'full';
const TOTAL = Number(process.env.KEHU_BENCH_HANDOVER_TOTAL ?? (FULL ? 1_000_000 : 100_000));
const LEAVER_COUNT = Number(process.env.KEHU_BENCH_HANDOVER_LEAVER ?? 5_000);
const REPS = 500;

const people = Array.from({ length: REPS }, (_, i) => `  - { id: r${i}, name: R${i}, email: r${i}@b.test, department: d${i % 10}, manager: m${i % 10}, roles: [rep] }`);
const managers = Array.from({ length: 10 }, (_, i) => `  - { id: m${i}, name: M${i}, email: m${i}@b.test, department: d${i}, roles: [manager] }`);
const departments = Array.from({ length: 10 }, (_, i) => `  - { id: d${i}, name: D${i}, kind: sales, head: m${i} }`);
const directory = parseOrgText(`company: Bench\ntimezone: Asia/Shanghai\npool: { maxHeld: 100000 }\ndepartments:\n${departments.join('\n')}\npeople:\n${[...managers, ...people].join('\n')}\n`, 'bench-org.yaml');

const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
};

/** Seeds one database, times the read, the plan and the start, and checks what the start wrote. */
async function onDatabase(url: string, provider: Provider, rows: string[][], checks: BenchCheck[], notes: string[]): Promise<void> {
  const db = await openDatabase(url, { migrate: true });
  try {
    const seedStarted = performance.now();
    const batch: SeedCustomer[] = [];
    for (let i = 0; i < TOTAL; i++) {
      batch.push({ name: `公司${i}`, ownerId: i < LEAVER_COUNT ? 'r0' : `r${1 + (i % (REPS - 1))}`, stage: STAGES[i % 5]! });
      if (batch.length === 20_000) await seedCustomers(db, batch.splice(0));
    }
    if (batch.length) await seedCustomers(db, batch);
    // The history the ranking reads: stage changes by the other reps, forward and lost.
    const owned = await db.prisma.customer.findMany({ where: { ownerId: { not: 'r0' } }, select: { id: true, ownerId: true, stage: true }, take: Math.floor(TOTAL / 20) });
    const since = Date.UTC(2026, 6, 1);
    for (let i = 0; i < owned.length; i += 5_000) {
      await db.prisma.stageChange.createMany({
        data: owned.slice(i, i + 5_000).map((r, j) => ({ id: `sc${i + j}`, customerId: r.id, fromStage: Math.max(0, r.stage - 25), toStage: (i + j) % 3 === 0 ? -1 : r.stage, evidence: '{}', byPersonId: r.ownerId!, at: new Date(since + (i + j) * 1000) })),
      });
    }
    // PostgreSQL's autovacuum analyses a table after a load this size at a moment of its own: done now, so every run plans alike.
    if (provider === 'postgresql') await db.prisma.$executeRawUnsafe('ANALYZE');
    notes.push(`${provider}: ${TOTAL.toLocaleString('en')} customers and ${owned.length.toLocaleString('en')} stage changes seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

    const store = createCustomerStore(db);
    const handovers = createHandoverStore(db);
    const now = new Date('2026-12-01T01:00:00Z');
    const [read, readMs] = await time(() => store.listByOwner('r0', { offset: 0, limit: LEAVER_COUNT }));
    const options = { store: handovers, directory, actor: directory.person('m0')!, leaverId: 'r0', lastDay: '2026-12-18', now };
    const [plan, planMs] = await time(() => planHandover(options));
    const [started, startMs] = await time(() => startHandover(options));
    rows.push(
      ['read the leaver\'s customers', provider, String(read.items.length), ms(readMs), '1.00×'],
      ['build the plan (ranking 49 candidates)', provider, String(plan.items.length), ms(planMs), `${(planMs / readMs).toFixed(2)}×`],
      ['start: plan again, items, 0% transfers, one transaction', provider, String(started.transferred), ms(startMs), `${(startMs / readMs).toFixed(2)}×`],
    );
    checks.push({ name: `${provider}: plan within 3× of the read`, ok: planMs <= 3 * readMs, detail: `${(planMs / readMs).toFixed(2)}× (${ms(planMs)} vs ${ms(readMs)} ms)` });

    // What the start wrote: every 0% customer moved with its history row, nothing else moved.
    const zero = plan.items.filter((i) => i.step === 'transfer');
    const [stillLeaver, history, items] = await Promise.all([
      db.prisma.customer.count({ where: { ownerId: 'r0' } }),
      db.prisma.ownershipEvent.count({ where: { kind: 'handover', fromPersonId: 'r0' } }),
      db.prisma.handoverItem.count({ where: { handoverId: started.handoverId } }),
    ]);
    const ok = started.transferred === zero.length && history === zero.length && stillLeaver === LEAVER_COUNT - zero.length && items === plan.items.length;
    checks.push({ name: `${provider}: the start moved the 0% customers, each with its history, and only them`, ok, detail: `${started.transferred} moved of ${zero.length}, ${history} history rows, ${stillLeaver} left with the leaver, ${items} items` });
  } finally {
    await db.close();
  }
}

export const handoverBench: Bench = {
  name: 'handover',
  description: `handover plan for a leaver with ${LEAVER_COUNT.toLocaleString('en')} customers among ${REPS} reps in ${TOTAL.toLocaleString('en')}, against reading those customers, SQLite and PostgreSQL`,
  async run() {
    const rows: string[][] = [];
    const checks: BenchCheck[] = [];
    const notes: string[] = [];
    const dir = await mkdtemp(join(tmpdir(), 'kehu-bench-handover-'));
    try {
      await onDatabase(`file:${join(dir, 'kehu.db')}`, 'sqlite', rows, checks, notes);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    if (process.env.KEHU_BENCH_HANDOVER_PG === '0') notes.push('PostgreSQL skipped (KEHU_BENCH_HANDOVER_PG=0)');
    else if (await canConnect(PG_URL)) {
      const scratch = await createScratchDatabase(PG_URL, 'kehu_bench');
      try {
        await onDatabase(scratch.url, 'postgresql', rows, checks, notes);
      } finally {
        await scratch.drop();
      }
    } else notes.push(`no PostgreSQL at ${PG_URL}: its figures are missing (set KEHU_TEST_PG_URL)`);
    return { report: [...notes, table(['what', 'database', 'rows', 'ms', 'x read'], rows)].join('\n'), checks };
  },
};
