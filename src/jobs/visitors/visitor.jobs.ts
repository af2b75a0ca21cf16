// The visitors capability's jobs: `visitor.check` looks at a visit again at its due time
// (the next escalation step, the end of a "wait N minutes"; moot ones do nothing), and
// `visitor.retention`, nightly, erases personal details older than the org file's retention.
import { z } from 'zod';
import type { Services } from '../../chat/command.ts';
import type { OrgDirectory } from '../../core/org/org.ts';
import { checkVisit } from '../../core/visitors/check-visit.ts';
import { VISITOR_CHECK } from '../../db/repositories/visit.repository.ts';
import { defineJob } from '../job-definition.ts';
import { recurringEntry } from '../recurring.ts';
import type { WorkerLogger } from '../worker.ts';

const DAY = 86_400_000;

export const visitorCheckJob = defineJob({
  kind: VISITOR_CHECK,
  schema: z.object({ visitId: z.string().min(1), version: z.number().int().min(1), step: z.number().int().min(0) }),
  async handler(payload, _job, deps: { services: Services; directory: () => OrgDirectory; clock: () => Date }) {
    return checkVisit({ visits: deps.services.visits, directory: deps.directory(), ...payload, now: deps.clock() });
  },
});

export const visitorRetentionJob = defineJob({
  kind: 'visitor.retention',
  schema: z.null(),
  async handler(_payload, _job, deps: { services: Services; directory: () => OrgDirectory; clock: () => Date; logger?: WorkerLogger }) {
    const days = deps.directory().org.visitors.retentionDays;
    const erased = await deps.services.visits.erasePersonalDetails(new Date(deps.clock().getTime() - days * DAY));
    deps.logger?.info({ erased, retentionDays: days }, 'visitor details past retention erased');
    return erased;
  },
});

/** 03:45 org time, nightly. */
export const VISITOR_RETENTION_ENTRY = recurringEntry(visitorRetentionJob, { name: 'visitor-retention', cron: '45 3 * * *', payload: null });
