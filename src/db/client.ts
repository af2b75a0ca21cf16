// The one place that opens the database: picks SQLite or PostgreSQL from the URL, applies
// migrations when asked, and hands out a Prisma client typed by the canonical (SQLite) schema.
import { PrismaPg } from '@prisma/adapter-pg';
import { providerOf, redactUrl, sqlitePathOf, type Provider } from './database-url.ts';
import { PrismaClient as PostgresPrismaClient } from './generated/postgres/client.ts';
import { PrismaClient, type Prisma } from './generated/sqlite/client.ts';
import { installEffectFence } from './effect-fence.ts';
import { migrateDatabase } from './migrate.ts';
import { rekeyCustomers } from './rekey-customers.ts';
import { createSqliteAdapterFactory, SQLITE_BUSY_TIMEOUT_MS } from './sqlite-adapter.ts';
import { DatabaseFileError, databaseError, prepareSqliteFile } from './sqlite-file.ts';

export { providerOf, type Provider };
export { PrismaClient };
export { DatabaseFileError };

/** What a repository function receives inside `db.prisma.$transaction(async (tx) => ...)`. */
export type Tx = Prisma.TransactionClient;

export interface Database {
  /** Both providers' clients are generated from the same models; the SQLite type stands for both. */
  prisma: PrismaClient;
  provider: Provider;
  url: string;
  /** Throws when the database does not answer (for /healthz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** PostgreSQL: how long to wait for a connection, and for any one statement. */
const PG_CONNECT_TIMEOUT_MS = 5_000;
const PG_STATEMENT_TIMEOUT_MS = 30_000;

export interface OpenDatabaseOptions {
  /** Apply pending migrations first (start-up does; tests that migrate once do not). */
  migrate?: boolean;
  log?: (msg: string) => void;
  /** PostgreSQL pool size per process (pg's default is 10). */
  poolSize?: number;
  /**
   * PostgreSQL: the `application_name` its connections show in pg_stat_activity (default
   * "kehu"; the work thread's are "kehu-work"). One given in the URL wins.
   */
  applicationName?: string;
}

export async function openDatabase(url: string, opts: OpenDatabaseOptions = {}): Promise<Database> {
  const provider = providerOf(url);
  // better-sqlite3 creates the file but not its folder (./data on a first start); an
  // unwritable folder or file is refused here in one sentence, before the engine trips on it.
  if (provider === 'sqlite') await prepareSqliteFile(sqlitePathOf(url));
  if (opts.migrate) await migrateDatabase(url, opts.log);

  const prisma =
    provider === 'sqlite'
      ? new PrismaClient({
          adapter: createSqliteAdapterFactory(sqlitePathOf(url)),
          // Starting a transaction waits (between event-loop turns) for another connection's
          // write lock up to the busy timeout; Prisma's default maxWait (2 s) would give up first.
          // maxWait counts from the call, so time queued behind this connection's own work
          // (one statement or transaction at a time) is spent from it too.
          transactionOptions: { maxWait: SQLITE_BUSY_TIMEOUT_MS + 1_000 },
        })
      : // Same models, same generated API; only the SQL dialect inside differs.
        (new PostgresPrismaClient({
          // Time limits on the server's side too: a stuck statement or an abandoned
          // transaction never holds a connection (and its locks) for long.
          adapter: new PrismaPg({
            connectionString: url,
            max: opts.poolSize,
            application_name: opts.applicationName ?? 'kehu',
            connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
            statement_timeout: PG_STATEMENT_TIMEOUT_MS,
            idle_in_transaction_session_timeout: PG_STATEMENT_TIMEOUT_MS,
          }),
        }) as unknown as PrismaClient);

  // While an inbox row runs, each transaction first proves that this attempt may write (effect-fence.ts).
  installEffectFence(prisma);

  const ping = async () => {
    await prisma.$queryRaw`SELECT 1`;
  };
  try {
    await prisma.$connect();
    await ping();
  } catch (error) {
    await prisma.$disconnect().catch(() => {});
    const reason = error instanceof Error ? error.message.trim().split('\n').pop() : String(error);
    throw databaseError(`cannot open the ${provider} database at ${redactUrl(url)}: ${reason}`, error);
  }
  const db: Database = {
    prisma,
    provider,
    url,
    ping,
    close: () => prisma.$disconnect(),
  };
  if (opts.migrate) {
    try {
      await rekeyCustomers(db, opts.log);
    } catch (error) {
      await prisma.$disconnect().catch(() => {});
      throw error;
    }
  }
  return db;
}
