// Every job kind the service runs, as plain data: any thread imports this list and builds
// its worker's handlers with jobHandlers(JOB_DEFINITIONS, deps), claiming the kinds it runs.
// A capability adds its *.job.ts files (jobs/<capability>/) and one line here (two when
// the job also runs on a schedule).
import { POOL_SWEEP_ENTRY, poolSweepJob } from './customers/pool-sweep.job.ts';
import { DIGEST_SCHEDULE_ENTRY, scheduleDigestsJob, sendDigestJob } from './digests/digest.jobs.ts';
import { HOUSEKEEPING_ENTRY, housekeepingJob } from './housekeeping.job.ts';
import { HANDOVER_LEAVERS_ENTRY, HANDOVER_MORNING_ENTRY, handoverLeaversJob, handoverMorningJob, handoverVisitReminderJob } from './handovers/handover-morning.job.ts';
import type { JobDepsOf, JobKindOf } from './job-definition.ts';
import type { RecurringEntry } from './recurring.ts';
import { messageUpdateJob } from './message-update.job.ts';
import { notifyPersonJob } from './notify-person.job.ts';
import { notifyChannelJob } from './notify-channel.job.ts';
import { REQUEST_SWEEP_ENTRY, requestSweepJob } from './requests/request-sweep.job.ts';
import { requestRatingCloseJob } from './requests/rating-close.job.ts';
import { VISITOR_RETENTION_ENTRY, visitorCheckJob, visitorRetentionJob } from './visitors/visitor.jobs.ts';

export const JOB_DEFINITIONS = [
  notifyPersonJob,
  messageUpdateJob,
  poolSweepJob,
  housekeepingJob,
  scheduleDigestsJob,
  sendDigestJob,
  visitorCheckJob,
  visitorRetentionJob,
  notifyChannelJob,
  handoverMorningJob,
  handoverLeaversJob,
  handoverVisitReminderJob,
  requestSweepJob,
  requestRatingCloseJob,
] as const;

/** What node-cron enqueues, each on its schedule in the org's time zone (recurring.ts). */
export const RECURRING_ENTRIES: readonly RecurringEntry[] = [
  POOL_SWEEP_ENTRY,
  HOUSEKEEPING_ENTRY,
  DIGEST_SCHEDULE_ENTRY,
  VISITOR_RETENTION_ENTRY,
  HANDOVER_MORNING_ENTRY,
  HANDOVER_LEAVERS_ENTRY,
  REQUEST_SWEEP_ENTRY,
];

export type JobKind = JobKindOf<typeof JOB_DEFINITIONS>;
/** What the handlers of every job kind need between them. */
export type JobDeps = JobDepsOf<typeof JOB_DEFINITIONS>;
