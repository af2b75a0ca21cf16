// The customer-book import at 100,000 rows (the suite imports 20,000): a generated book in
// the import format, read by `npm run import:customers`'s program as an admin runs it (node
// with tsx's loader, its own process) — a dry run into an empty book, then --apply — on
// SQLite, and on PostgreSQL when a server answers (KEHU_TEST_PG_URL). Rows per second and
// peak RSS, each beside the same file parsed by csv-parse alone with the CLI's options
// (test/bench/csv-parse-baseline.mjs, plain node), measured in the same run. Checks: the
// dry run writes nothing, --apply writes every row, peak RSS under the suite's 1.5 GB guard.
//   npm run bench -- import            KEHU_BENCH_IMPORT_ROWS=20000 for a shorter run
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { stringify } from 'csv-stringify';
import { openDatabase } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { canConnect, createScratchDatabase } from '../../src/db/pg-admin.ts';
import { customerBookRows } from '../support/company-names.ts';
import { ROOT } from '../support/kehu-process.ts';
import { TEST_ORG_FILE } from '../support/test-org.ts';
import { table, type Bench, type BenchCheck } from './bench-kit.ts';

const PG_ADMIN_URL = process.env.KEHU_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
/** The suite's guard against holding the whole book in memory (customer-book.test.ts). */
const MAX_PEAK_MB = 1536;
const OWNERS = ['tom.reed@kehu.test', 'wu.hao@kehu.test', 'mei.lin@kehu.test'];
const BASELINE = fileURLToPath(new URL('./csv-parse-baseline.mjs', import.meta.url));

interface Run {
  code: number;
  output: string;
  /** Spawn to exit, as the admin waits for it. */
  seconds: number;
}

function runNode(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, output, seconds: (performance.now() - started) / 1000 }));
  });
}

const peakOf = (output: string) => Number(/peak memory (\d+) MB/.exec(output)?.[1]);

export const importBench: Bench = {
  name: 'import',
  description: 'the customer-book import CLI on 100,000 generated rows, dry run and --apply, beside csv-parse alone',
  async run() {
    const size = Number(process.env.KEHU_BENCH_IMPORT_ROWS ?? 100_000);
    const dir = await mkdtemp(join(tmpdir(), 'kehu-bench-import-'));
    const rows: string[][] = [];
    const checks: BenchCheck[] = [];
    try {
      const file = join(dir, 'book.csv');
      await pipeline(Readable.from(customerBookRows(size, OWNERS, 42)), stringify(), createWriteStream(file));
      const mb = (await stat(file)).size / 2 ** 20;

      const base = await runNode([BASELINE, file]);
      if (base.code !== 0) throw new Error(`the csv-parse baseline failed: ${base.output}`);
      const parsed = JSON.parse(base.output) as { records: number; peakMb: number };
      const baseRate = size / base.seconds;
      rows.push(['csv-parse alone (node)', '—', base.seconds.toFixed(1), baseRate.toFixed(0), '1.00x', parsed.peakMb.toFixed(0), '1.00x']);
      checks.push({ name: 'baseline reads every row', ok: parsed.records === size + 1, detail: `${parsed.records} records (header included) of ${size + 1}` });

      const databases: Array<{ name: string; url: string; drop: () => Promise<void> }> = [];
      const sqliteUrl = `file:${join(dir, 'import.db')}`;
      await migrateDatabase(sqliteUrl);
      databases.push({ name: 'sqlite', url: sqliteUrl, drop: async () => {} });
      if (await canConnect(PG_ADMIN_URL)) {
        const scratch = await createScratchDatabase(PG_ADMIN_URL, 'kehu_bench_import');
        await migrateDatabase(scratch.url);
        databases.push({ name: 'postgresql', url: scratch.url, drop: () => scratch.drop() });
      }

      for (const db of databases) {
        try {
          const cli = (...argv: string[]) => runNode(['--import', 'tsx', 'src/cli/import-customers.ts', file, ...argv], { DATABASE_URL: db.url, KEHU_ORG_FILE: TEST_ORG_FILE });
          const client = await openDatabase(db.url);
          try {
            for (const [phase, argv] of [['dry run', []], ['--apply', ['--apply']]] as const) {
              const run = await cli(...argv);
              const peak = peakOf(run.output);
              const rate = size / run.seconds;
              rows.push([`import CLI, ${phase}`, db.name, run.seconds.toFixed(1), rate.toFixed(0), `${(rate / baseRate).toFixed(2)}x`, peak.toFixed(0), `${(peak / parsed.peakMb).toFixed(2)}x`]);
              const customers = await client.prisma.customer.count();
              const expected = phase === 'dry run' ? 0 : size;
              checks.push({
                name: `${db.name}: ${phase} reads every row as valid and writes ${expected ? 'every one' : 'nothing'}`,
                ok: run.code === 0 && run.output.includes(`${size} rows, ${size} valid, 0 refused`) && customers === expected,
                detail: `exit ${run.code}, ${customers} customers in the database${run.code === 0 ? '' : `: ${run.output.slice(0, 500)}`}`,
              });
              checks.push({ name: `${db.name}: ${phase} peak RSS under ${MAX_PEAK_MB} MB`, ok: peak < MAX_PEAK_MB, detail: `${peak} MB` });
            }
          } finally {
            await client.close();
          }
        } finally {
          await db.drop().catch(() => undefined);
        }
      }
      const report = [
        `${size.toLocaleString('en')} generated rows (${mb.toFixed(1)} MB of CSV); each run its own process, timed from spawn to exit; x: against csv-parse alone in the same run`,
        table(['run', 'database', 'seconds', 'rows/s', 'rows/s x', 'peak RSS MB', 'RSS x'], rows),
      ].join('\n');
      return { report, checks };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
