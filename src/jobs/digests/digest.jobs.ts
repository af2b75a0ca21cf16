// The digests as jobs. `digest.schedule` runs every hour (node-cron enqueues it keyed by the
// hour, so replicas enqueue it once): it enqueues, for each person whose digest is due in
// the coming hour, one `digest.send` keyed by person, frequency and covered period
// (`digest:weekly:li.na:2026-W02`) to run at the delivery time; across restarts and replicas
// each digest is enqueued, and so sent, once. A slot missed while kehu was down is made up
// by the next tick within DIGEST_LOOK_BACK_MS, never before kehu's first tick (a new
// install sends nothing for a week it never saw). `digest.send` builds the digest when it runs
// (figures as of then, charts drawn then; on time, as of the slot's time with the slot's other
// digests: core/digests/batch-figures.ts) and sends it over the first platform that reaches
// the person.
import { z } from 'zod';
import type { Services } from '../../chat/command.ts';
import { digestInstant } from '../../core/digests/batch-figures.ts';
import { hasScheduledDigest } from '../../core/digests/build-digest.ts';
import { defaultFrequency } from '../../core/digests/frequency.ts';
import { digestMessage, periodFromValue } from '../../chat/digests/digest-message.ts';
import { DEFAULT_DIGEST_SCHEDULE, dueDeliveries } from '../../core/digests/period.ts';
import type { OrgDirectory } from '../../core/org/org.ts';
import { chineseWorkingCalendar } from '../../core/time/working-days.ts';
import type { Database } from '../../db/client.ts';
import type { ChatSender } from '../../notify/notifier.ts';
import { PermanentJobError } from '../errors.ts';
import { defineJob, enqueue } from '../job-definition.ts';
import { recurringEntry } from '../recurring.ts';
import type { WorkerLogger } from '../worker.ts';

const HOUR = 3600_000;
/** How far back a tick still enqueues a delivery whose time passed (kehu was down). */
export const DIGEST_LOOK_BACK_MS = 3 * 24 * HOUR;

const ZSendDigestPayloadSchema = z.object({
  personId: z.string().min(1),
  kind: z.enum(['weekly', 'daily']),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** The slot's delivery time (jobs enqueued before it was carried have none). */
  at: z.iso.datetime().optional(),
});

export const sendDigestJob = defineJob({
  kind: 'digest.send',
  schema: ZSendDigestPayloadSchema,
  async handler(payload, job: { idempotencyKey: string; attempts: number; createdAt?: Date }, deps: { services: Services; senders: () => ChatSender[]; directory: () => OrgDirectory; logger?: WorkerLogger }) {
    const directory = deps.directory();
    const person = directory.person(payload.personId);
    if (!person) throw new PermanentJobError(`person "${payload.personId}" is no longer in the org file`);
    // Turned off (or changed) since it was enqueued: nothing to send.
    const frequency = (await deps.services.digestSettings.frequencyOf(person.id)) ?? defaultFrequency(directory, person);
    if (frequency !== payload.kind) return;
    // A manager with nobody below them and no department gets no weekly "nothing to report" (`digest` says it on demand).
    if (!hasScheduledDigest(directory, person)) return void deps.logger?.info({ personId: person.id }, 'digest skipped: nobody reports to this manager');
    const period = periodFromValue(directory, payload);
    const reply = await digestMessage({ services: deps.services, directory, person, locale: directory.localeOf(person), period, charts: true, ...digestInstant(payload.at, deps.services.clock()) });
    for (const sender of deps.senders()) {
      if (await sender.sendToPerson(person, reply, { idempotencyKey: job.idempotencyKey, attempt: job.attempts, since: job.createdAt })) return;
    }
    throw new Error(`no chat account found for ${person.id} on ${deps.senders().map((s) => s.platform).join(', ') || 'any platform'}`);
  },
});

export const scheduleDigestsJob = defineJob({
  kind: 'digest.schedule',
  schema: z.null(),
  async handler(_payload, job, deps: { services: Services; directory: () => OrgDirectory; db: Database; clock: () => Date; logger?: WorkerLogger }) {
    const directory = deps.directory();
    const { org } = directory;
    const now = deps.clock();
    // Made up are only the slots kehu missed while it was down: never further back than its
    // first earlier tick (and always the hour since the tick before: a tick runs a little
    // late). A first start (a new install) sends no digest for a week it never saw.
    const earlier = await deps.db.prisma.job.findFirst({ where: { kind: 'digest.schedule', NOT: { id: job.id } }, orderBy: { createdAt: 'asc' }, select: { createdAt: true } });
    const lookBackMs = Math.max(HOUR, earlier ? Math.min(DIGEST_LOOK_BACK_MS, now.getTime() - earlier.createdAt.getTime()) : 0);
    const calendar = chineseWorkingCalendar(org.workingHours.days);
    const chosen = await deps.services.digestSettings.all();
    let enqueued = 0;
    for (const person of directory.people) {
      const frequency = chosen.get(person.id) ?? defaultFrequency(directory, person);
      if (frequency === 'off') continue;
      if (!hasScheduledDigest(directory, person)) continue;
      // The next tick is an hour away: what falls before it is enqueued now, to run at its time.
      const due = dueDeliveries({ frequency, now, schedule: org.digest ?? DEFAULT_DIGEST_SCHEDULE, calendar, timezone: org.timezone, lookAheadMs: HOUR, lookBackMs });
      for (const d of due) {
        const day = d.period.kind === 'weekly' ? d.period.firstDay : d.period.key;
        const added = await enqueue(deps.db.prisma, sendDigestJob, {
          payload: { personId: person.id, kind: d.period.kind, day, at: d.at.toISOString() },
          runAt: d.at,
          idempotencyKey: `digest:${d.period.kind}:${person.id}:${d.period.key}`,
        });
        if (added) enqueued++;
      }
    }
    if (enqueued) deps.logger?.info({ enqueued }, 'digests enqueued');
  },
});

/** Every hour on the hour: the digest time may be any minute; each send runs at its own time. */
export const DIGEST_SCHEDULE_ENTRY = recurringEntry(scheduleDigestsJob, { name: 'digest-schedule', cron: '0 * * * *', payload: null });
