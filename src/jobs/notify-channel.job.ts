// `notify.channel`: a notice for a chat channel of the org file (the front desk's feed of
// arrivals), written by the outbox (db/repositories/outbox.ts) in the transaction of the
// change it follows. Rendered in the org's language, posted once (the sender dedupes on the
// job's key like a DM), and recorded where it landed so later changes update it in place
// (message-update.job.ts).
import { z } from 'zod';
import { renderNotice } from '../chat/notices.ts';
import { ZNoticeSchema } from '../core/notices.ts';
import type { OrgDirectory } from '../core/org/org.ts';
import type { Database } from '../db/client.ts';
import { NOTIFY_CHANNEL } from '../db/repositories/outbox.ts';
import { NOWHERE, recordSentMessage } from '../db/repositories/sent-message.repository.ts';
import type { ChatSender } from '../notify/notifier.ts';
import { defineJob } from './job-definition.ts';

export const ZChannelPlaceSchema = z.object({ platform: z.enum(['slack', 'lark']), id: z.string().min(1) });

export const notifyChannelJob = defineJob({
  kind: NOTIFY_CHANNEL,
  schema: z.object({ channel: ZChannelPlaceSchema, notice: ZNoticeSchema }),
  async handler(payload, job: { idempotencyKey: string; attempts: number; createdAt?: Date }, deps: { senders: () => ChatSender[]; directory: () => OrgDirectory; db?: Database; clock?: () => Date }) {
    const directory = deps.directory();
    const sender = deps.senders().find((s) => s.platform === payload.channel.platform);
    const db = deps.db;
    // The org file names a channel on a platform this kehu is not connected to: nothing to
    // post, and its updates have nothing to wait for (message-update.job.ts drops them).
    if (!sender?.sendToChannel) {
      if (db) await recordSentMessage(db, { platform: NOWHERE, channel: '', ref: '', key: job.idempotencyKey, personId: '', at: deps.clock?.() ?? new Date() });
      return;
    }
    const reply = renderNotice(directory, directory.org.locale, payload.notice);
    await sender.sendToChannel(payload.channel.id, reply, {
      idempotencyKey: job.idempotencyKey,
      attempt: job.attempts,
      since: job.createdAt,
      onSent: db ? (place) => recordSentMessage(db, { ...place, key: job.idempotencyKey, personId: '', at: deps.clock?.() ?? new Date() }) : undefined,
    });
  },
});
