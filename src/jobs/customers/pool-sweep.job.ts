// The nightly pool sweep as a job: node-cron enqueues one `pool.sweep` per night (keyed by
// the night, so replicas enqueue it once), and whichever worker leases it runs the sweep.
import { z } from 'zod';
import type { CustomerStore } from '../../core/customers/customer.ts';
import type { ExtensionStore } from '../../core/customers/extension.ts';
import type { NoticeOutbox } from '../../core/notices.ts';
import { sweepPool } from '../../core/customers/sweep-pool.ts';
import type { OrgDirectory } from '../../core/org/org.ts';
import { defineJob } from '../job-definition.ts';
import { recurringEntry } from '../recurring.ts';
import type { WorkerLogger } from '../worker.ts';

export const poolSweepJob = defineJob({
  kind: 'pool.sweep',
  schema: z.null(),
  async handler(_payload, _job, deps: { customers: CustomerStore; extensions: ExtensionStore; outbox: NoticeOutbox; directory: () => OrgDirectory; clock: () => Date; logger?: WorkerLogger }) {
    // The time of the run, not of the tick: a sweep that waited for a worker still releases what is due now.
    const result = await sweepPool({ store: deps.customers, extensions: deps.extensions, outbox: deps.outbox, directory: deps.directory(), now: deps.clock() });
    deps.logger?.info(result, 'pool sweep done');
  },
});

/** 02:00 in the org's time zone: after the day's follow-ups, before anyone starts work. */
export const POOL_SWEEP_ENTRY = recurringEntry(poolSweepJob, { name: 'pool-sweep', cron: '0 2 * * *', payload: null });
