// Applies the committed migrations for the database's provider at start-up or from
// `npm run db:migrate`, through the WebAssembly schema engine (no binary, no network). The
// engine keeps Prisma's `_prisma_migrations` table, so `prisma migrate deploy` agrees.
import { readFile } from 'node:fs/promises';
import { providerOf, redactUrl, sqlitePathOf } from './database-url.ts';
import { readMigrationsList, schemaPathFor } from './migration-files.ts';
import { withAdvisoryLock } from './pg-admin.ts';
import { NO_FILTERS, withSchemaEngine } from './schema-engine.ts';
import { DatabaseFileError, databaseError, prepareSqliteFile } from './sqlite-file.ts';

// 'kehu' as a number. Deliberately not Prisma's own 72707369, which the engine takes itself
// with a short timeout on another connection: waiting on ours first keeps replicas queued
// for as long as a slow migration takes, instead of failing after the engine's timeout.
const MIGRATION_LOCK_KEY = 0x6b656875;

export async function migrateDatabase(
  databaseUrl: string,
  log: (msg: string) => void = () => {},
): Promise<{ applied: string[] }> {
  const provider = providerOf(databaseUrl);
  const migrations = await readMigrationsList(provider);
  if (migrations.migrationDirectories.length === 0) {
    throw new Error(`no migrations found in ${migrations.baseDir}`);
  }
  const schema = await readFile(schemaPathFor(provider), 'utf8');
  const apply = () =>
    withSchemaEngine({ provider, url: databaseUrl, schema }, async (engine) => {
      const out = await engine.applyMigrations({ migrationsList: migrations, filters: NO_FILTERS });
      return out.appliedMigrationNames;
    });

  let applied: string[];
  try {
    if (provider === 'sqlite') {
      await prepareSqliteFile(sqlitePathOf(databaseUrl));
      applied = await apply();
    } else {
      applied = await withAdvisoryLock(databaseUrl, MIGRATION_LOCK_KEY, apply);
    }
  } catch (error) {
    if (error instanceof DatabaseFileError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw databaseError(`migrating ${redactUrl(databaseUrl)} failed: ${reason}`, error);
  }
  const known = migrations.migrationDirectories.length;
  log(
    applied.length === 0
      ? `database is up to date (${known} migration${known === 1 ? '' : 's'})`
      : `applied ${applied.length} of ${known} migrations: ${applied.join(', ')}`,
  );
  return { applied };
}
