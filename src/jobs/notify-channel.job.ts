// `notify.channel`: a card into a department's channel (a service request's "Take it"
// card), in the org's language, on the first platform the department names a channel for.
// Where it landed is recorded under the job's key, so that later changes update it in place
// (message-update.job.ts); a department no platform can reach records that too, so those
// updates end instead of waiting for a message that never comes.
import { z } from 'zod';
import { renderNotice } from '../chat/notices.ts';
import { ZNoticeSchema } from '../core/notices.ts';
import type { OrgDirectory } from '../core/org/org.ts';
import type { Database } from '../db/client.ts';
import { NOTIFY_CHANNEL } from '../db/repositories/outbox.ts';
import { CHANNEL_PERSON_PREFIX, recordSentMessage } from '../db/repositories/sent-message.repository.ts';
import type { ChatSender } from '../notify/notifier.ts';
import { PermanentJobError } from './errors.ts';
import { defineJob } from './job-definition.ts';

export const notifyChannelJob = defineJob({
  kind: NOTIFY_CHANNEL,
  schema: z.object({ departmentId: z.string().min(1), notice: ZNoticeSchema }),
  async handler(payload, job: { idempotencyKey: string; attempts: number }, deps: { senders: () => ChatSender[]; directory: () => OrgDirectory; db: Database; clock: () => Date }) {
    const directory = deps.directory();
    const department = directory.department(payload.departmentId);
    if (!department) throw new PermanentJobError(`department "${payload.departmentId}" is no longer in the org file`);
    const reply = renderNotice(directory, directory.org.locale, payload.notice);
    const personId = `${CHANNEL_PERSON_PREFIX}${department.id}`;
    for (const sender of deps.senders()) {
      const channel = sender.platform === 'shell' ? (department.channel?.slack ?? department.channel?.lark) : department.channel?.[sender.platform];
      if (!channel || !sender.sendToChannel) continue;
      const onSent = (place: { platform: 'slack' | 'lark' | 'shell'; channel: string; ref: string }) => recordSentMessage(deps.db, { ...place, key: job.idempotencyKey, personId, at: deps.clock() });
      if (await sender.sendToChannel(channel, reply, { idempotencyKey: job.idempotencyKey, attempt: job.attempts, onSent })) return;
    }
    await recordSentMessage(deps.db, { platform: 'none', channel: '', ref: '', key: job.idempotencyKey, personId, at: deps.clock() });
  },
});
