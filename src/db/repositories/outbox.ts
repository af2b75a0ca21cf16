// The outbox: what the core asks to tell people later (NoticeJob, core/notices.ts) becomes
// a `notify.person` job written in the caller's transaction, so that the change and its
// notices persist together or not at all. The job's handler is jobs/notify-person.job.ts; a
// notice that replaces an earlier message becomes an update in place (message-update.job.ts).
import type { NoticeOutbox, OutboxEntry } from '../../core/notices.ts';
import type { Database, Tx } from '../client.ts';
import { enqueueJob } from './job.repository.ts';
import { channelPersonId, requestMessageUpdate } from './sent-message.repository.ts';

/** The job kind that carries a message to one person. */
export const NOTIFY_PERSON = 'notify.person';
/** The job kind that carries a message to a chat channel: the front desk's feed, a department's card (notify-channel.job.ts). */
export const NOTIFY_CHANNEL = 'notify.channel';

/** Writes each notice as a job in `tx`; returns how many were new (a key seen before is dropped). */
export async function writeNotices(tx: Tx, notices: readonly OutboxEntry[]): Promise<number> {
  let added = 0;
  for (const n of notices) {
    // A channel's message has no person: its row names none, its content names the channel.
    const to =
      'channel' in n
        ? { personId: channelPersonId(n.channel), kind: NOTIFY_CHANNEL, payload: { channel: n.channel, notice: n.notice } }
        : { personId: n.personId, kind: NOTIFY_PERSON, payload: { personId: n.personId, notice: n.notice, ...(n.thread ? { thread: n.thread } : {}) } };
    // An update in place of the message sent under n.replaces (sent-message.repository.ts),
    // when there is one: a warning never sent (the sweep had not reached it) has nothing to change.
    if (n.replaces) {
      if (!(await messageKnown(tx, n.replaces))) continue;
      await requestMessageUpdate(tx, { key: n.replaces, personId: to.personId, content: 'channel' in n ? { notice: n.notice, channel: n.channel } : { notice: n.notice }, at: n.runAt });
      added++;
      continue;
    }
    if (await enqueueJob(tx, { kind: to.kind, payload: to.payload, runAt: n.runAt, idempotencyKey: n.idempotencyKey })) added++;
  }
  return added;
}

/** A message was sent under `key`, or its notice is still on its way (the update then waits for it). */
async function messageKnown(tx: Tx, key: string): Promise<boolean> {
  if (await tx.sentMessage.findUnique({ where: { key }, select: { key: true } })) return true;
  const job = await tx.job.findUnique({ where: { idempotencyKey: key }, select: { status: true } });
  return job?.status === 'pending' || job?.status === 'running';
}

/** The core's NoticeOutbox: notices queued in a transaction of their own. */
export function createNoticeOutbox(db: Database): NoticeOutbox {
  return { notify: async (notices) => (notices.length ? db.prisma.$transaction((tx) => writeNotices(tx, notices)) : 0) };
}
