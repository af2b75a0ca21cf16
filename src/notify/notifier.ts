// Messages that must reach a person later go through the job queue: enqueueNotification
// writes a 'notify.person' job in the caller's transaction, and the job handler below
// delivers it over the first platform that can reach the person.
import type { Person, OrgDirectory } from '../core/org/org.ts';
import { renderNotice } from '../chat/notices.ts';
import type { Reply } from '../chat/reply.ts';
import type { Notice } from '../core/notices.ts';
import type { Tx } from '../db/client.ts';
import { PermanentJobError } from '../jobs/errors.ts';
import { enqueueJob } from '../jobs/job.repository.ts';
import { NOTIFY_PERSON } from './notice-job.ts';

export { NOTIFY_PERSON };

/** A pre-rendered reply, or a core notice rendered in the recipient's language on delivery. */
export type NotifyPersonPayload = { personId: string; reply: Reply } | { personId: string; notice: Notice };

export interface ChatSender {
  platform: 'slack' | 'lark' | 'shell';
  /** Sends; resolves false when the person has no account on this platform. */
  sendToPerson(person: Person, reply: Reply, idempotencyKey: string): Promise<boolean>;
}

export async function enqueueNotification(
  tx: Tx,
  n: { personId: string; reply: Reply; idempotencyKey: string; runAt: Date },
): Promise<boolean> {
  const payload: NotifyPersonPayload = { personId: n.personId, reply: n.reply };
  return enqueueJob(tx, { kind: NOTIFY_PERSON, payload, runAt: n.runAt, idempotencyKey: n.idempotencyKey });
}

export function notifyPersonHandler(deps: { senders: () => ChatSender[]; directory: () => OrgDirectory }) {
  return async (raw: unknown, job: { idempotencyKey: string }): Promise<void> => {
    const payload = raw as NotifyPersonPayload;
    const person = deps.directory().person(payload.personId);
    // Someone removed from the org file since: nobody to tell; not worth retrying.
    if (!person) throw new PermanentJobError(`person "${payload.personId}" is no longer in the org file`);
    const directory = deps.directory();
    const reply = 'reply' in payload ? payload.reply : renderNotice(directory, directory.localeOf(person), payload.notice);
    for (const sender of deps.senders()) {
      if (await sender.sendToPerson(person, reply, job.idempotencyKey)) return;
    }
    throw new Error(`no chat account found for ${person.id} on ${deps.senders().map((s) => s.platform).join(', ') || 'any platform'}`);
  };
}
