// `message.update`: shows the newest state asked for a message kehu sent (sent-message
// repository), in place — chat.update on Slack, PATCH on Lark, a reprint in the shell. One
// run per message at a time (a lease on its row); the run applies whatever is newest, so a
// burst of updates coalesces and a run for an older version finds it applied and does
// nothing. A message that can no longer be updated is followed by a new one, whose place is
// recorded for the next update. A message not sent yet (its notice job is still queued) is
// waited for. A channel's message (the front desk's feed) reads in the org's language.
import { z } from 'zod';
import { renderNotice } from '../chat/notices.ts';
import type { Reply } from '../chat/reply.ts';
import { ZNoticeSchema } from '../core/notices.ts';
import type { OrgDirectory } from '../core/org/org.ts';
import type { Database } from '../db/client.ts';
import { CHANNEL_PERSON_PREFIX, findSentMessage, leaseSentMessage, markMessageApplied, MESSAGE_UPDATE, NOWHERE, recordSentMessage, releaseSentMessage } from '../db/repositories/sent-message.repository.ts';
import type { ChatSender, MessagePlace } from '../notify/notifier.ts';
import { PermanentJobError, RetryLaterError } from './errors.ts';
import { defineJob } from './job-definition.ts';
import { ZChannelPlaceSchema } from './notify-channel.job.ts';

const LEASE_MS = 60_000;

const ZContentSchema = z.union([
  z.object({ notice: ZNoticeSchema, channel: ZChannelPlaceSchema.optional() }),
  z.object({ reply: z.custom<Reply>((v) => typeof v === 'object' && v !== null) }),
]);

export const messageUpdateJob = defineJob({
  kind: MESSAGE_UPDATE,
  schema: z.object({ key: z.string().min(1), version: z.number().int().positive() }),
  async handler(payload, _job, deps: { senders: () => ChatSender[]; directory: () => OrgDirectory; db: Database; clock: () => Date }) {
    const { db } = deps;
    const first = await findSentMessage(db, payload.key);
    if (!first) throw new PermanentJobError(`no message "${payload.key}" to update`);
    // Applied already, by this version's run or a later one: a stale update is dropped.
    if (first.applied >= payload.version) return;
    // Never sent (a channel no connected platform reaches): nothing to update.
    if (first.platform === NOWHERE) return;
    // Not landed yet: the notice's own job is still on its way.
    if (!first.platform) throw new RetryLaterError(`message "${payload.key}" not sent yet`, 2_000);
    if (!(await leaseSentMessage(db, payload.key, deps.clock(), LEASE_MS))) throw new RetryLaterError(`message "${payload.key}" is being updated`, 500);
    try {
      const row = (await findSentMessage(db, payload.key))!;
      if (row.applied >= row.wanted || !row.content) return;
      const directory = deps.directory();
      // A channel's message (the feed, a department's card) reads in the org's language; a DM in its reader's.
      const inChannel = row.personId.startsWith(CHANNEL_PERSON_PREFIX);
      const person = inChannel ? undefined : directory.person(row.personId);
      if (!inChannel && !person) throw new PermanentJobError(`person "${row.personId}" is no longer in the org file`);
      const content = ZContentSchema.parse(JSON.parse(row.content));
      const channel = 'channel' in content ? content.channel : undefined;
      const reply = 'reply' in content ? content.reply : renderNotice(directory, person ? directory.localeOf(person) : directory.org.locale, content.notice);
      const sender = deps.senders().find((s) => s.platform === row.platform);
      if (!sender?.updateMessage) throw new PermanentJobError(`no ${row.platform} sender can update messages`);
      const place = { platform: row.platform as 'slack' | 'lark' | 'shell', channel: row.channel, ref: row.ref };
      if ((await sender.updateMessage(place, reply)) === 'gone' && (channel || person)) {
        // Deleted, too old, archived: a new message with the state, not an endless retry.
        const at = deps.clock();
        const context = {
          idempotencyKey: `${payload.key}:v${row.wanted}`,
          attempt: 1,
          onSent: (p: MessagePlace) => recordSentMessage(db, { ...p, key: payload.key, personId: row.personId, at, version: row.wanted }),
        };
        if (channel) await sender.sendToChannel?.(channel.id, reply, context);
        else await sender.sendToPerson(person!, reply, context);
      }
      await markMessageApplied(db, payload.key, row.wanted, deps.clock());
    } finally {
      await releaseSentMessage(db, payload.key);
    }
  },
});
