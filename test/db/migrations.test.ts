// Migrations without an engine binary: they apply (once), leave Prisma's own history table
// as `prisma migrate deploy` would, survive replicas starting together, and match the
// schemas (the derived PostgreSQL schema and both migration folders fail here on drift).
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, providerOf, type Database } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { diffMigrationsToSchema } from '../../src/db/migration-diff.ts';
import {
  derivePostgresSchema,
  migrationFolderName,
  readMigrationsList,
  schemaPathFor,
} from '../../src/db/migration-files.ts';
import { createScratchDatabase } from '../../src/db/pg-admin.ts';
import { PG_ADMIN_URL, PG_AVAILABLE, PROVIDERS } from './databases.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function freshUrl(provider: 'sqlite' | 'postgresql'): Promise<string> {
  if (provider === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'kehu-migrate-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    // A folder that does not exist yet, as ./data on a first start.
    return `file:${join(dir, 'nested', 'data', 'kehu.db')}`;
  }
  const scratch = await createScratchDatabase(PG_ADMIN_URL, 'kehu_t');
  cleanups.push(scratch.drop);
  return scratch.url;
}

async function historyOf(db: Database) {
  const rows = await db.prisma.$queryRaw<Array<{ migration_name: string; checksum: string; finished_at: unknown }>>`
    SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name`;
  return rows;
}

describe('providerOf', () => {
  it('reads the provider from the URL scheme', () => {
    expect(providerOf('file:./data/kehu.db')).toBe('sqlite');
    expect(providerOf('postgres://u:p@h:5432/d')).toBe('postgresql');
    expect(providerOf('postgresql://u:p@h/d')).toBe('postgresql');
  });

  it('refuses anything else without echoing the secret', () => {
    expect(() => providerOf('mysql://root:hunter2@db/kehu')).toThrow(/mysql: is not supported/);
    expect(() => providerOf('mysql://root:hunter2@db/kehu')).not.toThrow(/hunter2/);
    expect(() => providerOf('./kehu.db')).toThrow(/not supported/);
  });
});

for (const provider of PROVIDERS) {
  const skip = provider === 'postgresql' && !PG_AVAILABLE;
  describe.skipIf(skip)(`migrations [${provider}]`, () => {
    it('a fresh database gets every migration, once, recorded as Prisma records them', async () => {
      const url = await freshUrl(provider);
      const committed = (await readMigrationsList(provider)).migrationDirectories;
      const first = await migrateDatabase(url);
      expect(first.applied).toEqual(committed.map((m) => m.path));
      expect(await migrateDatabase(url)).toEqual({ applied: [] });

      const db = await openDatabase(url);
      try {
        const history = await historyOf(db);
        expect(history.map((h) => h.migration_name)).toEqual(committed.map((m) => m.path));
        for (const [i, row] of history.entries()) {
          // prisma migrate deploy compares this checksum with the file: they must agree.
          const sql = committed[i]!.migrationFile.content;
          expect(sql.tag).toBe('ok');
          expect(row.checksum).toBe(createHash('sha256').update(sql.value as string).digest('hex'));
          expect(row.finished_at).not.toBeNull();
        }
        expect(await db.prisma.job.count()).toBe(0);
      } finally {
        await db.close();
      }
    });

    it('replicas migrating at the same moment apply each migration once, without failing', async () => {
      const url = await freshUrl(provider);
      const results = await Promise.all([migrateDatabase(url), migrateDatabase(url), migrateDatabase(url)]);
      const applied = results.flatMap((r) => r.applied);
      const committed = (await readMigrationsList(provider)).migrationDirectories.map((m) => m.path);
      expect(applied.sort()).toEqual([...committed].sort());
      const db = await openDatabase(url);
      try {
        expect((await historyOf(db)).length).toBe(committed.length);
      } finally {
        await db.close();
      }
    });

    it('openDatabase({ migrate: true }) migrates and answers ping', async () => {
      const url = await freshUrl(provider);
      const logs: string[] = [];
      const db = await openDatabase(url, { migrate: true, log: (m) => logs.push(m) });
      try {
        await db.ping();
        expect(db.provider).toBe(provider);
        expect(logs.join('\n')).toMatch(/applied \d+ of \d+ migrations/);
      } finally {
        await db.close();
      }
    });

    it('the committed migrations produce exactly the schema (no drift)', async () => {
      const sql = await diffMigrationsToSchema({
        provider,
        schema: await readFile(schemaPathFor(provider), 'utf8'),
        migrations: await readMigrationsList(provider),
        shadowAdminUrl: provider === 'postgresql' ? PG_ADMIN_URL : undefined,
      });
      if (sql !== null) {
        throw new Error(
          `prisma/${provider === 'sqlite' ? '' : 'postgres/'}schema.prisma has changes no migration covers. ` +
            `Run: npm run db:generate -- --migration <name>\nMissing SQL:\n${sql}`,
        );
      }
    }, 30_000);
  });
}

describe('schemas', () => {
  it('prisma/postgres/schema.prisma is derived from prisma/schema.prisma (run npm run db:generate)', async () => {
    const canonical = await readFile(schemaPathFor('sqlite'), 'utf8');
    const committed = await readFile(schemaPathFor('postgresql'), 'utf8');
    expect(committed).toBe(derivePostgresSchema(canonical));
    expect(committed).toContain('provider = "postgresql"');
    expect(committed).toContain('"../../src/db/generated/postgres"');
  });

  it('derivation fails loudly when the canonical schema no longer looks as expected', () => {
    expect(() => derivePostgresSchema('datasource db {\n  provider = "mysql"\n}\n')).toThrow(/expected to find/);
  });

  it('names migration folders as Prisma does', () => {
    expect(migrationFolderName('Add visitor log!', new Date('2026-11-30T09:05:07Z'))).toBe('20261130090507_add_visitor_log');
    expect(() => migrationFolderName('  !!  ', new Date())).toThrow(/no letters or digits/);
  });
});

describe.skipIf(!PG_AVAILABLE)('shadow databases', () => {
  it('are dropped after a PostgreSQL diff', async () => {
    await diffMigrationsToSchema({
      provider: 'postgresql',
      schema: await readFile(schemaPathFor('postgresql'), 'utf8'),
      migrations: await readMigrationsList('postgresql'),
      shadowAdminUrl: PG_ADMIN_URL,
    });
    const client = new pg.Client({ connectionString: PG_ADMIN_URL });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT datname FROM pg_database WHERE datname LIKE 'kehu_shadow_%'");
      expect(rows).toEqual([]);
    } finally {
      await client.end();
    }
  }, 30_000);
});
