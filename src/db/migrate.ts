// Applies the committed migrations for the database's provider at start-up or from
// `npm run db:migrate`, through the WebAssembly schema engine (no binary, no network). The
// engine keeps Prisma's `_prisma_migrations` table, so `prisma migrate deploy` agrees.
// When that table already lists every migration folder, the engine is not loaded at all:
// a start (or db:migrate) beside a running kehu on the same SQLite file just works, where
// the engine would need the file to itself.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { MigrationList } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { providerOf, redactUrl, sqlitePathOf, type Provider } from './database-url.ts';
import { readMigrationsList, schemaPathFor } from './migration-files.ts';
import { queryOnce, withAdvisoryLock } from './pg-admin.ts';
import { NO_FILTERS, withSchemaEngine } from './schema-engine.ts';
import { SQLITE_BUSY_TIMEOUT_MS } from './sqlite-adapter.ts';
import { DatabaseFileError, DatabaseInUseError, databaseError, prepareSqliteFile, processesHolding, waitToBeAlone } from './sqlite-file.ts';

export interface MigrateOptions {
  /**
   * SQLite: how long to wait for other processes to close the file when migrations are to be
   * applied (the engine needs it alone) before refusing. Default: the busy timeout, 10 s.
   */
  waitMs?: number;
}

// 'kehu' as a number. Deliberately not Prisma's own 72707369, which the engine takes itself
// with a short timeout on another connection: waiting on ours first keeps replicas queued
// for as long as a slow migration takes, instead of failing after the engine's timeout.
const MIGRATION_LOCK_KEY = 0x6b656875;

export async function migrateDatabase(
  databaseUrl: string,
  log: (msg: string) => void = () => {},
  opts: MigrateOptions = {},
): Promise<{ applied: string[] }> {
  const provider = providerOf(databaseUrl);
  const migrations = await readMigrationsList(provider);
  if (migrations.migrationDirectories.length === 0) {
    throw new Error(`no migrations found in ${migrations.baseDir}`);
  }
  const known = migrations.migrationDirectories.length;
  const upToDate = () => log(`database is up to date (${known} migration${known === 1 ? '' : 's'})`);
  const apply = async () => {
    const schema = await readFile(schemaPathFor(provider), 'utf8');
    return withSchemaEngine({ provider, url: databaseUrl, schema }, async (engine) => {
      const out = await engine.applyMigrations({ migrationsList: migrations, filters: NO_FILTERS });
      return out.appliedMigrationNames;
    });
  };

  let applied: string[];
  try {
    if (provider === 'sqlite') await prepareSqliteFile(sqlitePathOf(databaseUrl));
    const pending = await pendingMigrations(databaseUrl, provider, migrations);
    if (pending.length === 0) {
      upToDate();
      return { applied: [] };
    }
    applied =
      provider === 'sqlite'
        ? await applyAlone(sqlitePathOf(databaseUrl), pending, apply, opts.waitMs ?? SQLITE_BUSY_TIMEOUT_MS)
        : await withAdvisoryLock(databaseUrl, MIGRATION_LOCK_KEY, apply);
  } catch (error) {
    if (error instanceof DatabaseFileError) throw error;
    // The engine's messages carry its Rust backtrace after the first line; the cause keeps it.
    const reason = error instanceof Error ? error.message.trim().split('\n')[0] : String(error);
    throw databaseError(`migrating ${redactUrl(databaseUrl)} failed: ${reason}`, error);
  }
  if (applied.length === 0) upToDate();
  else log(`applied ${applied.length} of ${known} migrations: ${applied.join(', ')}`);
  return { applied };
}

/**
 * The folders the engine still has to look at: not in `_prisma_migrations` as finished, or
 * finished with other SQL (a changed file). A failed row not marked rolled back sends every
 * folder to the engine, whose answer to that is Prisma's own. No table (a new database): all.
 */
async function pendingMigrations(url: string, provider: Provider, migrations: MigrationList): Promise<string[]> {
  const all = migrations.migrationDirectories.map((m) => m.path);
  // A rolled-back row is history (`prisma migrate resolve --rolled-back`); a later row re-applied it.
  const rows = (await readHistory(url, provider))?.filter((r) => r.rolled_back_at === null);
  if (!rows || rows.some((r) => r.finished_at === null)) return all;
  const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
  return migrations.migrationDirectories
    .filter((m) => {
      const sql = m.migrationFile.content;
      return sql.tag !== 'ok' || applied.get(m.path) !== createHash('sha256').update(sql.value).digest('hex');
    })
    .map((m) => m.path);
}

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

const HISTORY_SQL = 'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations';

/** Prisma's history table, read without the engine; undefined when there is none yet. */
async function readHistory(url: string, provider: Provider): Promise<HistoryRow[] | undefined> {
  if (provider === 'postgresql') {
    return queryOnce<HistoryRow>(url, HISTORY_SQL).catch((error: unknown) => {
      if ((error as { code?: unknown }).code === '42P01') return undefined; // undefined_table
      throw error;
    });
  }
  const path = sqlitePathOf(url);
  if (path === ':memory:') return undefined;
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  } catch {
    return undefined; // no file yet
  }
  try {
    return db.prepare(HISTORY_SQL).all() as HistoryRow[];
  } catch (error) {
    if (/no such table/.test(String(error))) return undefined;
    throw error;
  } finally {
    db.close();
  }
}

/**
 * SQLite: the engine works in exclusive locking mode and cannot while any other process has
 * the file open (an idle kehu is enough), so wait a while for it to close, then refuse in one
 * sentence naming who holds it, instead of the engine's timeout deep inside WebAssembly.
 */
async function applyAlone(path: string, pending: string[], apply: () => Promise<string[]>, waitMs: number): Promise<string[]> {
  const refuse = () => {
    const holders = processesHolding(path);
    const n = pending.length;
    return new DatabaseInUseError(
      `the SQLite database ${resolve(path)} has ${n} migration${n === 1 ? '' : 's'} to apply (${pending.join(', ')}), which needs the file to itself, ` +
        `but ${holders.length ? holders.join(', ') : 'another process'} has it open (waited ${waitMs / 1000} s): stop ${holders.length > 1 ? 'them' : 'it'}, then try again`,
    );
  };
  if (!(await waitToBeAlone(path, waitMs))) throw refuse();
  try {
    return await apply();
  } catch (error) {
    // Another process opened the file between the check and the engine: the same refusal.
    if (!(await waitToBeAlone(path, 0))) throw refuse();
    throw error;
  }
}
