// Whether an error is the database being away for a while — unreachable, the connection cut,
// the server shutting down or starting, the pool or a statement timing out, too many
// connections, a write conflict, SQLite's write lock held past the busy timeout — rather than
// something wrong with what was asked. A command that met one is not answered "something went
// wrong": its inbox row is retried, as a queued job is (chat/dispatch.ts rethrows it).
// Read from Prisma's error code and the driver adapter's error kind, through the cause chain.

/** Prisma's codes for a database that is away or busy (https://www.prisma.io/docs/orm/reference/error-reference). */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2034']);
/** The driver adapter's kinds for the same. */
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TransactionWriteConflict']);
/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), 53300 too many connections, 57P01–57P03
 * (shut down by an administrator or a crash, cannot connect now), 40001 and 40P01 (serialization
 * failure, deadlock: retry).
 */
const PG_STATE = /^(08...|53300|57P0[123]|40001|40P01)$/u;

type Loose = { code?: unknown; kind?: unknown; originalCode?: unknown; meta?: { driverAdapterError?: unknown }; cause?: unknown };

export function isTransientDatabaseError(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e = error as Loose | undefined; e && typeof e === 'object' && !seen.has(e); e = (e.meta?.driverAdapterError as Loose | undefined) ?? (e.cause as Loose | undefined)) {
    seen.add(e);
    if (typeof e.code === 'string' && (PRISMA_CODES.has(e.code) || PG_STATE.test(e.code))) return true;
    if (typeof e.kind === 'string' && ADAPTER_KINDS.has(e.kind)) return true;
    if (typeof e.originalCode === 'string' && (PG_STATE.test(e.originalCode) || e.originalCode.startsWith('SQLITE_BUSY') || e.originalCode.startsWith('SQLITE_LOCKED'))) return true;
  }
  return false;
}
