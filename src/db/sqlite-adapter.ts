// The SQLite driver adapter the application uses: @prisma/adapter-better-sqlite3 with the
// connection settings kehu relies on, and transactions made safe to share one connection.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import {
  DriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlQuery,
  type Transaction,
} from '@prisma/driver-adapter-utils';

/**
 * How DateTime columns are stored. ISO 8601 text (`2026-11-30T09:00:00.000+00:00`, always UTC,
 * always this width) is the adapter's default, readable in the sqlite3 shell, the same format
 * the schema engine writes into `_prisma_migrations`, and it sorts correctly as text, so raw
 * SQL compares DateTime columns with `<`/`>` as long as it binds Date objects (the adapter
 * formats them) and never writes a timestamp in another format (e.g. CURRENT_TIMESTAMP).
 */
export const SQLITE_TIMESTAMP_FORMAT = 'iso8601';

export interface SqliteAdapterOptions {
  /** How long a writer waits for another connection's write lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

export function createSqliteAdapterFactory(path: string, opts: SqliteAdapterOptions = {}): SqlDriverAdapterFactory {
  // better-sqlite3's `timeout` is SQLite's busy_timeout.
  const inner = new PrismaBetterSqlite3(
    { url: path, timeout: opts.busyTimeoutMs ?? 10_000 },
    { timestampFormat: SQLITE_TIMESTAMP_FORMAT },
  );
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect() {
      const adapter = await inner.connect();
      // WAL: readers never block the writer and a second process can share the file.
      await adapter.executeScript('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
      return new SerializedSqliteAdapter(adapter);
    },
  };
}

/** A promise-chain mutex: acquire() resolves to the release function, in call order. */
class Mutex {
  #tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#tail;
    this.#tail = previous.then(() => held);
    return previous.then(() => release);
  }
}

/**
 * Prisma gives SQLite one connection per client. The stock adapter lets statements issued
 * outside a transaction run on that connection while a transaction is open, so they become
 * part of it (and vanish if it rolls back), and it opens transactions with a deferred BEGIN,
 * which fails with SQLITE_BUSY, without waiting, when another process wrote first. Here a
 * transaction holds the connection until it ends, and starts with BEGIN IMMEDIATE, which
 * takes the write lock up front and so honours busy_timeout.
 */
class SerializedSqliteAdapter implements SqlDriverAdapter {
  readonly provider = 'sqlite' as const;
  readonly adapterName: string;
  readonly #inner: SqlDriverAdapter;
  readonly #mutex = new Mutex();

  constructor(inner: SqlDriverAdapter) {
    this.#inner = inner;
    this.adapterName = inner.adapterName;
  }

  queryRaw(query: SqlQuery) {
    return this.#exclusive(() => this.#inner.queryRaw(query));
  }

  executeRaw(query: SqlQuery) {
    return this.#exclusive(() => this.#inner.executeRaw(query));
  }

  executeScript(script: string) {
    return this.#exclusive(() => this.#inner.executeScript(script));
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    if (isolationLevel && isolationLevel !== 'SERIALIZABLE') {
      // SQLite transactions are serializable; anything else would be a false promise.
      throw new DriverAdapterError({ kind: 'InvalidIsolationLevel', level: isolationLevel });
    }
    const release = await this.#mutex.acquire();
    try {
      await this.#inner.executeRaw({ sql: 'BEGIN IMMEDIATE', args: [], argTypes: [] });
    } catch (error) {
      release();
      throw error;
    }
    const inner = this.#inner;
    const raw = (sql: string) => inner.executeRaw({ sql, args: [], argTypes: [] }).then(() => {});
    let open = true;
    // Prisma sends COMMIT / ROLLBACK itself through executeRaw, then calls commit()/rollback().
    const end = async () => {
      if (open) {
        open = false;
        release();
      }
    };
    return {
      provider: this.provider,
      adapterName: this.adapterName,
      options: { usePhantomQuery: false },
      queryRaw: (query) => inner.queryRaw(query),
      executeRaw: (query) => inner.executeRaw(query),
      commit: end,
      rollback: end,
      createSavepoint: (name) => raw(`SAVEPOINT ${name}`),
      rollbackToSavepoint: (name) => raw(`ROLLBACK TO ${name}`),
      releaseSavepoint: (name) => raw(`RELEASE SAVEPOINT ${name}`),
    };
  }

  getConnectionInfo() {
    return this.#inner.getConnectionInfo?.() ?? { supportsRelationJoins: false };
  }

  async dispose() {
    const release = await this.#mutex.acquire();
    try {
      await this.#inner.dispose();
    } finally {
      release();
    }
  }

  async #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.#mutex.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
