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

/** How long a writer waits, by default, for another connection's write lock. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

export interface SqliteAdapterOptions {
  /** How long a writer waits for another connection's write lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

export function createSqliteAdapterFactory(path: string, opts: SqliteAdapterOptions = {}): SqlDriverAdapterFactory {
  // SQLite's own busy_timeout would wait by sleeping the calling thread: better-sqlite3 is
  // synchronous, so the event loop (acks included) would stop while another connection —
  // the Slack worker thread's, another process's — holds the write lock. busy_timeout is
  // 0 and the wait happens here instead, between event-loop turns (see #retryBusy).
  const inner = new PrismaBetterSqlite3({ url: path, timeout: 0 }, { timestampFormat: SQLITE_TIMESTAMP_FORMAT });
  const busyTimeoutMs = opts.busyTimeoutMs ?? SQLITE_BUSY_TIMEOUT_MS;
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect() {
      const adapter = await inner.connect();
      // WAL: readers never block the writer and a second process can share the file.
      await adapter.executeScript('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
      return new SerializedSqliteAdapter(adapter, busyTimeoutMs);
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
 * takes the write lock up front. A statement or BEGIN that finds the write lock taken by
 * another connection is tried again after a short pause, without blocking the thread,
 * until busyTimeoutMs has passed. (Inside a transaction nothing waits: in WAL mode the
 * write lock is all a transaction needs, and BEGIN IMMEDIATE has it.)
 */
class SerializedSqliteAdapter implements SqlDriverAdapter {
  readonly provider = 'sqlite' as const;
  readonly adapterName: string;
  readonly #inner: SqlDriverAdapter;
  readonly #mutex = new Mutex();
  readonly #busyTimeoutMs: number;

  constructor(inner: SqlDriverAdapter, busyTimeoutMs: number) {
    this.#inner = inner;
    this.#busyTimeoutMs = busyTimeoutMs;
    this.adapterName = inner.adapterName;
  }

  queryRaw(query: SqlQuery) {
    return this.#exclusive(() => this.#inner.queryRaw(query));
  }

  executeRaw(query: SqlQuery) {
    return this.#exclusive(() => this.#inner.executeRaw(query));
  }

  executeScript(script: string) {
    // Not retried: a script of several statements may have applied some before SQLITE_BUSY.
    return this.#exclusive(() => this.#inner.executeScript(script), { retry: false });
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    if (isolationLevel && isolationLevel !== 'SERIALIZABLE') {
      // SQLite transactions are serializable; anything else would be a false promise.
      throw new DriverAdapterError({ kind: 'InvalidIsolationLevel', level: isolationLevel });
    }
    const release = await this.#mutex.acquire();
    try {
      await this.#retryBusy(() => this.#inner.executeRaw({ sql: 'BEGIN IMMEDIATE', args: [], argTypes: [] }));
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

  async #exclusive<T>(fn: () => Promise<T>, { retry = true } = {}): Promise<T> {
    const release = await this.#mutex.acquire();
    try {
      return await (retry ? this.#retryBusy(fn) : fn());
    } finally {
      release();
    }
  }

  /** Runs `fn` again while it fails with SQLITE_BUSY (nothing was done), 1 ms, 2, 4 … 50 ms apart. */
  async #retryBusy<T>(fn: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.#busyTimeoutMs;
    for (let pauseMs = 1; ; pauseMs = Math.min(pauseMs * 2, 50)) {
      try {
        return await fn();
      } catch (error) {
        if (!isBusy(error) || Date.now() + pauseMs > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    }
  }
}

function isBusy(error: unknown): boolean {
  const cause = error instanceof DriverAdapterError ? (error.cause as { originalCode?: unknown }) : undefined;
  return typeof cause?.originalCode === 'string' && cause.originalCode.startsWith('SQLITE_BUSY');
}
