// `request.sweep`: sends the service requests' reminders and escalations that are due
// (core/requests/sweep-request-alerts.ts). Woken at each request's next alert (a job per
// instant, written with the change that planned it) and every five minutes as a safety net.
import { z } from 'zod';
import type { Services } from '../../chat/command.ts';
import type { OrgDirectory } from '../../core/org/org.ts';
import { sweepRequestAlerts } from '../../core/requests/sweep-request-alerts.ts';
import { REQUEST_SWEEP } from '../../db/repositories/service-request.repository.ts';
import { defineJob } from '../job-definition.ts';
import { recurringEntry } from '../recurring.ts';

export const requestSweepJob = defineJob({
  kind: REQUEST_SWEEP,
  schema: z.null(),
  async handler(_payload, _job, deps: { services: Services; directory: () => OrgDirectory; clock: () => Date }) {
    return sweepRequestAlerts({ requests: deps.services.requests, directory: deps.directory(), catalog: deps.services.catalog(), now: deps.clock() });
  },
});

export const REQUEST_SWEEP_ENTRY = recurringEntry(requestSweepJob, { name: 'request-sweep', cron: '*/5 * * * *', payload: null });
