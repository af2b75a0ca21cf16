// Handover plan benchmark (issue 14 point 9): a leaver with 5,000 customers in a database of
// 1,000,000, in an org of 500 reps — the time to build the plan with successor ranking, and
// to start it (the 0% transfers, one transaction, set-based), against the time to read those
// 5,000 customers alone, in the same run. Target: plan within 3× of the read. The reps'
// records come from a seeded history: one stage change in the last 180 days per 20 customers.
//   npm run bench -- handover                                  a tenth: 100,000 customers, 5,000 the leaver's
//   KEHU_BENCH_HANDOVER_SCALE=full npm run bench -- handover   1,000,000
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOrgText } from '../../src/config/org-file.ts';
import type { Stage } from '../../src/core/customers/funnel.ts';
import { planHandover, startHandover } from '../../src/core/handovers/plan-handover.ts';
import { openDatabase } from '../../src/db/client.ts';
import { createCustomerStore } from '../../src/db/repositories/customer.repository.ts';
import { createHandoverStore } from '../../src/db/repositories/handover.repository.ts';
import { seedCustomers, type SeedCustomer } from '../support/seed-customers.ts';
import { ms, table, type Bench } from './bench-kit.ts';

const STAGES: Stage[] = [0, 25, 50, 75, 100];

export const handoverBench: Bench = {
  name: 'handover',
  description: 'handover plan for a leaver with 5,000 customers among 500 reps, against reading those customers',
  async run() {
    const full = process.env.KEHU_BENCH_HANDOVER_SCALE === 'full';
    const total = Number(process.env.KEHU_BENCH_HANDOVER_TOTAL ?? (full ? 1_000_000 : 100_000));
    const leaverCount = Number(process.env.KEHU_BENCH_HANDOVER_LEAVER ?? 5_000);
    const reps = 500;
    const people = Array.from({ length: reps }, (_, i) => `  - { id: r${i}, name: R${i}, email: r${i}@b.test, department: d${i % 10}, manager: m${i % 10}, roles: [rep] }`);
    const managers = Array.from({ length: 10 }, (_, i) => `  - { id: m${i}, name: M${i}, email: m${i}@b.test, department: d${i}, roles: [manager] }`);
    const departments = Array.from({ length: 10 }, (_, i) => `  - { id: d${i}, name: D${i}, kind: sales, head: m${i} }`);
    const directory = parseOrgText(`company: Bench\ntimezone: Asia/Shanghai\npool: { maxHeld: 100000 }\ndepartments:\n${departments.join('\n')}\npeople:\n${[...managers, ...people].join('\n')}\n`, 'bench-org.yaml');
    const dir = await mkdtemp(join(tmpdir(), 'kehu-bench-handover-'));
    const db = await openDatabase(`file:${join(dir, 'kehu.db')}`, { migrate: true });
    try {
      const seedStarted = performance.now();
      const batch: SeedCustomer[] = [];
      for (let i = 0; i < total; i++) {
        batch.push({ name: `公司${i}`, ownerId: i < leaverCount ? 'r0' : `r${1 + (i % (reps - 1))}`, stage: STAGES[i % 5]! });
        if (batch.length === 20_000) await seedCustomers(db, batch.splice(0));
      }
      if (batch.length) await seedCustomers(db, batch);
      // The history the ranking reads: stage changes by the other reps, forward and lost.
      const rows = await db.prisma.customer.findMany({ where: { ownerId: { not: 'r0' } }, select: { id: true, ownerId: true, stage: true }, take: Math.floor(total / 20) });
      const since = Date.UTC(2026, 6, 1);
      for (let i = 0; i < rows.length; i += 5_000) {
        await db.prisma.stageChange.createMany({
          data: rows.slice(i, i + 5_000).map((r, j) => ({ id: `sc${i + j}`, customerId: r.id, fromStage: Math.max(0, r.stage - 25), toStage: (i + j) % 3 === 0 ? -1 : r.stage, evidence: '{}', byPersonId: r.ownerId!, at: new Date(since + (i + j) * 1000) })),
        });
      }
      const seeded = (performance.now() - seedStarted) / 1000;
      const store = createCustomerStore(db);
      const handovers = createHandoverStore(db);
      const now = new Date('2026-12-01T01:00:00Z');
      const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
        const t = performance.now();
        const r = await fn();
        return [r, performance.now() - t];
      };
      const [read, readMs] = await time(() => store.listByOwner('r0', { offset: 0, limit: leaverCount }));
      const options = { store: handovers, directory, actor: directory.person('m0')!, leaverId: 'r0', lastDay: '2026-12-18', now };
      const [plan, planMs] = await time(() => planHandover(options));
      const [started, startMs] = await time(() => startHandover(options));
      const ratio = planMs / readMs;
      return {
        report: `${total.toLocaleString('en')} customers and ${rows.length.toLocaleString('en')} stage changes seeded in ${seeded.toFixed(1)} s (SQLite)\n` +
          table(['what', 'rows', 'ms'], [
            ['read the leaver\'s customers', String(read.items.length), ms(readMs)],
            ['build the plan (ranking 49 candidates)', String(plan.items.length), ms(planMs)],
            ['start: items + 0% transfers, one transaction', String(started.transferred), ms(startMs)],
          ]),
        checks: [
          { name: 'plan within 3× of the read', ok: ratio <= 3, detail: `${ratio.toFixed(2)}×` },
          // No target in the issue for the start; reported against the same read.
          { name: 'start (0% transfers) against the read, reported', ok: true, detail: `${(startMs / readMs).toFixed(2)}×` },
        ],
      };
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
