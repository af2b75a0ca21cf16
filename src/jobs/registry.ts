// Every job kind the service runs, as plain data: any thread imports this list and builds
// its worker's handlers with jobHandlers(JOB_DEFINITIONS, deps), claiming the kinds it runs.
// A capability adds its *.job.ts files (jobs/<capability>/) and one line here.
import { poolSweepJob } from './customers/pool-sweep.job.ts';
import { housekeepingJob } from './housekeeping.job.ts';
import type { JobDepsOf, JobKindOf } from './job-definition.ts';
import { notifyPersonJob } from './notify-person.job.ts';

export const JOB_DEFINITIONS = [
  notifyPersonJob,
  poolSweepJob,
  housekeepingJob,
] as const;

export type JobKind = JobKindOf<typeof JOB_DEFINITIONS>;
/** What the handlers of every job kind need between them. */
export type JobDeps = JobDepsOf<typeof JOB_DEFINITIONS>;
