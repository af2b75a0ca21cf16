// The two transactions every request about a customer needs (a contest, an extension;
// visits and service requests next), written once: open it once however often it is
// asked for, and decide it once, withdrawing it when the customer changed hands meanwhile.
import type { DecideOutcome } from '../../core/customers/customer.ts';
import type { NoticeJob } from '../../core/notices.ts';
import type { Database, Tx } from '../client.ts';
import { writeNotices } from './outbox.ts';
import { isUniqueViolation } from './prisma-errors.ts';

/**
 * Creates a row guarded by a unique key, with its notices, unless it exists: then the
 * existing row, created false. A press on another replica that won the race is found
 * after the unique violation (looked up outside the failed transaction, which PostgreSQL
 * would refuse to continue).
 */
export async function createOnce<T>(db: Database, find: () => Promise<T | null>, create: (tx: Tx) => Promise<T>, notices: readonly NoticeJob[]): Promise<{ row: T; created: boolean }> {
  const existing = await find();
  if (existing) return { row: existing, created: false };
  try {
    const row = await db.prisma.$transaction(async (tx) => {
      const created = await create(tx);
      await writeNotices(tx, notices);
      return created;
    });
    return { row, created: true };
  } catch (e) {
    const raced = isUniqueViolation(e) ? await find() : null;
    if (!raced) throw e;
    return { row: raced, created: false };
  }
}

export interface DecideSteps<T> {
  /** Marks the row decided if it is still open; undefined when it was not (a second press, another replica). */
  close(tx: Tx): Promise<T | undefined>;
  /** Applies the decision to the customer; false when the customer changed hands since the request. */
  apply(tx: Tx, row: T): Promise<boolean>;
  /** Withdraws the request, after the decision rolled back. */
  withdraw(tx: Tx): Promise<unknown>;
}

/**
 * Decides an open request in one transaction — closed, applied, its notices written — or
 * not at all: when the customer changed hands meanwhile the transaction rolls back and the
 * request is withdrawn instead ('ownerChanged'), with the `withdrawn` notices, so its maker
 * may ask afresh.
 */
export async function decideOnce<T>(db: Database, steps: DecideSteps<T>, notices: readonly NoticeJob[], withdrawn: readonly NoticeJob[] = []): Promise<DecideOutcome> {
  try {
    return await db.prisma.$transaction(async (tx) => {
      const row = await steps.close(tx);
      if (row === undefined) return 'alreadyDecided' as const;
      if (!(await steps.apply(tx, row))) throw new OwnerChanged();
      await writeNotices(tx, notices);
      return 'decided' as const;
    });
  } catch (e) {
    if (!(e instanceof OwnerChanged)) throw e;
    await db.prisma.$transaction(async (tx) => {
      await steps.withdraw(tx);
      await writeNotices(tx, withdrawn);
    });
    return 'ownerChanged';
  }
}

/** Thrown inside the transaction to roll it back when the customer changed hands meanwhile. */
class OwnerChanged extends Error {}
