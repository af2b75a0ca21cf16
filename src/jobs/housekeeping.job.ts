// Nightly housekeeping: the tables that only ever grow are trimmed. Inbound delivery ids
// are kept a week (Slack and Lark stop retrying after hours); finished jobs a month
// (long enough to answer "was it sent?"); where messages landed, 15 days (Lark updates a
// card for 14; an older message gets a new one anyway). Dead jobs stay until someone looks at them.
import { z } from 'zod';
import type { Database } from '../db/client.ts';
import { pruneInboundEvents } from '../db/repositories/inbound-event.repository.ts';
import { purgeDoneJobs } from '../db/repositories/job.repository.ts';
import { pruneSentMessages } from '../db/repositories/sent-message.repository.ts';
import { defineJob } from './job-definition.ts';
import { recurringEntry } from './recurring.ts';
import type { WorkerLogger } from './worker.ts';

const DAY = 24 * 60 * 60 * 1000;
export const KEEP_INBOUND_EVENTS_MS = 7 * DAY;
export const KEEP_DONE_JOBS_MS = 30 * DAY;
export const KEEP_SENT_MESSAGES_MS = 15 * DAY;

export const housekeepingJob = defineJob({
  kind: 'housekeeping',
  schema: z.null(),
  async handler(_payload, _job, deps: { db: Database; clock: () => Date; logger?: WorkerLogger }) {
    const now = deps.clock().getTime();
    const inboundEvents = await pruneInboundEvents(deps.db, new Date(now - KEEP_INBOUND_EVENTS_MS));
    const doneJobs = await purgeDoneJobs(deps.db, new Date(now - KEEP_DONE_JOBS_MS));
    const sentMessages = await pruneSentMessages(deps.db, new Date(now - KEEP_SENT_MESSAGES_MS));
    deps.logger?.info({ inboundEvents, doneJobs, sentMessages }, 'housekeeping done');
  },
});

export const HOUSEKEEPING_ENTRY = recurringEntry(housekeepingJob, { name: 'housekeeping', cron: '30 3 * * *', payload: null });
