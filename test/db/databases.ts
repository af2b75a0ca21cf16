// Real databases for tests: a fresh migrated SQLite file in the temp folder and a fresh
// PostgreSQL database per suite, copies of the run's migrated templates (db-templates.ts).
// PostgreSQL suites are skipped, with a visible warning, when no server answers
// (KEHU_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres; set it to "off" to
// skip on purpose).
//
//   describeEachDatabase('customer repository', (getDb) => {
//     it('claims', async () => { const db = getDb(); ... });
//   });
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe } from 'vitest';
import { openDatabase, type Database, type Provider } from '../../src/db/client.ts';
import { redactUrl } from '../../src/db/database-url.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { canConnect } from '../../src/db/pg-admin.ts';
import { freshPgDatabase, freshSqliteFile, PG_ADMIN_URL } from '../support/db-templates.ts';

export { PG_ADMIN_URL };

let pgChecked: Promise<boolean> | undefined;

/** Whether PostgreSQL tests can run here; warns once when they cannot. */
export function postgresAvailable(): Promise<boolean> {
  pgChecked ??= (async () => {
    if (PG_ADMIN_URL === 'off') {
      console.warn('[kehu tests] KEHU_TEST_PG_URL=off: PostgreSQL tests are SKIPPED');
      return false;
    }
    const ok = await canConnect(PG_ADMIN_URL);
    // CI sets KEHU_REQUIRE_PG=1: there a missing server is a failure, never a silent skip.
    if (!ok && process.env.KEHU_REQUIRE_PG === '1') {
      throw new Error(`KEHU_REQUIRE_PG=1 but no PostgreSQL server answers at ${redactUrl(PG_ADMIN_URL)}`);
    }
    if (!ok) {
      console.warn(
        `[kehu tests] no PostgreSQL server answers at ${redactUrl(PG_ADMIN_URL)}: PostgreSQL tests are SKIPPED. ` +
          'Start one or set KEHU_TEST_PG_URL to a URL whose role may CREATE DATABASE.',
      );
    }
    return ok;
  })();
  return pgChecked;
}

// Checked once at import, so that describe/it.skipIf can decide synchronously.
export const PG_AVAILABLE = await postgresAvailable();

export interface TestDatabase {
  /** A migrated, empty database: SQLite file or PostgreSQL database, dropped by cleanup(). */
  url: string;
  provider: Provider;
  /** Opens a client on it (several may be open at once, as kehu's threads have). */
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

export async function createTestDatabase(provider: Provider): Promise<TestDatabase> {
  // Copies of the run's migrated templates (test/support/db-templates.ts); migrated here when there are none.
  if (provider === 'sqlite') {
    const file = freshSqliteFile();
    if (!file.migrated) await migrateDatabase(file.url);
    return {
      url: file.url,
      provider,
      open: () => openDatabase(file.url),
      cleanup: () => rm(file.dir, { recursive: true, force: true }),
    };
  }
  if (!PG_AVAILABLE) throw new Error('PostgreSQL is not available for tests (see the warning above)');
  const scratch = await freshPgDatabase(PG_ADMIN_URL, 'kehu_t');
  try {
    if (!scratch.migrated) await migrateDatabase(scratch.url);
  } catch (error) {
    await scratch.drop();
    throw error;
  }
  return { url: scratch.url, provider, open: () => openDatabase(scratch.url), cleanup: scratch.drop };
}

export const PROVIDERS: Provider[] = ['sqlite', 'postgresql'];

/**
 * One `describe` per provider (`name [sqlite]`, `name [postgresql]`), each with its own fresh
 * database shared by the tests inside it. `getDb()` is valid inside tests and hooks.
 */
export function describeEachDatabase(
  name: string,
  body: (getDb: () => Database, provider: Provider, getTarget: () => TestDatabase) => void,
): void {
  for (const provider of PROVIDERS) {
    const skip = provider === 'postgresql' && !PG_AVAILABLE;
    (skip ? describe.skip : describe)(`${name} [${provider}]`, () => {
      let target: TestDatabase | undefined;
      let db: Database | undefined;
      beforeAll(async () => {
        target = await createTestDatabase(provider);
        db = await target.open();
      });
      afterAll(async () => {
        await db?.close();
        await target?.cleanup();
      });
      body(
        () => {
          if (!db) throw new Error('getDb() called outside a test: the database opens in beforeAll');
          return db;
        },
        provider,
        () => {
          if (!target) throw new Error('getTarget() called outside a test');
          return target;
        },
      );
    });
  }
}
