// Import and export of the customer book against real databases (SQLite and PostgreSQL):
// the CLI's dry run and --apply, what an imported customer looks like in the database
// (variants, ownership history, release time), refusals against the database, and a
// generated 100,000-row file imported and exported again within time and memory bounds.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImportCli } from '../../src/cli/import-customers.ts';
import { loadOrgFile } from '../../src/config/org-file.ts';
import { exportCustomers } from '../../src/core/customers/export-customers.ts';
import { probeOf } from '../../src/core/customers/claim-customer.ts';
import { normaliseCompanyName } from '../../src/core/customers/normalise-name.ts';
import { createCustomerBook } from '../../src/db/repositories/customer-book.repository.ts';
import { createCustomerStore } from '../../src/db/repositories/customer.repository.ts';
import { customerBookRows } from '../support/company-names.ts';
import { TEST_ORG_FILE } from '../support/test-org.ts';
import { describeEachDatabase } from './databases.ts';

const directory = loadOrgFile(TEST_ORG_FILE);
// 5,000 rows (five import batches) on both databases keeps the suite short; the same path at 100,000 rows is the
// import figure of `npm run bench` (the SQL is the same, batched alike).
const bigFor = (_provider: string) => 5_000;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kehu-book-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeCsv(name: string, rows: Iterable<string[]> | AsyncIterable<string[]>): Promise<string> {
  const file = join(dir, name);
  await pipeline(Readable.from(rows), stringify(), createWriteStream(file));
  return file;
}

// Compiled, from dist/ (built once per run by test/support/global-setup.ts): no TypeScript
// loader to start in each of the runs below. `npm run import:customers` itself is run in
// migrations.test.ts.
const CLI = fileURLToPath(new URL('../../dist/cli/import-customers.js', import.meta.url));

/**
 * The CLI as an admin runs it: its own process (which also keeps SQLite to one writing
 * connection per process, see databases.ts), output and exit code captured.
 */
function cli(url: string) {
  let output = '';
  return {
    run: (...argv: string[]) =>
      new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...argv], {
          env: { PATH: process.env.PATH, DATABASE_URL: url, KEHU_ORG_FILE: TEST_ORG_FILE },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
        child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
        child.once('error', reject);
        child.once('close', (code) => resolve(code ?? -1));
      }),
    text: () => output,
  };
}

describeEachDatabase('customer book import and export', (getDb, provider, getTarget) => {
  it('dry run lists refusals by row and writes nothing; --apply writes the valid rows with their history', async () => {
    const db = getDb();
    const file = await writeCsv('small.csv', [
      ['名称', '信用代码', '负责人邮箱', '阶段', '认领时间', '最近跟进'],
      ['深圳市华为技术有限公司', '', 'tom.reed@kehu.test', '50', '2025-06-01', '2026-01-10 15:00'],
      ['华为技术（深圳）有限公司', '', 'wu.hao@kehu.test', '0', '2025-06-02', ''],
      ['Acme Trading Co., Ltd.', '', 'ghost@nowhere.test', '0', '2025-06-02', ''],
      ['Kalomi Robotics Inc.', '', 'wu.hao@kehu.test', '25', '2025-07-01T09:30:00+08:00', ''],
    ]);
    const dry = cli(getTarget().url);
    expect(await dry.run(file)).toBe(1);
    expect(dry.text()).toContain('row 3: same company as row 2 (both normalise to "华为技术（深圳市）")');
    expect(dry.text()).toContain('row 4: owner email "ghost@nowhere.test" is nobody in the org file');
    expect(dry.text()).toMatch(/4 rows, 2 valid, 2 refused/);
    expect(dry.text()).toContain('Dry run: nothing written');
    expect(await db.prisma.customer.count()).toBe(0);

    const apply = cli(getTarget().url);
    expect(await apply.run(file, '--apply')).toBe(1);
    expect(apply.text()).toContain('Written: 2 customers');
    const huawei = await db.prisma.customer.findUniqueOrThrow({ where: { nameKey: '华为技术@CN4403' }, include: { ownership: true } });
    expect(huawei).toMatchObject({ name: '深圳市华为技术有限公司', pinyin: 'huaweijishu', initials: 'hwjs', ownerId: 'tom.reed', stage: 50 });
    expect(huawei.claimedAt!.toISOString()).toBe('2025-05-31T16:00:00.000Z');
    expect(huawei.lastFollowUpAt!.toISOString()).toBe('2026-01-10T07:00:00.000Z');
    expect(huawei.lastTouchAt.toISOString()).toBe('2026-01-10T07:00:00.000Z');
    expect(huawei.releaseAt!.toISOString()).toBe('2026-02-24T07:00:00.000Z'); // 45 days at 50%
    expect(huawei.ownership.map((e) => ({ kind: e.kind, to: e.toPersonId, at: e.at.toISOString(), reason: e.reason }))).toEqual([
      { kind: 'import', to: 'tom.reed', at: '2025-05-31T16:00:00.000Z', reason: 'imported from small.csv, row 2' },
    ]);
    expect(await db.prisma.customerNamePattern.count({ where: { seq: huawei.seq! } })).toBe(6); // core, 4 wildcards, pinyin

    // The imported book takes part in duplicate detection like any claim.
    const store = createCustomerStore(db);
    expect((await store.findByKeyOrCode('华为技术@CN4403'))?.ownerId).toBe('tom.reed');
    expect((await store.identityCandidates(probeOf(normaliseCompanyName('华为枝术')))).map((c) => c.nameKey)).toContain('华为技术@CN4403');

    // A second import of the same file refuses what is now in the database.
    const again = cli(getTarget().url);
    expect(await again.run(file)).toBe(1);
    expect(again.text()).toContain('row 2: already registered: "深圳市华为技术有限公司" (the same company)');
    expect(again.text()).toContain('row 5: already registered: "Kalomi Robotics Inc." (the same company)');
  }, 60_000);

  it('writes the aliases column with its customer; an alias already in the database refuses its row; the export re-imports unchanged', async () => {
    const db = getDb();
    const file = await writeCsv('aliases.csv', [
      ['名称', '负责人邮箱', '认领时间', '别名'],
      ['上海浦东发展银行股份有限公司', 'tom.reed@kehu.test', '2025-06-01', '浦发银行|SPD Bank'],
      ['华为云计算技术有限公司', 'wu.hao@kehu.test', '2025-06-01', '华为云|深圳市华为技术有限公司'],
      ['中国工商银行股份有限公司', 'wu.hao@kehu.test', '2025-06-01', '中国工商银行'],
    ]);
    const apply = cli(getTarget().url);
    expect(await apply.run(file, '--apply')).toBe(1);
    expect(apply.text()).toContain('row 3: alias "深圳市华为技术有限公司" is already the name of another customer, "深圳市华为技术有限公司"');
    expect(apply.text()).toContain('row 4: alias "中国工商银行" is the company\'s own name, not another one');
    expect(apply.text()).toContain('Written: 1 customers');
    const pufa = await db.prisma.customer.findFirstOrThrow({ where: { name: '上海浦东发展银行股份有限公司' }, include: { aliases: { orderBy: { key: 'asc' } } } });
    expect(pufa.aliases.map((a) => [a.key, a.name, a.pinyin])).toEqual([['spdbank', 'SPD Bank', 'spdbank'], ['浦发银行', '浦发银行', 'pufayinhang']]);
    expect(await db.prisma.customer.count({ where: { name: '华为云计算技术有限公司' } })).toBe(0);
    // The aliases are keys of the customer: found by them, and in the name index (a typo of one).
    const store = createCustomerStore(db);
    expect((await store.findByKeyOrCode('浦发银行'))?.id).toBe(pufa.id);
    expect((await store.identityCandidates(probeOf(normaliseCompanyName('浦发银航')))).map((c) => c.id)).toContain(pufa.id);

    const ex = await exportCustomers({ source: createCustomerBook(db), directory, manager: directory.person('mei.lin')!, locale: 'zh-CN' });
    const rows: string[][] = [];
    for await (const r of ex.rows()) rows.push(r);
    expect(rows[0]!.at(-1)).toBe('别名');
    expect(rows.find((r) => r[0] === '上海浦东发展银行股份有限公司')!.at(-1)!.split('|').sort()).toEqual(['SPD Bank', '浦发银行']);
    const back = await writeCsv(`aliases-back-${provider}.csv`, rows);
    const before = await db.prisma.customerAlias.findMany({ orderBy: { key: 'asc' }, select: { key: true, name: true, pinyin: true, customer: { select: { name: true } } } });
    await db.prisma.customer.deleteMany();
    await db.prisma.customerNamePattern.deleteMany();
    const reimport = cli(getTarget().url);
    expect(await reimport.run(back, '--apply')).toBe(0);
    expect(await db.prisma.customerAlias.findMany({ orderBy: { key: 'asc' }, select: { key: true, name: true, pinyin: true, customer: { select: { name: true } } } })).toEqual(before);
  }, 60_000);

  it('exits 2 and writes nothing for a file that is not a customer book', async () => {
    const file = join(dir, 'not-a-book.csv');
    await writeFile(file, 'company,phone\nAcme,123\n');
    const run = cli(getTarget().url);
    expect(await run.run(file, '--apply')).toBe(2);
    expect(run.text()).toMatch(/no owner_email column[\s\S]*Nothing was written/);
    const gbk = join(dir, 'gbk.csv');
    await writeFile(gbk, Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xc4, 0xcf, 0xbe, 0xa9, 0x0a]));
    const enc = cli(getTarget().url);
    expect(await enc.run(gbk)).toBe(2);
    expect(enc.text()).toContain('--encoding gb18030');
    expect(await cli(getTarget().url).run()).toBe(2);
  }, 60_000);

  it(
    `imports ${bigFor(provider).toLocaleString('en')} generated rows in one transaction and exports them again`,
    async () => {
      const BIG = bigFor(provider);
      const db = getDb();
      await db.prisma.customer.deleteMany();
      const owners = ['tom.reed@kehu.test', 'wu.hao@kehu.test', 'mei.lin@kehu.test'];
      const file = await writeCsv(`big-${provider}.csv`, customerBookRows(BIG, owners, 42));
      const size = (await stat(file)).size;

      const started = performance.now();
      const run = cli(getTarget().url);
      const code = await run.run(file, '--apply');
      const seconds = (performance.now() - started) / 1000;
      expect(run.text(), run.text().slice(0, 2000)).toContain(`${BIG} rows, ${BIG} valid, 0 refused`);
      expect(code).toBe(0);
      const peakMb = Number(/peak memory (\d+) MB/.exec(run.text())?.[1]);
      console.info(`[${provider}] import of ${BIG} rows (${(size / 2 ** 20).toFixed(1)} MB): ${seconds.toFixed(1)} s, peak memory ${peakMb} MB`);
      expect(await db.prisma.customer.count()).toBe(BIG);
      expect(await db.prisma.ownershipEvent.count({ where: { kind: 'import' } })).toBe(BIG);
      expect(await db.prisma.customerNamePattern.count()).toBeGreaterThan(BIG * 4);
      // A guard against holding the whole book in memory, not a speed target (that is the bench's job).
      expect(peakMb).toBeLessThan(1536);

      const exportStarted = performance.now();
      const ex = await exportCustomers({ source: createCustomerBook(db), directory, manager: directory.person('mei.lin')!, locale: 'en' });
      expect(ex.count).toBe(BIG);
      const back = await writeCsv(`back-${provider}.csv`, ex.rows());
      console.info(`[${provider}] export of ${BIG} rows: ${((performance.now() - exportStarted) / 1000).toFixed(1)} s`);

      // The exported file is the same book: importing it again refuses every row as known.
      const reimport = cli(getTarget().url);
      expect(await reimport.run(back)).toBe(1);
      expect(reimport.text()).toContain(`${BIG} rows, 0 valid, ${BIG} refused`);
    },
    300_000,
  );
});

describe('customer book CLI usage', () => {
  it('explains itself without a file', async () => {
    const lines: string[] = [];
    expect(await runImportCli(['a.csv', 'b.csv'], { env: {}, err: (l) => lines.push(l) })).toBe(2);
    expect(lines.join('\n')).toMatch(/give one file\nusage: npm run import:customers -- <file.csv> \[--apply\]/);
  });
});

// On a database of its own: the other tests count what they wrote.
describeEachDatabase('customer book: regional keys', (getDb) => {
  it('finds every regional key of a core (and its aliases) by index range, not the core alone or a longer core', async () => {
    const db = getDb();
    const book = createCustomerBook(db);
    const rows = ['广东大疆创新科技有限公司', '大疆创新科技有限公司', '大疆创新科技集团研究院有限公司'].map((name, i) => {
      const n = normaliseCompanyName(name);
      return { row: i + 2, name, nameKey: n.key, pinyin: n.pinyin, initials: n.initials, ownerId: 'tom.reed', stage: 0 as const, claimedAt: new Date('2025-01-01T00:00:00Z'), lastTouchAt: new Date('2025-01-01T00:00:00Z'), releaseAt: new Date('2099-01-01T00:00:00Z'), aliases: [] };
    });
    await book.insertImported(rows, 'range.csv');
    const core = normaliseCompanyName('深圳市大疆创新科技有限公司').key.split('@')[0]!;
    const found = await book.findExisting([], [], [core]);
    expect(found.map((f) => f.name)).toEqual(['广东大疆创新科技有限公司']);
  });

  it("refuses, writing nothing, a file whose alias was claimed as a name (or whose name became an alias) between the check and the write", async () => {
    const db = getDb();
    const book = createCustomerBook(db);
    const row = (name: string, aliases: string[] = [], r = 2) => {
      const n = normaliseCompanyName(name);
      const at = new Date('2025-01-01T00:00:00Z');
      return {
        row: r, name, nameKey: n.key, pinyin: n.pinyin, initials: n.initials, ownerId: 'tom.reed', stage: 0 as const, claimedAt: at, lastTouchAt: at, releaseAt: new Date('2099-01-01T00:00:00Z'),
        aliases: aliases.map((a) => ({ key: normaliseCompanyName(a).key, name: a, pinyin: normaliseCompanyName(a).pinyin })),
      };
    };
    // Claimed meanwhile: 浦发银行 as a company of its own; 上海浦东发展银行 with the alias SPDB.
    await book.insertImported([row('浦发银行'), row('上海浦东发展银行股份有限公司', ['SPDB'], 3)], 'meanwhile.csv');
    const before = await db.prisma.customer.count();
    await expect(book.insertImported([row('浦东发展银行研究所有限公司', ['浦发银行'])], 'late.csv')).rejects.toMatchObject({ code: 'CONFLICT', details: { reason: 'importRace' } });
    await expect(book.insertImported([row('SPDB')], 'late.csv')).rejects.toMatchObject({ code: 'CONFLICT', details: { reason: 'importRace' } });
    expect(await db.prisma.customer.count()).toBe(before);
  });
});
