// Migrated databases to copy: global-setup.ts migrates one SQLite file and one PostgreSQL
// database once per test run (the committed migrations, through the schema engine as kehu
// does), and the tests' fresh databases start as copies of them — a file copy, CREATE
// DATABASE … TEMPLATE — instead of each running the migrations again (the engine's
// WebAssembly loaded anew in every work thread, 15 migrations on every file: seconds each).
// A copy is the database the migrations made, history table included, so kehu starting on
// it finds it up to date. The tests of migrating itself (migrations.test.ts, the process
// tests' first starts) still start from nothing. Outside vitest (the benchmarks) no
// template is set and a fresh database is an empty file, migrated by kehu as before.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { canConnect, createScratchDatabase, type ScratchDatabase } from '../../src/db/pg-admin.ts';

/** The server the PostgreSQL tests use: KEHU_TEST_PG_URL ("off": none), by default the local one. */
export const PG_ADMIN_URL = process.env.KEHU_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** Set by global-setup.ts for the test run: the migrated SQLite file, and the migrated PostgreSQL database's name (when a server answered). */
const SQLITE_TEMPLATE_ENV = 'KEHU_TEST_SQLITE_TEMPLATE';
const PG_TEMPLATE_ENV = 'KEHU_TEST_PG_TEMPLATE';

/** A folder of its own with `kehu.db` in it: a copy of the migrated template when there is one, else nothing yet (kehu migrates it). */
export function freshSqliteFile(prefix = 'kehu-test-'): { dir: string; path: string; url: string; migrated: boolean } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, 'kehu.db');
  const template = process.env[SQLITE_TEMPLATE_ENV];
  if (template) copyFileSync(template, path);
  return { dir, path, url: `file:${path}`, migrated: Boolean(template) };
}

/** A new PostgreSQL database through `adminUrl`: created from the migrated template when there is one (then `migrated`), else empty. */
export async function freshPgDatabase(adminUrl: string, prefix: string): Promise<ScratchDatabase & { migrated: boolean }> {
  const template = process.env[PG_TEMPLATE_ENV];
  return { ...(await createScratchDatabase(adminUrl, prefix, template)), migrated: Boolean(template) };
}

/** Migrates the templates for a run and names them in the environment the test files inherit; resolves with their removal. */
export async function createTemplates(pgAdminUrl = PG_ADMIN_URL === 'off' ? undefined : PG_ADMIN_URL): Promise<() => Promise<void>> {
  const sqlite = freshSqliteFile('kehu-template-');
  await migrateDatabase(sqlite.url);
  process.env[SQLITE_TEMPLATE_ENV] = sqlite.path;
  let pg: ScratchDatabase | undefined;
  if (pgAdminUrl && (await canConnect(pgAdminUrl))) {
    pg = await createScratchDatabase(pgAdminUrl, 'kehu_template');
    // Every connection the migration opened is closed when it resolves: CREATE DATABASE …
    // TEMPLATE refuses while the template has one.
    await migrateDatabase(pg.url);
    process.env[PG_TEMPLATE_ENV] = pg.name;
  }
  return async () => {
    delete process.env[SQLITE_TEMPLATE_ENV];
    delete process.env[PG_TEMPLATE_ENV];
    rmSync(sqlite.dir, { recursive: true, force: true });
    await pg?.drop();
  };
}
