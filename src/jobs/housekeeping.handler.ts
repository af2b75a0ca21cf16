// Nightly housekeeping: the tables that only ever grow are trimmed. Inbound delivery ids
// are kept a week (Slack and Lark stop retrying after hours); finished jobs a month
// (long enough to answer "was it sent?"). Dead jobs stay until someone looks at them.
import type { Database } from '../db/client.ts';
import { pruneInboundEvents } from '../db/repositories/inbound-event.repository.ts';
import { purgeDoneJobs } from '../db/repositories/job.repository.ts';
import type { RecurringEntry } from './recurring.ts';
import type { JobHandler, WorkerLogger } from './worker.ts';

export const HOUSEKEEPING = 'housekeeping';
export const HOUSEKEEPING_ENTRY: RecurringEntry = { name: 'housekeeping', cron: '30 3 * * *', kind: HOUSEKEEPING };

const DAY = 24 * 60 * 60 * 1000;
export const KEEP_INBOUND_EVENTS_MS = 7 * DAY;
export const KEEP_DONE_JOBS_MS = 30 * DAY;

export function housekeepingHandler(deps: { db: Database; clock: () => Date; logger?: WorkerLogger }): JobHandler {
  return async () => {
    const now = deps.clock().getTime();
    const inboundEvents = await pruneInboundEvents(deps.db, new Date(now - KEEP_INBOUND_EVENTS_MS));
    const doneJobs = await purgeDoneJobs(deps.db, new Date(now - KEEP_DONE_JOBS_MS));
    deps.logger?.info({ inboundEvents, doneJobs }, 'housekeeping done');
  };
}
