// The port a platform implements to deliver a queued message to one person (Slack, Lark,
// the shell). The job that uses it is jobs/notify-person.job.ts.
import type { Person } from '../core/org/org.ts';
import type { Reply } from '../chat/reply.ts';

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
  /** A reply in the thread of this earlier message (on its platform), not a new conversation line. */
  thread?: MessagePlace;
  /** Told where the message landed, so that a later event can update it in place. */
  onSent?: (place: MessagePlace) => Promise<void>;
}

/** Where a sent message is: Slack channel + ts, Lark message_id, the shell's number. */
export interface MessagePlace {
  platform: 'slack' | 'lark' | 'shell';
  channel: string;
  ref: string;
}

export interface ChatSender {
  platform: 'slack' | 'lark' | 'shell';
  /**
   * Sends; resolves false when the person has no account on this platform. Throws
   * RetryLaterError when throttled, PermanentJobError when the platform refuses for good.
   */
  sendToPerson(person: Person, reply: Reply, context: SendContext): Promise<boolean>;
  /**
   * Posts into a channel of the org file (Slack channel id, Lark chat_id), once for the
   * context's key, like sendToPerson; false when it cannot reach it. The shell prints a
   * department's card (someone at the terminal presses its buttons).
   */
  sendToChannel?(channelId: string, reply: Reply, context: SendContext): Promise<boolean>;
  /**
   * Changes a message it sent to show `reply` (its buttons too). 'gone' when the message can
   * no longer be updated (deleted, too old, channel archived): the caller sends a new one.
   * Throws like sendToPerson for anything worth retrying.
   */
  updateMessage?(place: MessagePlace, reply: Reply): Promise<'updated' | 'gone'>;
}
