// Exactly once for the change an acked delivery makes. An inbox row is run at least once:
// its worker may lose the lease while it still runs (starved, the database away longer
// than the lease) or die after committing and before marking the row done, and then the
// row runs again. So every transaction opened while an inbox row runs first writes its
// attempt on the row, in the same transaction:
//
//   UPDATE "Job" SET "effectAttempt" = <attempt>
//    WHERE "id" = <row> AND "status" = 'running' AND "leaseOwner" = <owner> AND "attempts" = <attempt>
//      AND ("effectAttempt" IS NULL OR "effectAttempt" = <attempt>)
//
// No row: the transaction rolls back with FencedOut — `applied` when an earlier attempt
// committed a change (this one must not make it twice), `leaseLost` when another worker
// holds the row now (it makes the change, not us). The row's lock (PostgreSQL) or the write
// lock (SQLite) orders the attempts, so two never both commit.
//
// Only interactive transactions are fenced: a single-statement write outside one is not,
// so keep those idempotent (upserts of bookkeeping: chat identities, sent messages) or put
// them in a transaction.
//
//   installEffectFence(prisma);                                    // once, at open (db/client.ts)
//   await runFenced({ jobId, owner, attempt }, () => handler());  // the inbox worker
import { AsyncLocalStorage } from 'node:async_hooks';
import { FencedOut } from '../core/errors.ts';
import type { PrismaClient } from './generated/sqlite/client.ts';
import type { Tx } from './client.ts';

export { FencedOut };

/** The attempt being run: its row, the worker's lease owner, the attempt number its claim counted. */
export interface Fence {
  jobId: string;
  owner: string;
  attempt: number;
}

/** `active` ends when the handler settles: work it left behind is no longer part of the attempt. */
const scope = new AsyncLocalStorage<{ fence: Fence; active: boolean } | undefined>();

/**
 * Runs `work` with its transactions fenced by `fence`, or, when undefined, with none (a
 * job of another worker started from inside an inbox handler's timers must not inherit it).
 */
export async function runFenced<T>(fence: Fence | undefined, work: () => Promise<T>): Promise<T> {
  const store = fence ? { fence, active: true } : undefined;
  try {
    return await scope.run(store, work);
  } finally {
    if (store) store.active = false;
  }
}

/** Writes the attempt on its row inside `tx`, or throws FencedOut (which rolls `tx` back). */
async function enterFence(tx: Tx, fence: Fence): Promise<void> {
  const { jobId, owner, attempt } = fence;
  const { count } = await tx.job.updateMany({
    where: { id: jobId, status: 'running', leaseOwner: owner, attempts: attempt, OR: [{ effectAttempt: null }, { effectAttempt: attempt }] },
    data: { effectAttempt: attempt },
  });
  if (count === 1) return;
  const row = await tx.job.findUnique({ where: { id: jobId }, select: { status: true, leaseOwner: true, attempts: true } });
  const stillOurs = row?.status === 'running' && row.leaseOwner === owner && row.attempts === attempt;
  throw new FencedOut(stillOurs ? 'applied' : 'leaseLost');
}

/** Makes every interactive `$transaction` on `prisma` enter the fence of the attempt it runs in, if any. */
export function installEffectFence(prisma: PrismaClient): void {
  const original = prisma.$transaction.bind(prisma) as (arg: unknown, options?: unknown) => Promise<unknown>;
  const fenced = (arg: unknown, options?: unknown) => {
    const store = scope.getStore();
    if (!store?.active || typeof arg !== 'function') return original(arg, options);
    const fn = arg as (tx: Tx) => Promise<unknown>;
    return original(async (tx: Tx) => {
      await enterFence(tx, store.fence);
      return fn(tx);
    }, options);
  };
  Object.defineProperty(prisma, '$transaction', { value: fenced, configurable: true, writable: true });
}
