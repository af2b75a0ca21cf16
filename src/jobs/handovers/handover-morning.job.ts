// The handovers' working morning as a job: node-cron enqueues one `handover.morning` a day
// at 09:00 org time (keyed by the minute, so replicas enqueue it once); the prompts inside
// are keyed per person per day, so a re-run after a crash sends only what is missing. The
// leavers' check runs every ten minutes, and at once when the org file is reloaded.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Services } from '../../chat/command.ts';
import { handoverMorning } from '../../core/handovers/handover-morning.ts';
import { noticeLeavers } from '../../core/handovers/notice-leavers.ts';
import { replaceGoneSuccessors } from '../../core/handovers/replace-successors.ts';
import { remindVisit } from '../../core/handovers/visit-reminder.ts';
import type { Database } from '../../db/client.ts';
import { HANDOVER_VISIT_REMINDER } from '../../db/repositories/handover.repository.ts';
import { enqueueJob, jobsCommitted } from '../../db/repositories/job.repository.ts';
import type { NoticeOutbox } from '../../core/notices.ts';
import type { OrgDirectory } from '../../core/org/org.ts';
import { defineJob } from '../job-definition.ts';
import { recurringEntry } from '../recurring.ts';
import type { WorkerLogger } from '../worker.ts';

export const handoverMorningJob = defineJob({
  kind: 'handover.morning',
  schema: z.null(),
  async handler(_payload, _job, deps: { services: Services; outbox: NoticeOutbox; directory: () => OrgDirectory; clock: () => Date; logger?: WorkerLogger }) {
    const result = await handoverMorning({ store: deps.services.handovers, outbox: deps.outbox, directory: deps.directory(), now: deps.clock() });
    deps.logger?.info(result, 'handover morning done');
  },
});

export const HANDOVER_MORNING_ENTRY = recurringEntry(handoverMorningJob, { name: 'handover-morning', cron: '0 9 * * *', payload: null });

type LeaverDeps = { services: Services; outbox: NoticeOutbox; directory: () => OrgDirectory; clock: () => Date };

/**
 * Every ten minutes: owners who left or were removed from the org file, their manager told
 * once; and successors who left mid-handover, their pending customers back to the plan.
 */
export const handoverLeaversJob = defineJob({
  kind: 'handover.leavers',
  schema: z.null(),
  async handler(_payload, _job, deps: LeaverDeps) {
    const options = { store: deps.services.handovers, outbox: deps.outbox, directory: deps.directory(), now: deps.clock() };
    await noticeLeavers(options);
    await replaceGoneSuccessors(options);
  },
});

/** A joint visit's reminder (the working day before, the morning of), written with the visit day; moot ones send nothing. */
export const handoverVisitReminderJob = defineJob({
  kind: HANDOVER_VISIT_REMINDER,
  schema: z.object({ itemId: z.string().min(1), visitDay: z.iso.date(), when: z.enum(['dayBefore', 'morning']) }),
  async handler(payload, _job, deps: LeaverDeps) {
    return remindVisit({ store: deps.services.handovers, outbox: deps.outbox, directory: deps.directory(), ...payload, now: deps.clock() });
  },
});

export const HANDOVER_LEAVERS_ENTRY = recurringEntry(handoverLeaversJob, { name: 'handover-leavers', cron: '*/10 * * * *', payload: null });

/**
 * The leavers' check now, not at the next ten minutes: on each reload of the org file (a
 * person removed, or given `left:`), so their manager hears of it at once. Its notices are
 * keyed per leaver: a run more, on every replica that reloaded, tells nobody twice.
 */
export async function checkLeaversNow(db: Database, at: Date): Promise<void> {
  if (await enqueueJob(db.prisma, { kind: handoverLeaversJob.kind, payload: null, runAt: at, idempotencyKey: `handover-leavers:reload:${at.toISOString()}:${randomUUID()}` })) jobsCommitted(db, at);
}
