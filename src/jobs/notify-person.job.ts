// Messages that must reach a person later go through the job queue as `notify.person` jobs:
// a core notice (written by the repositories' outbox, db/repositories/outbox.ts) rendered in
// the recipient's language on delivery, or a reply rendered already (enqueueNotification).
// The handler delivers it over the first platform that can reach the person.
import { z } from 'zod';
import { renderNotice } from '../chat/notices.ts';
import type { Reply } from '../chat/reply.ts';
import { ZNoticeSchema } from '../core/notices.ts';
import type { OrgDirectory } from '../core/org/org.ts';
import type { Tx } from '../db/client.ts';
import type { Database } from '../db/client.ts';
import { NOTIFY_PERSON } from '../db/repositories/outbox.ts';
import { findSentMessage, NOWHERE, recordSentMessage } from '../db/repositories/sent-message.repository.ts';
import type { ChatSender, MessagePlace } from '../notify/notifier.ts';
import { PermanentJobError } from './errors.ts';
import { defineJob, enqueue } from './job-definition.ts';

/** A Reply built by our own code: its shape is the renderers' business, the summary is what must be there. */
const ZReplySchema = z.custom<Reply>((v) => typeof v === 'object' && v !== null && typeof (v as { summary?: unknown }).summary === 'string' && Array.isArray((v as { blocks?: unknown }).blocks), {
  message: 'not a reply (a summary and blocks)',
});

const personId = z.string().min(1);

export const ZNotifyPersonPayloadSchema = z.union([z.object({ personId, reply: ZReplySchema }), z.object({ personId, notice: ZNoticeSchema, thread: z.string().min(1).optional() })]);
export type TNotifyPersonPayload = z.infer<typeof ZNotifyPersonPayloadSchema>;

export const notifyPersonJob = defineJob({
  kind: NOTIFY_PERSON,
  schema: ZNotifyPersonPayloadSchema,
  // createdAt is optional: the worker's JobContext does not carry it (yet); with it Slack
  // reads less history before a resend.
  async handler(payload, job: { idempotencyKey: string; attempts: number; createdAt?: Date }, deps: { senders: () => ChatSender[]; directory: () => OrgDirectory; db?: Database; clock?: () => Date }) {
    const directory = deps.directory();
    const person = directory.person(payload.personId);
    // Someone removed from the org file since: nobody to tell; not worth retrying.
    if (!person) throw new PermanentJobError(`person "${payload.personId}" is no longer in the org file`);
    const reply = 'reply' in payload ? payload.reply : renderNotice(directory, directory.localeOf(person), payload.notice);
    // Where it landed, so that a later event can update it in place (message-update.job.ts).
    const db = deps.db;
    const onSent = db ? (place: MessagePlace) => recordSentMessage(db, { ...place, key: job.idempotencyKey, personId: person.id, at: deps.clock?.() ?? new Date() }) : undefined;
    // A reply in a thread: under the message sent under that key, where it landed (else a plain message).
    const thread = 'thread' in payload && payload.thread && db ? await threadOf(db, payload.thread) : undefined;
    for (const sender of deps.senders()) {
      const here = thread?.platform === sender.platform ? thread : undefined;
      if (await sender.sendToPerson(person, reply, { idempotencyKey: job.idempotencyKey, attempt: job.attempts, since: job.createdAt, onSent, ...(here ? { thread: here } : {}) })) return;
    }
    throw new Error(`no chat account found for ${person.id} on ${deps.senders().map((s) => s.platform).join(', ') || 'any platform'}`);
  },
});

/** Where the message sent under `key` landed, for a reply in its thread; undefined when it landed nowhere (or was never sent). */
export async function threadOf(db: Database, key: string): Promise<MessagePlace | undefined> {
  const under = await findSentMessage(db, key);
  return under?.platform && under.platform !== NOWHERE ? { platform: under.platform as MessagePlace['platform'], channel: under.channel, ref: under.ref } : undefined;
}

/** Queues a reply rendered already for one person, in `tx` (the transaction of what causes it). */
export function enqueueNotification(tx: Tx, n: { personId: string; reply: Reply; idempotencyKey: string; runAt: Date }): Promise<boolean> {
  return enqueue(tx, notifyPersonJob, { payload: { personId: n.personId, reply: n.reply }, runAt: n.runAt, idempotencyKey: n.idempotencyKey });
}
