// Migrations without an engine binary: they apply (once), leave Prisma's own history table
// as `prisma migrate deploy` would, survive replicas starting together, and match the
// schemas (the derived PostgreSQL schema and both migration folders fail here on drift).
// Beside another process on the same SQLite file: nothing to apply just works (the engine is
// not loaded), something to apply waits for the file, then is refused in one line.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { DatabaseInUseError } from '../../src/db/sqlite-file.ts';
import { runKehu } from '../support/kehu-process.ts';
import { TEST_ORG_FILE } from '../support/test-org.ts';
import { createTestDatabase, PG_ADMIN_URL, PG_AVAILABLE, PROVIDERS, type TestDatabase } from './databases.ts';
import { startWriterChild, type WriterChild } from './sqlite-writers.ts';

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

describe('beside another process that has the SQLite file open', () => {
  // sqlite-writer-child.ts holds the file as a running kehu does (its own WAL connection, idle).
  let target: TestDatabase;
  let holder: WriterChild;
  const env = () => ({ DATABASE_URL: target.url, KEHU_ORG_FILE: TEST_ORG_FILE });
  const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at |wasm:\/\//m);
  beforeAll(async () => {
    target = await createTestDatabase('sqlite');
    holder = await startWriterChild(target.url, 0);
  }, 60_000);
  afterAll(async () => {
    await holder?.go();
    await target?.cleanup();
  });

  /** `fn` on a short-lived connection of this process (closed after: only the holder keeps the file open). */
  async function onTarget<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    const db = await openDatabase(target.url);
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  }

  /** Runs `fn` with the newest migration missing from the history, as after an upgrade. */
  async function withNewestPending<T>(fn: (newest: string) => Promise<T>): Promise<T> {
    const row = await onTarget(async (db) => {
      const [newest] = await db.prisma.$queryRaw<Array<Record<string, unknown>>>`SELECT * FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1`;
      await db.prisma.$executeRaw`DELETE FROM _prisma_migrations WHERE id = ${newest!.id}`;
      return newest!;
    });
    try {
      return await fn(String(row.migration_name));
    } finally {
      const cols = Object.keys(row);
      await onTarget((db) => db.prisma.$executeRawUnsafe(`INSERT INTO _prisma_migrations (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, ...Object.values(row)));
    }
  }

  it('with nothing to apply, migrating is a cheap read of the history: no engine, no lock needed', async () => {
    const logs: string[] = [];
    expect(await migrateDatabase(target.url, (m) => logs.push(m), { waitMs: 0 })).toEqual({ applied: [] });
    expect(logs).toEqual([expect.stringMatching(/^database is up to date \(\d+ migrations\)$/)]);
  });

  it('with something to apply, waits for the file, then refuses in one sentence naming the process that has it', async () => {
    await withNewestPending(async (newest) => {
      const error = await migrateDatabase(target.url, () => {}, { waitMs: 200 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseInUseError);
      const message = (error as Error).message;
      expect(message).toMatch(
        new RegExp(`^the SQLite database ${target.url.slice('file:'.length)} has 1 migration to apply \\(${newest}\\), which needs the file to itself, but pid ${holder.pid} \\([^)]*sqlite-writer-child\\.ts\\) has it open \\(waited 0\\.2 s\\): stop it, then try again$`),
      );
      expect(message).not.toContain('\n');
    });
  });

  it('a file that is let go of within the wait is migrated', async () => {
    const fresh = await freshUrl('sqlite');
    const db = await openDatabase(fresh); // creates the file, unmigrated
    const other = await startWriterChild(fresh, 0);
    await db.close();
    const migrating = migrateDatabase(fresh, () => {}, { waitMs: 60_000 });
    await other.go();
    expect((await migrating).applied).toHaveLength((await readMigrationsList('sqlite')).migrationDirectories.length);
  }, 60_000);

  it('a migration file changed since it was applied, or one that failed, is not "up to date": the engine decides', async () => {
    const oldest = (await readMigrationsList('sqlite')).migrationDirectories[0]!.path;
    const refusedFor = async (edit: string, restore: string) => {
      await onTarget((db) => db.prisma.$executeRawUnsafe(edit, oldest));
      try {
        return await migrateDatabase(target.url, () => {}, { waitMs: 0 }).catch((e: unknown) => e);
      } finally {
        await onTarget((db) => db.prisma.$executeRawUnsafe(restore, oldest));
      }
    };
    const changed = await refusedFor(
      "UPDATE _prisma_migrations SET checksum = 'x' || checksum WHERE migration_name = ?",
      'UPDATE _prisma_migrations SET checksum = substr(checksum, 2) WHERE migration_name = ?',
    );
    expect(changed).toBeInstanceOf(DatabaseInUseError);
    expect((changed as Error).message).toContain(`has 1 migration to apply (${oldest})`);
    // A second row for it that never finished, as a failed re-apply leaves one.
    const failed = await refusedFor(
      "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES ('test-failed', 'x', ?, '2026-12-01T00:00:00.000+00:00', 0)",
      "DELETE FROM _prisma_migrations WHERE id = 'test-failed' AND migration_name = ?",
    );
    expect((failed as Error).message).toMatch(/has \d+ migrations to apply/);
    expect(await migrateDatabase(target.url, () => {}, { waitMs: 0 })).toEqual({ applied: [] }); // restored
  });

  it('`npm run db:migrate`: up to date (exit 0), or one line and exit 2 when it would have to apply', async () => {
    const upToDate = runKehu(env(), { npm: 'db:migrate' });
    expect(await upToDate.exited).toBe(0);
    expect(upToDate.out.stdout).toMatch(/database is up to date/);
    expect(upToDate.out.stderr).toBe('');

    await withNewestPending(async () => {
      const refused = runKehu(env(), { npm: 'db:migrate', args: ['--wait', '0.1'] });
      expect(await refused.exited).toBe(2);
      expect(refused.out.stderr.trimEnd().split('\n')).toEqual([
        expect.stringMatching(new RegExp(`^db:migrate cannot run: the SQLite database .* but pid ${holder.pid} \\([^)]*\\) has it open \\(waited 0\\.1 s\\): stop it, then try again$`)),
      ]);
      noStackTrace(refused.out.stdout + refused.out.stderr);
    });
  }, 60_000);

  it('`npm run import:customers` (dry run) works beside it', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'kehu-book-')), 'book.csv');
    await writeFile(file, 'name,owner_email,claimed_at\n"Acme Trading Co., Ltd.",tom.reed@kehu.test,2026-01-05\n');
    const dry = runKehu(env(), { npm: 'import:customers', args: [file] });
    expect(await dry.exited).toBe(0);
    expect(dry.out.stdout).toContain('1 rows, 1 valid, 0 refused');
    noStackTrace(dry.out.stdout + dry.out.stderr);
  }, 60_000);
});

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
