// The workload both sides of the two-process SQLite test run: transactions that read, pause
// (holding the write lock while the other process wants it), then write.
import type { Database } from '../../src/db/client.ts';
import { enqueueJob } from '../../src/jobs/job.repository.ts';

export async function runReadThenWriteTransactions(
  db: Database,
  prefix: string,
  count: number,
): Promise<{ ok: number; failed: string[] }> {
  const results = await Promise.allSettled(
    Array.from({ length: count }, (_, i) =>
      db.prisma.$transaction(async (tx) => {
        await tx.job.count();
        await new Promise((resolve) => setTimeout(resolve, 1));
        await enqueueJob(tx, { kind: 'k', payload: null, runAt: new Date(), idempotencyKey: `${prefix}-${i}` });
      }),
    ),
  );
  const failed = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
  return { ok: count - failed.length, failed };
}
