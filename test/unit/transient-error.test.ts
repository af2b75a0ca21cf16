import { describe, expect, it } from 'vitest';
import { isTransientDatabaseError } from '../../src/db/transient-error.ts';

// Shapes as Prisma 7 and its pg / SQLite driver adapters throw them (the first two recorded
// from a PostgreSQL stopped under a running client).
const prisma = (code: string, cause: Record<string, unknown>) => Object.assign(new Error('Invalid `prisma.customer.count()` invocation'), { name: 'PrismaClientKnownRequestError', code, meta: { driverAdapterError: { name: 'DriverAdapterError', cause } } });

describe('isTransientDatabaseError', () => {
  it('is true for a database that is away: unreachable, shut down, the connection cut, a pool timeout, too many connections', () => {
    expect(isTransientDatabaseError(prisma('P1001', { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 }))).toBe(true);
    expect(isTransientDatabaseError(prisma('P2039', { kind: 'postgres', code: '57P01', originalCode: '57P01', message: 'terminating connection due to administrator command' }))).toBe(true);
    expect(isTransientDatabaseError(prisma('P2039', { kind: 'ConnectionClosed' }))).toBe(true);
    expect(isTransientDatabaseError(Object.assign(new Error('pool'), { code: 'P2024' }))).toBe(true);
    expect(isTransientDatabaseError(prisma('P2039', { kind: 'TooManyConnections', cause: '' }))).toBe(true);
    expect(isTransientDatabaseError(prisma('P2039', { kind: 'postgres', code: '08006', originalCode: '08006' }))).toBe(true);
  });

  it('is true for a conflict to retry and for SQLite\'s write lock held past the busy timeout, also deeper in the cause chain', () => {
    expect(isTransientDatabaseError(prisma('P2034', { kind: 'TransactionWriteConflict' }))).toBe(true);
    expect(isTransientDatabaseError(prisma('P2039', { kind: 'postgres', code: '40P01', originalCode: '40P01' }))).toBe(true);
    expect(isTransientDatabaseError(new Error('wrapped', { cause: prisma('P2039', { kind: 'sqlite', extendedCode: 5, originalCode: 'SQLITE_BUSY', message: 'database is locked' }) }))).toBe(true);
  });

  it('is false for what was asked: a unique violation, a missing table, a value out of range, an ordinary error, nothing', () => {
    expect(isTransientDatabaseError(prisma('P2002', { kind: 'UniqueConstraintViolation', constraint: { fields: ['name'] } }))).toBe(false);
    expect(isTransientDatabaseError(prisma('P2021', { kind: 'TableDoesNotExist' }))).toBe(false);
    expect(isTransientDatabaseError(prisma('P2039', { kind: 'postgres', code: '22003', originalCode: '22003' }))).toBe(false);
    expect(isTransientDatabaseError(new TypeError('x is undefined'))).toBe(false);
    expect(isTransientDatabaseError(undefined)).toBe(false);
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(isTransientDatabaseError(loop)).toBe(false);
  });
});
