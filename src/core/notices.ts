// What the core wants a person to be told later, as data: the chat layer renders each
// notice in the recipient's language when it is delivered (chat/notices.ts). Written to
// the job queue in the same transaction as the change that causes it (db/repositories/outbox.ts).
// Each capability declares its notice types beside its rules (core/<capability>/*.notices.ts)
// and adds them here with one line.
import { z } from 'zod';
import { CUSTOMER_NOTICE_SCHEMAS } from './customers/customer.notices.ts';
import { VISITOR_NOTICE_SCHEMAS } from './visitors/visitor.notices.ts';
import { HANDOVER_NOTICE_SCHEMAS } from './handovers/handover.notices.ts';
import { REQUEST_NOTICE_SCHEMAS } from './requests/request.notices.ts';

export const ZNoticeSchema = z.discriminatedUnion('type', [
  ...CUSTOMER_NOTICE_SCHEMAS,
  ...VISITOR_NOTICE_SCHEMAS,
  ...HANDOVER_NOTICE_SCHEMAS,
  ...REQUEST_NOTICE_SCHEMAS,
]);

export type Notice = z.infer<typeof ZNoticeSchema>;
export type NoticeType = Notice['type'];
export type NoticeOf<T extends NoticeType> = Extract<Notice, { type: T }>;

export interface NoticeJob {
  personId: string;
  notice: Notice;
  /** Names the fact, so a retry or a second replica enqueues it once. */
  idempotencyKey: string;
  runAt: Date;
  /**
   * The key of a notice sent earlier to the same person: this one replaces that message in
   * place (its buttons too) instead of arriving as a new one; dropped when no message was
   * sent under that key (nor is on its way).
   */
  replaces?: string;
  /**
   * The key of a notice sent earlier to the same person: this one is a reply in that
   * message's thread (a comment on a request), or a plain message when it never landed.
   */
  thread?: string;
}

/**
 * A notice for a chat channel, not a person (the front desk's feed of arrivals): rendered in
 * the org's language, sent to that channel on that platform, updated in place like a DM.
 */
export interface ChannelNoticeJob {
  channel: ChannelPlace;
  notice: Notice;
  idempotencyKey: string;
  runAt: Date;
  replaces?: string;
}

/** A channel of the org file (a department's `channel:`), on one platform. */
export interface ChannelPlace {
  platform: 'slack' | 'lark';
  id: string;
}

/** What a change asks the outbox to deliver: to a person, or to a channel. */
export type OutboxEntry = NoticeJob | ChannelNoticeJob;

/** Queues notices on their own, not with a change (the pool sweep's warnings). */
export interface NoticeOutbox {
  /** Returns how many were new (an idempotency key seen before is dropped). */
  notify(notices: readonly NoticeJob[]): Promise<number>;
}

/** A notice that may not apply (an update of a message that may not exist), as a list to spread. */
export const optional = (n: NoticeJob | undefined): NoticeJob[] => (n ? [n] : []);
