// The outbox: what the core asks to tell people later (NoticeJob, core/notices.ts) becomes
// a `notify.person` job written in the caller's transaction, so that the change and its
// notices persist together or not at all. The job's handler is jobs/notify-person.job.ts; a
// notice that replaces an earlier message becomes an update in place (message-update.job.ts).
import type { NoticeJob, NoticeOutbox } from '../../core/notices.ts';
import type { Database, Tx } from '../client.ts';
import { enqueueJob } from './job.repository.ts';
import { requestMessageUpdate } from './sent-message.repository.ts';

/** The job kind that carries a message to one person. */
export const NOTIFY_PERSON = 'notify.person';
/** The job kind that posts a card into a department's channel (jobs/notify-channel.job.ts). */
export const NOTIFY_CHANNEL = 'notify.channel';

/** Writes each notice as a job in `tx`; returns how many were new (a key seen before is dropped). */
export async function writeNotices(tx: Tx, notices: readonly NoticeJob[]): Promise<number> {
  let added = 0;
  for (const n of notices) {
    // An update in place of the message sent under n.replaces (sent-message.repository.ts).
    if (n.replaces) {
      await requestMessageUpdate(tx, { key: n.replaces, personId: n.personId, content: { notice: n.notice }, at: n.runAt });
      added++;
      continue;
    }
    if (await enqueueJob(tx, { kind: NOTIFY_PERSON, payload: { personId: n.personId, notice: n.notice, ...(n.thread ? { thread: n.thread } : {}) }, runAt: n.runAt, idempotencyKey: n.idempotencyKey })) added++;
  }
  return added;
}

/** The core's NoticeOutbox: notices queued in a transaction of their own. */
export function createNoticeOutbox(db: Database): NoticeOutbox {
  return { notify: async (notices) => (notices.length ? db.prisma.$transaction((tx) => writeNotices(tx, notices)) : 0) };
}
