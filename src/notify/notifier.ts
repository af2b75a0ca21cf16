// Messages that must reach a person later go through the job queue: enqueueNotification
// writes a 'notify.person' job in the caller's transaction, and the job handler below
// delivers it over the first platform that can reach the person.
import type { Person, OrgDirectory } from '../core/org/org.ts';
import { renderNotice } from '../chat/notices.ts';
import type { Reply } from '../chat/reply.ts';
import type { Notice } from '../core/notices.ts';
import type { Tx } from '../db/client.ts';
import { PermanentJobError } from '../jobs/errors.ts';
import { enqueueJob } from '../db/repositories/job.repository.ts';
import type { JobContext } from '../jobs/worker.ts';
import { NOTIFY_PERSON } from '../db/repositories/outbox.ts';

export { NOTIFY_PERSON };

/** A pre-rendered reply, or a core notice rendered in the recipient's language on delivery. */
export type NotifyPersonPayload = { personId: string; reply: Reply } | { personId: string; notice: Notice };

/** What a sender is told about the delivery, beyond whom and what. */
export interface SendContext {
  /**
   * The job's key, the same on every run of it: where a platform dedupes (Lark's `uuid`)
   * it goes there, and a Slack message carries it in its metadata.
   */
  idempotencyKey: string;
  /**
   * 1 on the job's first run. Above 1 an earlier run may have reached the platform without
   * learning so (the process died during the call, the answer was lost, the call timed
   * out): a sender that can look first should.
   */
  attempt: number;
  /** When the job was enqueued, when known: no earlier message can be this delivery. */
  since?: Date;
}

export interface ChatSender {
  platform: 'slack' | 'lark' | 'shell';
  /**
   * Sends; resolves false when the person has no account on this platform. Throws
   * RetryLaterError when throttled, PermanentJobError when the platform refuses for good.
   */
  sendToPerson(person: Person, reply: Reply, context: SendContext): Promise<boolean>;
}

export async function enqueueNotification(
  tx: Tx,
  n: { personId: string; reply: Reply; idempotencyKey: string; runAt: Date },
): Promise<boolean> {
  const payload: NotifyPersonPayload = { personId: n.personId, reply: n.reply };
  return enqueueJob(tx, { kind: NOTIFY_PERSON, payload, runAt: n.runAt, idempotencyKey: n.idempotencyKey });
}

export function notifyPersonHandler(deps: { senders: () => ChatSender[]; directory: () => OrgDirectory }) {
  // createdAt is optional: the worker's JobContext does not carry it (yet); with it Slack
  // reads less history before a resend.
  return async (raw: unknown, job: Pick<JobContext, 'idempotencyKey' | 'attempts'> & { createdAt?: Date }): Promise<void> => {
    const payload = raw as NotifyPersonPayload;
    const person = deps.directory().person(payload.personId);
    // Someone removed from the org file since: nobody to tell; not worth retrying.
    if (!person) throw new PermanentJobError(`person "${payload.personId}" is no longer in the org file`);
    const directory = deps.directory();
    const reply = 'reply' in payload ? payload.reply : renderNotice(directory, directory.localeOf(person), payload.notice);
    for (const sender of deps.senders()) {
      if (await sender.sendToPerson(person, reply, { idempotencyKey: job.idempotencyKey, attempt: job.attempts, since: job.createdAt })) return;
    }
    throw new Error(`no chat account found for ${person.id} on ${deps.senders().map((s) => s.platform).join(', ') || 'any platform'}`);
  };
}
