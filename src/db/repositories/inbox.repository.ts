// The front door's database connection (main thread): the inbox's one write on the ack
// path, INSERT ... ON CONFLICT DO NOTHING of an `inbox.*` job row, and /healthz's
// heartbeat, straight through the driver (better-sqlite3 or pg) on a connection of its own. Every ack waits for it, and Prisma's per-query work (about 0.4 ms of CPU on
// SQLite) would be half of what a bare Bolt app spends on the whole ack. It writes the
// Job table exactly as job.repository.ts's enqueueJob does (the same columns, the same
// timestamp format), so the worker leases the row like any other job.
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { providerOf, sqlitePathOf } from '../database-url.ts';
import { SQLITE_BUSY_TIMEOUT_MS } from '../sqlite-adapter.ts';

export interface InboxRow {
  id: string;
  kind: string;
  /** JSON text. */
  payload: string;
  idempotencyKey: string;
  runAt: Date;
  maxAttempts: number;
}

export interface InboxWriter {
  /** False when the idempotency key is there already (a retried or repeated delivery). */
  insert(row: InboxRow): Promise<boolean>;
  /** Writes this replica's heartbeat row: a read and a write, as the ack path needs them. */
  heartbeat(replica: string, now: Date): Promise<void>;
  close(): Promise<void>;
}

/** A statement on PostgreSQL gives up after this long: an ack never waits on a stuck database. */
const PG_STATEMENT_TIMEOUT_MS = 2_000;

export function openInboxWriter(url: string): InboxWriter {
  return providerOf(url) === 'sqlite' ? sqliteWriter(sqlitePathOf(url)) : postgresWriter(url);
}

function sqliteWriter(path: string): InboxWriter {
  // No busy timeout: a held write lock would block the whole thread. A busy insert is tried
  // again after a short pause instead, as the Prisma adapter does (sqlite-adapter.ts).
  const db = new BetterSqlite3(path, { timeout: 0 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // No checkpoints from the ack path: copying the WAL back into the file takes milliseconds,
  // and the work thread's connection, which commits after every row, does it instead.
  db.pragma('wal_autocheckpoint = 0');
  const beat = db.prepare(`INSERT INTO "Heartbeat" ("id", "beatAt") VALUES (?, ?) ON CONFLICT ("id") DO UPDATE SET "beatAt" = excluded."beatAt"`);
  const insert = db.prepare(`
    INSERT INTO "Job" ("id", "kind", "payload", "idempotencyKey", "status", "runAt", "attempts", "maxAttempts", "createdAt", "updatedAt")
    VALUES (?, ?, ?, ?, 'pending', ?, 0, ?, ?, ?)
    ON CONFLICT ("idempotencyKey") DO NOTHING`);
  // The format the Prisma adapter writes DateTime columns in (sqlite-adapter.ts SQLITE_TIMESTAMP_FORMAT).
  const iso = (d: Date) => d.toISOString().replace('Z', '+00:00');
  /** Runs a write, trying again while another connection holds the write lock. */
  const write = async <T>(run: () => T): Promise<T> => {
    const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        return run();
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (typeof code !== 'string' || !code.startsWith('SQLITE_BUSY') || Date.now() > deadline) throw error;
        // The work thread's writes hold the lock for tens of microseconds: the first tries
        // come back after other I/O has had its turn, not after a whole timer period.
        await new Promise((resolve) => (attempt < 50 ? setImmediate(resolve) : setTimeout(resolve, Math.min(20, attempt - 49))));
      }
    }
  };
  // Group commit: the rows that arrive in one turn of the event loop are written in one
  // transaction, flushed right after that turn's I/O (setImmediate). Alone, a row is written
  // at once; under load (50 requests in flight) one commit — its WAL frames for the table
  // and its indexes, its share of the write lock — serves every ack that came in together.
  let pending: { row: InboxRow; done: (fresh: boolean) => void; fail: (e: unknown) => void }[] = [];
  const insertEach = (batch: typeof pending) => {
    const now = iso(new Date());
    return batch.map(({ row }) => insert.run(row.id, row.kind, row.payload, row.idempotencyKey, iso(row.runAt), row.maxAttempts, now, now).changes === 1);
  };
  const insertAll = db.transaction(insertEach);
  const flush = async () => {
    const batch = pending;
    pending = [];
    try {
      // One row: its own statement is its transaction (no BEGIN and COMMIT to run). More:
      // IMMEDIATE takes the write lock at BEGIN, so a busy database fails before any row is written.
      const fresh = await write(() => (batch.length === 1 ? insertEach(batch) : insertAll.immediate(batch)));
      batch.forEach((p, i) => p.done(fresh[i]!));
    } catch (e) {
      for (const p of batch) p.fail(e);
    }
  };
  return {
    insert: (row) =>
      new Promise<boolean>((done, fail) => {
        if (pending.push({ row, done, fail }) === 1) setImmediate(() => void flush());
      }),
    heartbeat: async (replica, now) => void (await write(() => beat.run(replica, iso(now)))),
    async close() {
      db.close();
    },
  };
}

function postgresWriter(url: string): InboxWriter {
  const pool = new pg.Pool({ connectionString: url, application_name: 'kehu-inbox', max: 4, connectionTimeoutMillis: PG_STATEMENT_TIMEOUT_MS, statement_timeout: PG_STATEMENT_TIMEOUT_MS, query_timeout: PG_STATEMENT_TIMEOUT_MS });
  // A connection the server drops while idle is an event on the pool, not a crash.
  pool.on('error', () => undefined);
  // TIMESTAMP(3) without a zone holds UTC, as Prisma's adapter writes it: send the UTC wall clock as text.
  const utc = (d: Date) => d.toISOString().replace('Z', '');
  return {
    async insert(row) {
      const now = utc(new Date());
      const r = await pool.query(
        `INSERT INTO "Job" ("id", "kind", "payload", "idempotencyKey", "status", "runAt", "attempts", "maxAttempts", "createdAt", "updatedAt")
         VALUES ($1, $2, $3, $4, 'pending', $5::timestamp, 0, $6, $7::timestamp, $7::timestamp)
         ON CONFLICT ("idempotencyKey") DO NOTHING`,
        [row.id, row.kind, row.payload, row.idempotencyKey, utc(row.runAt), row.maxAttempts, now],
      );
      return r.rowCount === 1;
    },
    async heartbeat(replica, now) {
      await pool.query(`INSERT INTO "Heartbeat" ("id", "beatAt") VALUES ($1, $2::timestamp) ON CONFLICT ("id") DO UPDATE SET "beatAt" = excluded."beatAt"`, [replica, utc(now)]);
    },
    close: () => pool.end(),
  };
}
