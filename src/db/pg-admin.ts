// PostgreSQL chores done over a plain `pg` connection, outside Prisma: throw-away databases
// (shadow databases for the schema engine, one database per test run), session locks and
// one-off queries (the migrations history, read before the engine is loaded).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ScratchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** The same server and credentials as `url`, another database. */
export function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * CREATE DATABASE `<prefix>_<random>` through `adminUrl` (any database the role may connect
 * to, usually `postgres`), as a copy of `template` when given (a database nobody is connected
 * to). drop() forces other sessions out, so a leaked pool cannot keep it.
 */
export async function createScratchDatabase(adminUrl: string, prefix: string, template?: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await runAdmin(adminUrl, `CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
  return {
    name,
    url: withDatabaseName(adminUrl, name),
    drop: () => runAdmin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function runAdmin(adminUrl: string, sql: string): Promise<void> {
  await queryOnce(adminUrl, sql);
}

/** One statement on a connection of its own, closed after it (no pool left behind). */
export async function queryOnce<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Runs `fn` while holding a session-level advisory lock on its own connection, so that replicas
 * starting together take turns; the lock dies with the connection if the process does.
 */
export async function withAdvisoryLock<T>(url: string, key: number, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [key]);
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [key]);
    }
  } finally {
    await client.end();
  }
}

/** Whether a server answers at `url` within `timeoutMs` (used to skip PostgreSQL tests). */
export async function canConnect(url: string, timeoutMs = 2000): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
