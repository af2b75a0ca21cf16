// The upgrade of how names are keyed, on SQLite and PostgreSQL: a database migrated and
// filled by the kehu before regions were part of keys (rows written as that code wrote
// them: old keys, deletion variants, no seq) is migrated and re-keyed at start-up; then
// claims see the upgraded book as they see a new one.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrgFile } from '../../src/config/org-file.ts';
import { claimCustomer } from '../../src/core/customers/claim-customer.ts';
import { openDatabase, type Provider } from '../../src/db/client.ts';
import { readMigrationsList, schemaPathFor } from '../../src/db/migration-files.ts';
import { createScratchDatabase } from '../../src/db/pg-admin.ts';
import { createCustomerStore } from '../../src/db/repositories/customer.repository.ts';
import { rekeyCustomers } from '../../src/db/rekey-customers.ts';
import { NO_FILTERS, withSchemaEngine } from '../../src/db/schema-engine.ts';
import { TEST_ORG_FILE } from '../support/test-org.ts';
import { PG_ADMIN_URL, PG_AVAILABLE, PROVIDERS } from './databases.ts';

const directory = loadOrgFile(TEST_ORG_FILE);
const FIRST_IDENTITY_MIGRATION = /_identity$/;

/** A database at the last migration before the identity one. */
async function oldDatabase(provider: Provider): Promise<{ url: string; cleanup: () => Promise<void> }> {
  let url: string;
  let cleanup: () => Promise<void>;
  if (provider === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'kehu-rekey-'));
    url = `file:${join(dir, 'kehu.db')}`;
    cleanup = () => rm(dir, { recursive: true, force: true });
  } else {
    const scratch = await createScratchDatabase(PG_ADMIN_URL, 'kehu_rekey');
    url = scratch.url;
    cleanup = scratch.drop;
  }
  const all = await readMigrationsList(provider);
  const cut = all.migrationDirectories.findIndex((m) => FIRST_IDENTITY_MIGRATION.test(m.path));
  const migrationsList = { ...all, migrationDirectories: all.migrationDirectories.slice(0, cut) };
  await withSchemaEngine({ provider, url, schema: await readFile(schemaPathFor(provider), 'utf8') }, (engine) =>
    engine.applyMigrations({ migrationsList, filters: NO_FILTERS }),
  );
  return { url, cleanup };
}

/** What the old claim wrote: its key (one leading region removed, format characters kept) and deletion variants. */
const OLD_ROWS = [
  { name: '深圳市华为技术有限公司', key: '华为技术', pinyin: 'huaweijishu', claimed: '2025-01-01T00:00:00Z', owner: 'tom.reed' },
  { name: '华为\u200b技术有限公司', key: '华为\u200b技术', pinyin: 'huaweijishu', claimed: '2025-02-01T00:00:00Z', owner: 'wu.hao' },
  { name: '上海农村商业银行股份有限公司', key: '农村商业银行', pinyin: 'nongcunshangyeyinhang', claimed: '2025-03-01T00:00:00Z', owner: 'tom.reed' },
  { name: '比亚迪股份有限公司', key: '比亚迪', pinyin: 'biyadi', claimed: '2025-04-01T00:00:00Z', owner: 'tom.reed' },
  // Written later, with a zero-width joiner pasted in: a second record of the first.
  { name: '华为\u200d技术服务有限公司', key: '华为\u200d技术服务', pinyin: 'huaweijishufuwu', claimed: '2025-06-01T00:00:00Z', owner: 'wu.hao' },
  { name: '华为技术服务有限公司', key: '华为技术服务', pinyin: 'huaweijishufuwu', claimed: '2025-05-01T00:00:00Z', owner: 'tom.reed' },
];

async function writeOldRows(url: string, provider: Provider): Promise<string[]> {
  const db = await openDatabase(url);
  const ids: string[] = [];
  try {
    for (const r of OLD_ROWS) {
      const id = randomUUID();
      ids.push(id);
      const at = new Date(r.claimed);
      await db.prisma.$executeRawUnsafe(
        provider === 'sqlite'
          ? 'INSERT INTO "Customer" (id, name, "nameKey", pinyin, initials, "ownerId", stage, "claimedAt", "lastTouchAt", "releaseAt", "createdAt", "updatedAt") VALUES (?,?,?,?,?,?,0,?,?,?,?,?)'
          : 'INSERT INTO "Customer" (id, name, "nameKey", pinyin, initials, "ownerId", stage, "claimedAt", "lastTouchAt", "releaseAt", "createdAt", "updatedAt") VALUES ($1,$2,$3,$4,$5,$6,0,$7,$8,$9,$10,$11)',
        id, r.name, r.key, r.pinyin, '', r.owner, at, at, new Date('2030-01-01T00:00:00Z'), at, at,
      );
      const chars = [...r.key];
      for (let i = 0; i < chars.length && chars.length >= 4; i++) {
        const variant = [...chars.slice(0, i), ...chars.slice(i + 1)].join('');
        await db.prisma.$executeRawUnsafe(
          provider === 'sqlite' ? 'INSERT OR IGNORE INTO "CustomerNameVariant" (variant, "customerId") VALUES (?, ?)' : 'INSERT INTO "CustomerNameVariant" (variant, "customerId") VALUES ($1, $2) ON CONFLICT DO NOTHING',
          variant, id,
        );
      }
    }
  } finally {
    await db.close();
  }
  return ids;
}

for (const provider of PROVIDERS) {
  describe.skipIf(provider === 'postgresql' && !PG_AVAILABLE)(`[${provider}] re-keying customers written by the old code`, () => {
    it('migrates, re-keys at start-up, and claims then see the book as new claims would', async () => {
      const { url, cleanup } = await oldDatabase(provider);
      try {
        const [huawei, zwsp, bank, byd, zwj, service] = (await writeOldRows(url, provider)) as [string, string, string, string, string, string];
        const logs: string[] = [];
        const db = await openDatabase(url, { migrate: true, log: (m) => logs.push(m) });
        try {
          expect(logs.join('\n')).toContain('re-keying 6 customers');
          const rows = await db.prisma.customer.findMany({ select: { id: true, name: true, nameKey: true, seq: true, nearDuplicateOfId: true } });
          const byId = new Map(rows.map((r) => [r.id, r]));
          expect(byId.get(huawei)).toMatchObject({ nameKey: '华为技术@CN4403', nearDuplicateOfId: null });
          // The old key of 深圳市华为技术 is free again: 华为技术 (with its zero-width space gone) takes it.
          expect(byId.get(zwsp)).toMatchObject({ name: '华为技术有限公司', nameKey: '华为技术', nearDuplicateOfId: null });
          // Two records of one company under the old rules: the first registered keeps the key,
          // the later one is set apart and marked as its near duplicate.
          expect(byId.get(service)).toMatchObject({ nameKey: '华为技术服务', nearDuplicateOfId: null });
          expect(byId.get(zwj)).toMatchObject({ name: '华为技术服务有限公司', nameKey: `华为技术服务~${zwj!.slice(0, 8)}`, nearDuplicateOfId: service });
          expect(byId.get(bank)!.nameKey).toBe('农村商业银行@CN31');
          expect(byId.get(byd)!.nameKey).toBe('比亚迪');
          expect(rows.every((r) => r.seq !== null)).toBe(true);
          expect(await db.prisma.customerNamePattern.count()).toBeGreaterThan(10);

          const store = createCustomerStore(db);
          const claim = (name: string) => claimCustomer({ store, directory, claimant: directory.person('mei.lin')!, input: { name }, now: new Date('2026-12-01T00:00:00Z') });
          expect(await claim('广东省深圳市华为技术有限公司')).toMatchObject({ kind: 'taken', customer: { id: huawei } });
          expect(await claim('华为技术有限公司')).toMatchObject({ kind: 'taken', customer: { id: zwsp } });
          expect((await claim('北京农村商业银行股份有限公司')).kind).toBe('near');
          expect((await claim('比亚笛')).kind).toBe('near');
          expect(await claim('华为技术服务')).toMatchObject({ kind: 'taken', customer: { id: service } });
          expect((await claim('京东世纪贸易有限公司')).kind).toBe('claimed');

          // Recorded once: the next start does not re-key again.
          expect(await rekeyCustomers(db)).toEqual({ rekeyed: 0, merged: 0 });
        } finally {
          await db.close();
        }
      } finally {
        await cleanup();
      }
    }, 60_000);

    it('re-keys again, to the same result, when asked after a start cut short', async () => {
      const { url, cleanup } = await oldDatabase(provider);
      try {
        await writeOldRows(url, provider);
        const db = await openDatabase(url, { migrate: true });
        try {
          const before = await db.prisma.customer.findMany({ orderBy: { id: 'asc' }, select: { nameKey: true, seq: true } });
          const patterns = await db.prisma.customerNamePattern.count();
          await db.prisma.dataVersion.deleteMany();
          await rekeyCustomers(db);
          expect(await db.prisma.customer.findMany({ orderBy: { id: 'asc' }, select: { nameKey: true, seq: true } })).toEqual(before);
          expect(await db.prisma.customerNamePattern.count()).toBe(patterns);
        } finally {
          await db.close();
        }
      } finally {
        await cleanup();
      }
    }, 60_000);
  });
}
