// Claim-with-duplicate-check latency: the claimCustomer use case through the real
// CustomerStore on a SQLite file (normalise, exact look-up by key and credit code, the
// holder's count, near-duplicate candidates through the variant and key indexes, insert
// with variants and ownership history), with 1,000 and with 1,000,000 customers already
// in the database, in the same run. Target: p50 and p99 at 1M within 2x of 1k. Also
// checks with EXPLAIN QUERY PLAN that no statement the claims ran scans Customer or
// CustomerNamePattern; reports the database size per customer (target: 1M in at most 1 GB).
//
// Seeding uses better-sqlite3 directly on the migrated file (the bench's own fixture, not
// application code): secondary indexes are dropped, rows go in with prepared statements in
// transactions of 10,000, and the indexes are rebuilt from their own CREATE statements —
// sorting once is far faster than a million random index inserts. Names come from
// test/support/company-names.ts (Chinese and Latin, keys as the normaliser makes them).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { parseOrgText } from '../../src/config/org-file.ts';
import { claimCustomer, type ClaimOutcome } from '../../src/core/customers/claim-customer.ts';
import { splitKey } from '../../src/core/customers/normalise-name.ts';
import type { OrgDirectory } from '../../src/core/org/org.ts';
import { openDatabase, PrismaClient, type Database } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { createSqliteAdapterFactory } from '../../src/db/sqlite-adapter.ts';
import { createCustomerStore, nameHashes } from '../../src/db/repositories/customer.repository.ts';
import { randomCompany, randomCreditCode, seededRandom, type GeneratedCompany } from '../support/company-names.ts';
import { ms, percentile, table, type Bench, type BenchCheck } from './bench-kit.ts';

const SIZES = [1_000, 1_000_000];
const MAX_RATIO = 2;
/** The database file (and its WAL) with 1M customers. */
const MAX_BYTES = 2 ** 30;
const SEED_TX_ROWS = 10_000;
/** Claims measured per size; the run's --requests is for HTTP benches and much larger. */
const CLAIMS = 2_000;
const WARMUP = 200;
const BIG_TABLES = ['Customer', 'CustomerNamePattern', 'OwnershipEvent'];

// Reps enough to spread the claims; a cap no claim reaches, so every claim runs the whole path.
const ORG = `
company: Bench Co
timezone: Asia/Shanghai
departments:
  - { id: sales, name: Sales, kind: sales, head: boss }
people:
  - { id: boss, name: Boss, email: boss@bench.test, department: sales }
${Array.from({ length: 20 }, (_, i) => `  - { id: rep${i}, name: Rep ${i}, email: rep${i}@bench.test, department: sales, manager: boss, roles: [rep] }`).join('\n')}
pool:
  maxHeld: 100000000
`;

type ClaimKind = 'new' | 'typo' | 'taken';
const KINDS: readonly ClaimKind[] = ['new', 'typo', 'taken'];

interface Sample {
  kind: ClaimKind;
  ms: number;
  outcome: ClaimOutcome['kind'];
}

export const claimsBench: Bench = {
  name: 'claims',
  description: 'claimCustomer (normalise, exact + near-duplicate look-ups, insert) on SQLite with 1k and 1M customers',
  async run() {
    const directory = parseOrgText(ORG, 'bench org');
    const rows: string[][] = [];
    const checks: BenchCheck[] = [];
    const notes: string[] = [];
    const results = new Map<string, { p50: number; p99: number }>();
    const dir = await mkdtemp(join(tmpdir(), 'kehu-bench-claims-'));
    try {
      for (const size of SIZES) {
        const file = join(dir, `claims-${size}.db`);
        await migrateDatabase(`file:${file}`);
        const seedStarted = performance.now();
        const existing = seed(file, size, 1);
        const seedSeconds = (performance.now() - seedStarted) / 1000;

        const db = await openDatabase(`file:${file}`);
        let samples: Sample[];
        try {
          samples = await measure(db, directory, existing, size);
        } finally {
          await db.close();
        }
        const bytes = await fileBytes(file);
        for (const kind of KINDS) {
          const of = samples.filter((s) => s.kind === kind);
          const t = of.map((s) => s.ms);
          const stats = { p50: percentile(t, 50), p99: percentile(t, 99) };
          results.set(`${size}:${kind}`, stats);
          const outcomes = [...count(of.map((s) => s.outcome))].map(([k, n]) => `${k} ${n}`).join(', ');
          rows.push([size.toLocaleString('en'), kind, String(t.length), ms(stats.p50), ms(stats.p99), ms(Math.max(...t)), outcomes, kind === 'new' ? mb(bytes) : '', kind === 'new' ? seedSeconds.toFixed(1) : '']);
        }
        if (size === Math.max(...SIZES)) {
          checks.push({
            name: `${size.toLocaleString('en')} customers in at most ${mb(MAX_BYTES)} on disk`,
            ok: bytes <= MAX_BYTES,
            detail: `${mb(bytes)}, ${Math.round(bytes / size)} bytes per customer`,
          });
          const plans = await queryPlans(file, directory, existing);
          const scans = plans.filter((p) => p.scans.length);
          notes.push(`query plans of the ${plans.length} distinct statements one claim of each kind ran:`);
          for (const p of plans) notes.push(`  ${p.scans.length ? 'SCAN ' : 'ok   '} ${p.sql.slice(0, 150)}${p.sql.length > 150 ? '…' : ''}\n        ${p.plan.join(' | ')}`);
          checks.push({
            name: 'no claim statement scans Customer or CustomerNamePattern (EXPLAIN QUERY PLAN)',
            ok: scans.length === 0 && plans.length > 0,
            detail: scans.length ? scans.map((s) => s.scans.join('; ')).join(' / ') : `${plans.length} statements, all index searches`,
          });
        }
        await rm(file, { force: true });
        await rm(`${file}-wal`, { force: true });
        await rm(`${file}-shm`, { force: true });
      }
      for (const kind of KINDS) {
        const small = results.get(`${SIZES[0]}:${kind}`)!;
        const big = results.get(`${SIZES[1]}:${kind}`)!;
        rows.push(['1M / 1k', kind, '', ratio(big.p50, small.p50), ratio(big.p99, small.p99), '', '', '', '']);
        // The new-company claim is the whole path (every look-up, then the insert): it carries the target.
        if (kind !== 'new') continue;
        checks.push({ name: `new-company claim p50 at 1M within ${MAX_RATIO}x of 1k`, ok: big.p50 <= MAX_RATIO * small.p50, detail: `${ms(big.p50)} ms vs ${ms(small.p50)} ms (${ratio(big.p50, small.p50)})` });
        checks.push({ name: `new-company claim p99 at 1M within ${MAX_RATIO}x of 1k`, ok: big.p99 <= MAX_RATIO * small.p99, detail: `${ms(big.p99)} ms vs ${ms(small.p99)} ms (${ratio(big.p99, small.p99)})` });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const report = [
      `claimCustomer round trip in one process, ms; ${CLAIMS} claims per size after ${WARMUP} warm-up, one at a time;`,
      'new: a company not in the book (exact and near-duplicate look-ups find nothing, then the insert); typo: a stored',
      'name with one character changed (answered "did you mean"); taken: a stored company (refused, naming the owner)',
      table(['customers', 'claim', 'n', 'p50', 'p99', 'max', 'outcomes', 'db size', 'seed s'], rows),
      ...notes,
    ].join('\n');
    return { report, checks };
  },
};

/** Fills the migrated file with `size` customers; returns a sample of them for the claims. */
function seed(file: string, size: number, seedNumber: number): GeneratedCompany[] {
  const db = new Sqlite(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -1048576');
    // The generated rows are consistent by construction; checking each variant's customer costs a look-up a row.
    db.pragma('foreign_keys = OFF');
    db.exec('CREATE TEMP TABLE seed_pattern (hash INTEGER NOT NULL, seq INTEGER NOT NULL)');
    const indexes = db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${BIG_TABLES.map(() => '?').join(',')})`)
      .all(...BIG_TABLES) as { name: string; sql: string }[];
    for (const i of indexes) db.exec(`DROP INDEX "${i.name}"`);

    const random = seededRandom(seedNumber);
    const keys = new Set<string>();
    const codes = new Set<string>();
    const kept: GeneratedCompany[] = [];
    const insertCustomer = db.prepare(
      'INSERT INTO "Customer" (id, name, nameKey, pinyin, initials, creditCode, ownerId, stage, claimedAt, lastTouchAt, releaseAt, createdAt, updatedAt, seq) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
    );
    const insertPattern = db.prepare('INSERT INTO seed_pattern (hash, seq) VALUES (?, ?)');
    const insertEvent = db.prepare('INSERT INTO "OwnershipEvent" (id, customerId, kind, toPersonId, byPersonId, at) VALUES (?,?,?,?,?,?)');
    const now = Date.now();
    const days = new Map<number, string>();
    // 600 possible claim days: formatting each once keeps Date out of the million-row loop.
    const isoDaysAgo = (d: number) => {
      let s = days.get(d);
      if (!s) days.set(d, (s = new Date(now - d * 86_400_000).toISOString().replace('Z', '+00:00')));
      return s;
    };
    const nowIso = isoDaysAgo(0);
    const releaseIso = isoDaysAgo(-30);
    // Ids sort in insertion order (like time-ordered UUIDs), so the primary key grows at its end.
    const idPrefix = randomBytes(2).toString('hex');
    const idTail = randomBytes(5).toString('hex').slice(0, 9);
    let made = 0;
    const batch = db.transaction((n: number) => {
      for (let i = 0; i < n; ) {
        const c = randomCompany(random);
        if (keys.has(c.nameKey)) continue;
        let code: string | null = null;
        if (random() < 0.4) {
          code = randomCreditCode(random);
          if (codes.has(code)) continue;
          codes.add(code);
        }
        keys.add(c.nameKey);
        const id = `${made.toString(16).padStart(8, '0')}-${idPrefix}-4000-8000-${idTail}${(made % 4096).toString(16).padStart(3, '0')}`;
        const owner = `seed${made % 500}`;
        const claimed = isoDaysAgo(Math.floor(random() * 600));
        insertCustomer.run(id, c.name, c.nameKey, c.pinyin, c.initials, code, owner, [0, 25, 50, 75, 100][made % 5], claimed, claimed, releaseIso, nowIso, nowIso, made + 1);
        for (const h of nameHashes(c.nameKey, c.pinyin)) insertPattern.run(h, made + 1);
        insertEvent.run(`e${id}`, id, 'claim', owner, owner, claimed);
        if (random() < 2000 / size) kept.push(c);
        made++;
        i++;
      }
    });
    while (made < size) batch(Math.min(SEED_TX_ROWS, size - made));
    // Patterns arrive in random hash order; sorted once, they fill the primary key from its end.
    db.exec('INSERT OR IGNORE INTO "CustomerNamePattern" (hash, seq) SELECT hash, seq FROM seed_pattern ORDER BY hash, seq; DROP TABLE seed_pattern');
    for (const i of indexes) db.exec(i.sql);
    db.pragma('wal_checkpoint(TRUNCATE)');
    return kept;
  } finally {
    db.close();
  }
}

/** The claims: new companies, typos of stored ones, stored ones; timed one by one. */
async function measure(db: Database, directory: OrgDirectory, existing: GeneratedCompany[], size: number): Promise<Sample[]> {
  const store = createCustomerStore(db);
  const random = seededRandom(size + 7);
  const reps = directory.people.filter((p) => p.roles.includes('rep'));
  const samples: Sample[] = [];
  for (let i = 0; i < WARMUP + CLAIMS; i++) {
    const kind = KINDS[i % 5 < 3 ? 0 : i % 5 === 3 ? 1 : 2]!;
    const name = claimName(kind, random, existing);
    const claimant = reps[i % reps.length]!;
    const started = performance.now();
    const outcome = await claimCustomer({ store, directory, claimant, input: { name }, now: new Date() });
    const took = performance.now() - started;
    if (i >= WARMUP) samples.push({ kind, ms: took, outcome: outcome.kind });
  }
  return samples;
}

// Stored keys never contain these, so a name that starts with two of them has no stored
// name within one edit and no stored name at its start: a claim of it runs every look-up
// and then inserts, at any database size.
const NOVEL_HAN = '珑玥翊琛瑾璟熠珩';
const NOVEL_LATIN = ['yw', 'yy', 'wy', 'ww'];

function claimName(kind: ClaimKind, random: () => number, existing: GeneratedCompany[]): string {
  const pick = <T>(list: ArrayLike<T>): T => list[Math.floor(random() * list.length)]!;
  if (kind === 'new') {
    const c = randomCompany(random);
    return /^[a-z]/.test(c.nameKey) ? `${pick(NOVEL_LATIN)}${c.name}` : `${pick(NOVEL_HAN)}${pick(NOVEL_HAN)}${c.nameKey}有限公司`;
  }
  const stored = pick(existing);
  if (kind === 'taken') return stored.name;
  // One character of the name (not its region) changed: close, not equal.
  const chars = [...splitKey(stored.nameKey).core];
  const at = Math.floor(random() * chars.length);
  chars[at] = /[a-z]/.test(chars[at]!) ? (chars[at] === 'x' ? 'y' : 'x') : chars[at] === '鑫' ? '淼' : '鑫';
  return chars.join('');
}

interface Plan {
  sql: string;
  plan: string[];
  scans: string[];
}

/** Runs one claim of each kind with query logging, then EXPLAINs every distinct statement. */
async function queryPlans(file: string, directory: OrgDirectory, existing: GeneratedCompany[]): Promise<Plan[]> {
  const statements = new Map<string, unknown[]>();
  const prisma = new PrismaClient({ adapter: createSqliteAdapterFactory(file), log: [{ emit: 'event', level: 'query' }] });
  prisma.$on('query', (e) => {
    if (/^\s*(SELECT|INSERT|UPDATE|DELETE)/i.test(e.query)) statements.set(e.query, JSON.parse(e.params) as unknown[]);
  });
  const db = { prisma, provider: 'sqlite', url: `file:${file}`, ping: async () => {}, close: () => prisma.$disconnect() } as Database;
  try {
    const store = createCustomerStore(db);
    const claimant = directory.people.find((p) => p.roles.includes('rep'))!;
    const stored = existing[0]!;
    const latin = existing.find((c) => /^[a-z]+$/.test(c.nameKey));
    for (const name of [claimName('new', seededRandom(99), existing), `${splitKey(stored.nameKey).core.slice(0, -1)}鑫`, stored.name, latin ? latin.nameKey.slice(0, 5) : 'kalo', 'Zorbaltek Quinmor Labs']) {
      await claimCustomer({ store, directory, claimant, input: { name }, now: new Date() });
    }
  } finally {
    await prisma.$disconnect();
  }
  const sqlite = new Sqlite(file, { readonly: true });
  try {
    return [...statements].map(([sql, params]) => {
      const plan = (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params.map(bindable)) as { detail: string }[]).map((r) => r.detail);
      // "SCAN t" reads the whole table; "SCAN t USING (COVERING) INDEX" the whole index. Both are what must not happen.
      const scans = plan.filter((d) => new RegExp(`^SCAN (?:main\\.)?"?(${['Customer', 'CustomerNamePattern'].join('|')})"?\\b`).test(d));
      return { sql: sql.replace(/\s+/g, ' '), plan, scans };
    });
  } finally {
    sqlite.close();
  }
}

function bindable(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return v;
}

function count<T>(items: T[]): Map<T, number> {
  const m = new Map<T, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return m;
}

async function fileBytes(file: string): Promise<number> {
  let total = 0;
  for (const f of [file, `${file}-wal`]) total += await stat(f).then((s) => s.size, () => 0);
  return total;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
