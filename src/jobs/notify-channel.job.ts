// `notify.channel`: a message into a chat channel of the org file, in the org's language —
// the front desk's feed of arrivals (written by the outbox, db/repositories/outbox.ts, for
// one platform's channel) or a department's card of a service request ("Take it"; written
// for the department, posted on the first connected platform it names a channel for; the
// shell prints it). Posted once (the sender dedupes on the job's key like a DM) and recorded
// where it landed, so later changes update it in place (message-update.job.ts). A channel
// no connected platform can reach is recorded as NOWHERE: its updates end at once instead
// of waiting for a message that never comes. With `thread` (a requester's comment on a
// request) it is a reply in the thread of the message sent under that key (the card), where it
// landed; a plain message when it never did.
import { z } from 'zod';
import { renderNotice } from '../chat/notices.ts';
import { ZNoticeSchema, type ChannelPlace } from '../core/notices.ts';
import type { OrgDirectory } from '../core/org/org.ts';
import type { Database } from '../db/client.ts';
import { NOTIFY_CHANNEL } from '../db/repositories/outbox.ts';
import { CHANNEL_PERSON_PREFIX, channelPersonId, NOWHERE, recordSentMessage } from '../db/repositories/sent-message.repository.ts';
import type { ChatSender, MessagePlace } from '../notify/notifier.ts';
import { PermanentJobError } from './errors.ts';
import { defineJob } from './job-definition.ts';
import { threadOf } from './notify-person.job.ts';

export const ZChannelPlaceSchema = z.object({ platform: z.enum(['slack', 'lark']), id: z.string().min(1) });

const ZNotifyChannelSchema = z
  .object({ channel: ZChannelPlaceSchema.optional(), departmentId: z.string().min(1).optional(), notice: ZNoticeSchema, thread: z.string().min(1).optional() })
  .refine((p) => (p.channel ? 1 : 0) + (p.departmentId ? 1 : 0) === 1, { message: 'names either a channel or a department' });

/** Where the message may go, and who it is recorded under. */
function targetOf(directory: OrgDirectory, p: z.infer<typeof ZNotifyChannelSchema>): { places: ChannelPlace[]; personId: string; shell: boolean } {
  if (p.channel) return { places: [p.channel], personId: channelPersonId(p.channel), shell: false };
  const department = directory.department(p.departmentId!);
  if (!department) throw new PermanentJobError(`department "${p.departmentId}" is no longer in the org file`);
  const places = (['slack', 'lark'] as const).flatMap((platform) => (department.channel?.[platform] ? [{ platform, id: department.channel[platform]! }] : []));
  return { places, personId: `${CHANNEL_PERSON_PREFIX}${department.id}`, shell: true };
}

export const notifyChannelJob = defineJob({
  kind: NOTIFY_CHANNEL,
  schema: ZNotifyChannelSchema,
  async handler(payload, job: { idempotencyKey: string; attempts: number; createdAt?: Date }, deps: { senders: () => ChatSender[]; directory: () => OrgDirectory; db: Database; clock: () => Date }) {
    const directory = deps.directory();
    const { places, personId, shell } = targetOf(directory, payload);
    const reply = renderNotice(directory, directory.org.locale, payload.notice);
    const onSent = (place: MessagePlace) => recordSentMessage(deps.db, { ...place, key: job.idempotencyKey, personId, at: deps.clock() });
    const thread = payload.thread ? await threadOf(deps.db, payload.thread) : undefined;
    for (const sender of deps.senders()) {
      const place = sender.platform === 'shell' ? (shell ? places[0] : undefined) : places.find((p) => p.platform === sender.platform);
      if (!place || !sender.sendToChannel) continue;
      const here = thread?.platform === sender.platform ? { thread } : {};
      if (await sender.sendToChannel(place.id, reply, { idempotencyKey: job.idempotencyKey, attempt: job.attempts, since: job.createdAt, onSent, ...here })) return;
    }
    await recordSentMessage(deps.db, { platform: NOWHERE, channel: '', ref: '', key: job.idempotencyKey, personId, at: deps.clock() });
  },
});
