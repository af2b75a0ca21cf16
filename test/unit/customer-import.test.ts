// The customer-book CSV rules without a database: header names in both languages, dates
// in the org's time zone, every refusal reason with its row number, the round trip of the
// export format, and the test-name generator agreeing with the real normaliser.
import { describe, expect, it } from 'vitest';
import { loadOrgFile } from '../../src/config/org-file.ts';
import { creditCodeCheckChar } from '../../src/core/customers/credit-code.ts';
import { exportCustomers, teamOf, type ExportedCustomer } from '../../src/core/customers/export-customers.ts';
import { exportHeader, formatExportDate, guardCell, mapHeader, parseImportDate, unguardCell } from '../../src/core/customers/import-columns.ts';
import { importCustomers, type ImportStore } from '../../src/core/customers/import-customers.ts';
import { ImportRowChecker, type ImportRow } from '../../src/core/customers/import-rows.ts';
import { normaliseCompanyName } from '../../src/core/customers/normalise-name.ts';
import { DEFAULT_POOL_RULES } from '../../src/core/customers/pool-rules.ts';
import { randomCompany, randomCreditCode, seededRandom } from '../support/company-names.ts';
import { TEST_ORG_FILE } from '../support/test-org.ts';

const directory = loadOrgFile(TEST_ORG_FILE);
const NOW = new Date('2026-03-01T04:00:00Z');
const TZ = 'Asia/Shanghai';
const CODE = `91440300MA5F${'00000'}`;
const GOOD_CODE = CODE + creditCodeCheckChar(CODE);

async function* from(rows: string[][]): AsyncIterable<string[]> {
  yield* rows;
}

function memoryStore(existing: { name: string; nameKey: string; creditCode?: string }[] = []): ImportStore & { written: ImportRow[] } {
  const written: ImportRow[] = [];
  return {
    written,
    async findExisting(keys, codes, regionalCores = []) {
      return existing.filter(
        (e) => keys.includes(e.nameKey) || (e.creditCode !== undefined && codes.includes(e.creditCode)) || regionalCores.some((core) => e.nameKey.startsWith(`${core}@`)),
      );
    },
    async insertImported(rows) {
      written.push(...rows);
    },
  };
}

describe('import header', () => {
  it('takes English and Chinese header names, in any order, with spreadsheet spelling', () => {
    const en = mapHeader(['name', 'credit_code', 'owner_email', 'stage', 'claimed_at', 'last_follow_up']);
    expect(en).toEqual({ ok: true, columns: { name: 0, creditCode: 1, ownerEmail: 2, stage: 3, claimedAt: 4, lastFollowUp: 5 }, ignored: [] });
    const zh = mapHeader(['最近跟进', '认领时间', '阶段', '负责人邮箱', '信用代码', '名称', '备注']);
    expect(zh).toEqual({ ok: true, columns: { lastFollowUp: 0, claimedAt: 1, stage: 2, ownerEmail: 3, creditCode: 4, name: 5 }, ignored: ['备注'] });
    expect(mapHeader([' Name ', 'Owner Email', 'CLAIMED-AT'])).toMatchObject({ ok: true, columns: { name: 0, ownerEmail: 1, claimedAt: 2 } });
  });

  it('names the missing and doubled columns', () => {
    const r = mapHeader(['名称', 'name', 'stage']);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.join('\n')).toMatch(/appears twice[\s\S]*no owner_email column \(header owner_email or 负责人邮箱\)[\s\S]*no claimed_at column/);
  });

  it('writes its header in the reader language', () => {
    expect(exportHeader('en')).toEqual(['name', 'credit_code', 'owner_email', 'stage', 'claimed_at', 'last_follow_up', 'aliases']);
    expect(exportHeader('zh-CN')).toEqual(['名称', '信用代码', '负责人邮箱', '阶段', '认领时间', '最近跟进', '别名']);
    expect(mapHeader(['名称', '负责人邮箱', '认领时间', '别名'])).toMatchObject({ ok: true, columns: { aliases: 3 } });
    expect(mapHeader(['name', 'owner_email', 'claimed_at', 'Aliases'])).toMatchObject({ ok: true, columns: { aliases: 3 } });
  });
});

describe('import dates', () => {
  it('reads a day as that day in the org time zone, and explicit zones as given', () => {
    expect(parseImportDate('2024-03-05', TZ)?.toISOString()).toBe('2024-03-04T16:00:00.000Z');
    expect(parseImportDate('2024/3/5 14:30', TZ)?.toISOString()).toBe('2024-03-05T06:30:00.000Z');
    expect(parseImportDate('2024年3月5日', TZ)?.toISOString()).toBe('2024-03-04T16:00:00.000Z');
    expect(parseImportDate('2024-03-05T14:30:10Z', TZ)?.toISOString()).toBe('2024-03-05T14:30:10.000Z');
    expect(parseImportDate('2024-03-05T14:30:10.123-05:00', TZ)?.toISOString()).toBe('2024-03-05T19:30:10.123Z');
    // Across a DST change in a zone that has one.
    expect(parseImportDate('2024-07-01 12:00', 'Europe/Berlin')?.toISOString()).toBe('2024-07-01T10:00:00.000Z');
    expect(parseImportDate('2024-01-01 12:00', 'Europe/Berlin')?.toISOString()).toBe('2024-01-01T11:00:00.000Z');
  });

  it('refuses what is not a real date', () => {
    for (const bad of ['2024-02-30', '2024-13-01', '05/03/2024', 'yesterday', '2024-03-05 25:00', '']) expect(parseImportDate(bad, TZ)).toBeUndefined();
  });

  it('writes dates that read back to the same second', () => {
    const d = new Date('2024-03-05T06:30:10.000Z');
    expect(formatExportDate(d, TZ)).toBe('2024-03-05T14:30:10+08:00');
    expect(parseImportDate(formatExportDate(d, TZ), TZ)).toEqual(d);
    expect(formatExportDate(d, 'America/New_York')).toBe('2024-03-05T01:30:10-05:00');
  });

  it('guards formula cells in both directions', () => {
    expect(guardCell('=HYPERLINK("x")')).toBe(`'=HYPERLINK("x")`);
    expect(unguardCell(guardCell('=HYPERLINK("x")'))).toBe('=HYPERLINK("x")');
    expect(guardCell('华为')).toBe('华为');
    expect(unguardCell("'ok")).toBe("'ok");
  });
});

describe('import rows', () => {
  const header = ['name', 'credit_code', 'owner_email', 'stage', 'claimed_at', 'last_follow_up'];

  it('turns a good row into a customer with key, pinyin, owner, dates and pool release time', async () => {
    const store = memoryStore();
    const report = await importCustomers({
      records: from([header, ['深圳市华为技术有限公司', GOOD_CODE, 'TOM.REED@kehu.test', '50%', '2025-12-01', '2026-02-20 10:00']]),
      directory,
      store,
      apply: true,
      now: NOW,
      source: 'book.csv',
    });
    expect(report).toMatchObject({ rows: 1, valid: 1, refusedRows: 0, problems: [], applied: true, written: 1, alreadyDue: 0 });
    const row = store.written[0]!;
    expect(row).toMatchObject({ row: 2, name: '深圳市华为技术有限公司', nameKey: '华为技术@CN4403', pinyin: 'huaweijishu', initials: 'hwjs', creditCode: GOOD_CODE, ownerId: 'tom.reed', stage: 50 });
    expect(row.claimedAt.toISOString()).toBe('2025-11-30T16:00:00.000Z');
    expect(row.lastTouchAt.toISOString()).toBe('2026-02-20T02:00:00.000Z');
    expect(row.releaseAt.getTime()).toBe(row.lastTouchAt.getTime() + DEFAULT_POOL_RULES.protectionDays[50] * 86_400_000);
  });

  it('refuses each bad row with its row number and reason, and writes nothing on a dry run', async () => {
    const store = memoryStore([{ name: '阿里巴巴（中国）有限公司', nameKey: '阿里巴巴' }]);
    const report = await importCustomers({
      records: from([
        header,
        ['腾讯科技', '', 'tom.reed@kehu.test', '', '2025-01-02', ''], // 2: fine
        ['', '', 'tom.reed@kehu.test', '0', '2025-01-02', ''], // 3: empty name
        ['有限公司', '', 'tom.reed@kehu.test', '0', '2025-01-02', ''], // 4: only a legal form
        ['字节跳动', '', 'nobody@kehu.test', '0', '2025-01-02', ''], // 5: unknown owner
        ['美团', '', 'wu.hao@kehu.test', '60', '2025-01-02', ''], // 6: bad stage
        ['京东', '91440300MA5F000001', 'wu.hao@kehu.test', '25', '2025-01-02', ''], // 7: bad checksum
        ['小米', '', 'wu.hao@kehu.test', '25', '2025-02-30', 'soon'], // 8: two bad dates
        ['网易', '', 'wu.hao@kehu.test', '25', '2027-01-01', ''], // 9: future
        ['腾讯科技有限公司', '', 'wu.hao@kehu.test', '25', '2025-01-02', ''], // 10: same as row 2
        ['', '', '', '', '', ''], // 11: blank, skipped
        ['阿里巴巴', '', 'wu.hao@kehu.test', '25', '2025-01-02', ''], // 12: in the database
        ['百度', GOOD_CODE, 'wu.hao@kehu.test', 'lost', '', ''], // 13: lost, no claim date
        ['百度在线', GOOD_CODE, 'wu.hao@kehu.test', '0', '2025-01-02', ''], // 14: fine
        ['百度网讯', ` ${GOOD_CODE.toLowerCase()} `, 'wu.hao@kehu.test', '0', '2025-01-02', ''], // 15: same code as 14
      ]),
      directory,
      store,
      apply: false,
      now: NOW,
      source: 'book.csv',
    });
    expect(report.problems.map((p) => [p.row, p.reason])).toEqual([
      [3, 'nameEmpty'],
      [4, 'nameEmpty'],
      [5, 'ownerUnknown'],
      [6, 'stageBad'],
      [7, 'creditCodeBad'],
      [8, 'claimedAtBad'],
      [8, 'lastFollowUpBad'],
      [9, 'dateInFuture'],
      [10, 'duplicateInFile'],
      [12, 'duplicateInDatabase'],
      [13, 'stageBad'],
      [13, 'claimedAtMissing'],
      [15, 'duplicateInFile'],
    ]);
    expect(report.problems.find((p) => p.row === 10)!.message).toBe('same company as row 2 (both normalise to "腾讯科技")');
    expect(report.problems.find((p) => p.row === 12)!.message).toBe('already registered: "阿里巴巴（中国）有限公司" (the same company)');
    expect(report.problems.find((p) => p.row === 7)!.message).toMatch(/fails its check character/);
    expect(report).toMatchObject({ rows: 13, valid: 2, refusedRows: 11, applied: false, written: 0 });
    expect(store.written).toEqual([]);
  });

  it('reads the aliases column, |-separated, each checked as the alias command checks it', async () => {
    const store = memoryStore([{ name: '招商银行股份有限公司', nameKey: '招商银行' }]);
    const aliasHeader = [...header, 'aliases'];
    const row = (name: string, aliases: string) => [name, '', 'tom.reed@kehu.test', '0', '2025-01-02', '', aliases];
    const report = await importCustomers({
      records: from([
        aliasHeader,
        row('上海浦东发展银行股份有限公司', '浦发银行 | SPD Bank|浦发银行|'), // 2: two aliases (one named twice), a trailing separator
        row('华为技术有限公司', '华为技术股份有限公司'), // 3: its own name
        row('中国工商银行股份有限公司', `工行|${'工'.repeat(201)}`), // 4: over 200 characters
        row('中国建设银行股份有限公司', '建行\u0007'), // 5: a control character
        row('中国农业银行股份有限公司', '\u200b\u200d'), // 6: only format characters
        row('中国银行股份有限公司', '招商银行'), // 7: another customer's name in the database
        row('浦发硅谷银行有限公司', 'SPD Bank'), // 8: a name of row 2
        row('SPD Bank', ''), // 9: a name of row 2, in the name column
      ]),
      directory,
      store,
      apply: true,
      now: NOW,
      source: 'book.csv',
    });
    expect(report.problems.map((p) => [p.row, p.reason, p.message])).toEqual([
      [3, 'aliasBad', 'alias "华为技术股份有限公司" is the company\'s own name, not another one'],
      [4, 'aliasBad', `alias "${'工'.repeat(201)}" is longer than 200 characters`],
      [5, 'aliasBad', 'alias "建行\u0007" contains control characters'],
      [6, 'aliasBad', 'alias "\u200b\u200d" is only invisible characters (zero-width spaces, direction marks)'],
      [7, 'duplicateInDatabase', 'alias "招商银行" is already the name of another customer, "招商银行股份有限公司"'],
      [8, 'duplicateInFile', 'alias "SPD Bank" is a name of the company in row 2 (both normalise to "spdbank")'],
      [9, 'duplicateInFile', 'same company as row 2 (both normalise to "spdbank")'],
    ]);
    expect(store.written.map((r) => [r.row, r.aliases])).toEqual([
      [2, [{ key: '浦发银行', name: '浦发银行', pinyin: 'pufayinhang' }, { key: 'spdbank', name: 'SPD Bank', pinyin: 'spdbank' }]],
    ]);
  });

  it('regions are part of identity: one region containing the other is the same company, in the file and in the database', async () => {
    const key = (name: string) => normaliseCompanyName(name).key;
    const store = memoryStore([{ name: '广东大疆创新科技有限公司', nameKey: key('广东大疆创新科技有限公司') }]);
    expect(key('广东大疆创新科技有限公司')).not.toBe(key('深圳市大疆创新科技有限公司'));
    const row = (name: string) => [name, '', 'tom.reed@kehu.test', '0', '2025-01-02', ''];
    const report = await importCustomers({
      records: from([
        header,
        row('深圳市大疆创新科技有限公司'), // 2: the stored one, by a city of its province
        row('上海农村商业银行股份有限公司'), // 3
        row('北京农村商业银行股份有限公司'), // 4: another region, another bank
        row('上海市农村商业银行'), // 5: row 3 again
        row('广东吉利控股集团有限公司'), // 6
        row('深圳市吉利控股集团有限公司'), // 7: within row 6's province
      ]),
      directory,
      store,
      apply: true,
      now: NOW,
      source: 'book.csv',
    });
    expect(report.problems.map((p) => [p.row, p.reason]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [2, 'duplicateInDatabase'],
      [5, 'duplicateInFile'],
      [7, 'duplicateInFile'],
    ]);
    expect(report.problems.find((p) => p.row === 2)!.message).toBe('already registered: "广东大疆创新科技有限公司" (the same company, one region containing the other)');
    expect(report.problems.find((p) => p.row === 7)!.message).toContain('one region contains the other');
    expect(store.written.map((r) => r.row)).toEqual([3, 4, 6]);
  });

  it('counts rows whose protection already ran out', async () => {
    const report = await importCustomers({
      records: from([header, ['腾讯', '', 'tom.reed@kehu.test', '0', '2024-01-02', '2024-02-01']]),
      directory,
      store: memoryStore(),
      apply: false,
      now: NOW,
      source: 'x.csv',
    });
    expect(report.alreadyDue).toBe(1);
  });

  it('refuses a file whose header is not a customer book, and an empty file', async () => {
    const run = (rows: string[][]) => importCustomers({ records: from(rows), directory, store: memoryStore(), apply: false, now: NOW, source: 'x.csv' });
    await expect(run([['company', 'phone']])).rejects.toThrow(/no owner_email column/);
    await expect(run([])).rejects.toThrow(/empty/);
  });

  it('checks a row alone too (the checker remembers valid rows only)', () => {
    const header = mapHeader(['名称', '负责人邮箱', '认领时间']);
    if (!header.ok) throw new Error('header');
    const checker = new ImportRowChecker(directory, header.columns, NOW);
    expect(checker.check(2, ['华为', 'nobody@x.test', '2025-01-01']).ok).toBe(false);
    expect(checker.check(3, ['华为', 'wu.hao@kehu.test', '2025-01-01']).ok).toBe(true);
  });
});

describe('export rows', () => {
  it('is the manager and everyone below them', () => {
    const mei = directory.person('mei.lin')!;
    expect(teamOf(directory, mei).map((p) => p.id)).toEqual(['mei.lin', 'tom.reed', 'wu.hao']);
  });

  it('writes the import format, so the file imports again unchanged', async () => {
    const customers: ExportedCustomer[] = [
      { name: '深圳市华为技术有限公司', creditCode: GOOD_CODE, ownerId: 'tom.reed', stage: 75, claimedAt: new Date('2025-05-01T02:03:04Z'), lastFollowUpAt: new Date('2026-02-01T09:00:00Z'), aliases: ['华为', 'Huawei'] },
      { name: '=Acme Trading', ownerId: 'mei.lin', stage: 0, claimedAt: new Date('2025-06-01T00:00:00Z'), aliases: [] },
    ];
    const ex = await exportCustomers({
      source: {
        countOwnedBy: async () => 2,
        async *ownedBy() {
          yield* customers;
        },
      },
      directory,
      manager: directory.person('mei.lin')!,
      locale: 'zh-CN',
    });
    expect(ex.count).toBe(2);
    const rows: string[][] = [];
    for await (const r of ex.rows()) rows.push(r);
    expect(rows).toEqual([
      ['名称', '信用代码', '负责人邮箱', '阶段', '认领时间', '最近跟进', '别名'],
      ['深圳市华为技术有限公司', GOOD_CODE, 'tom.reed@kehu.test', '75', '2025-05-01T10:03:04+08:00', '2026-02-01T17:00:00+08:00', '华为|Huawei'],
      ["'=Acme Trading", '', 'mei.lin@kehu.test', '0', '2025-06-01T08:00:00+08:00', '', ''],
    ]);
    const store = memoryStore();
    const report = await importCustomers({ records: from(rows), directory, store, apply: true, now: NOW, source: 'export.csv' });
    expect(report.problems).toEqual([]);
    const aliasNames = (r: ImportRow) => r.aliases.map((a) => a.name);
    expect(store.written.map((r) => [r.name, r.creditCode, r.ownerId, r.stage, r.claimedAt.toISOString(), r.lastFollowUpAt?.toISOString(), aliasNames(r)])).toEqual([
      ['深圳市华为技术有限公司', GOOD_CODE, 'tom.reed', 75, '2025-05-01T02:03:04.000Z', '2026-02-01T09:00:00.000Z', ['华为', 'Huawei']],
      ['=Acme Trading', undefined, 'mei.lin', 0, '2025-06-01T00:00:00.000Z', undefined, []],
    ]);
  });

  it('is for managers only', async () => {
    await expect(
      exportCustomers({ source: { countOwnedBy: async () => 0, ownedBy: () => from([]) as AsyncIterable<never> }, directory, manager: directory.person('tom.reed')!, locale: 'en' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('generated company names (tests and benchmark)', () => {
  it('carry the key, pinyin and initials the real normaliser gives them', () => {
    const random = seededRandom(2026);
    for (let i = 0; i < 3000; i++) {
      const c = randomCompany(random);
      const n = normaliseCompanyName(c.name);
      expect({ name: c.name, key: n.key, pinyin: n.pinyin, initials: n.initials }).toEqual({ name: c.name, key: c.nameKey, pinyin: c.pinyin, initials: c.initials });
    }
  });

  it('make valid credit codes', async () => {
    const { checkCreditCode } = await import('../../src/core/customers/credit-code.ts');
    const random = seededRandom(1);
    for (let i = 0; i < 200; i++) expect(checkCreditCode(randomCreditCode(random)).ok).toBe(true);
  });
});
