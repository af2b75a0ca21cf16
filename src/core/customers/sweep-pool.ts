// Use case: the nightly pool sweep. Warns owners whose customers return to the pool within
// warningDays (once per release day, however often the sweep runs) and releases customers
// whose time has come, each release its own small transaction with the owner's notice, so
// a crash half-way loses nothing and a re-run finishes the job. A release also updates the
// owner's warning and any open extension request in place (pool-messages.ts).
import type { NoticeJob, NoticeOutbox } from '../notices.ts';
import type { OrgDirectory } from '../org/org.ts';
import type { CustomerStore } from './customer.ts';
import type { ExtensionStore } from './extension.ts';
import { releasedNotices } from './pool-messages.ts';
import { poolDue, releaseWarningKey, sweepHorizon } from './pool-rules.ts';

export const SWEEP_BATCH = 200;

export async function sweepPool(options: {
  store: CustomerStore;
  extensions: Pick<ExtensionStore, 'openFor'>;
  outbox: NoticeOutbox;
  directory: OrgDirectory;
  now: Date;
  batchSize?: number;
}): Promise<{ warned: number; released: number }> {
  const { store, directory, now } = options;
  const rules = directory.org.pool;
  const batchSize = options.batchSize ?? SWEEP_BATCH;
  const horizon = sweepHorizon(rules, now);
  const today = now.toLocaleDateString('sv-SE', { timeZone: directory.org.timezone });
  let warned = 0;
  let released = 0;
  let after: { releaseAt: Date; id: string } | undefined;
  for (;;) {
    const batch = await store.dueForPool(horizon, after, batchSize);
    const warnings: NoticeJob[] = [];
    for (const c of batch) {
      // An owner who left (or was removed from the org file): protected until a handover takes them.
      if (c.ownerId && directory.isGone(c.ownerId, today)) continue;
      const due = poolDue(rules, c, now);
      if (due === 'release') {
        const told: NoticeJob = {
          personId: c.ownerId!,
          notice: { type: 'customer.released', customerId: c.id, customerName: c.name, reason: 'no_follow_up' },
          idempotencyKey: `pool-release:${c.id}:${c.releaseAt!.toISOString()}`,
          runAt: now,
        };
        // The warning and any request still open change in place: it went back to the pool.
        const ended = await releasedNotices(options.extensions, directory, c, 'no_follow_up', now);
        if (await store.autoRelease({ id: c.id, ownerId: c.ownerId!, at: now }, [told, ...ended])) released++;
      } else if (due === 'warn') {
        warnings.push({
          personId: c.ownerId!,
          notice: { type: 'customer.releaseWarning', customerId: c.id, customerName: c.name, releaseAt: c.releaseAt!.toISOString() },
          idempotencyKey: releaseWarningKey(c.id, c.releaseAt!, directory.org.timezone),
          runAt: now,
        });
      }
    }
    warned += await options.outbox.notify(warnings);
    if (batch.length < batchSize) break;
    const last = batch[batch.length - 1]!;
    after = { releaseAt: last.releaseAt!, id: last.id };
  }
  return { warned, released };
}
