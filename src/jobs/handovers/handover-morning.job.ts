// The handovers' working morning as a job: node-cron enqueues one `handover.morning` a day
// at 09:00 org time (keyed by the minute, so replicas enqueue it once); the prompts inside
// are keyed per person per day, so a re-run after a crash sends only what is missing.
import { z } from 'zod';
import type { Services } from '../../chat/command.ts';
import { handoverMorning } from '../../core/handovers/handover-morning.ts';
import { noticeLeavers } from '../../core/handovers/notice-leavers.ts';
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

/** Every ten minutes: owners who left or were removed from the org file, their manager told once. */
export const handoverLeaversJob = defineJob({
  kind: 'handover.leavers',
  schema: z.null(),
  async handler(_payload, _job, deps: LeaverDeps) {
    await noticeLeavers({ store: deps.services.handovers, outbox: deps.outbox, directory: deps.directory(), now: deps.clock() });
  },
});

export const HANDOVER_LEAVERS_ENTRY = recurringEntry(handoverLeaversJob, { name: 'handover-leavers', cron: '*/10 * * * *', payload: null });
