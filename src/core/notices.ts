// What the core wants a person to be told later, as data: the chat layer renders each
// notice in the recipient's language when it is delivered (chat/notices.ts). Written to
// the job queue in the same transaction as the change that causes it.
export type Notice =
  | { type: 'customer.followUpLogged'; customerId: string; customerName: string; byPersonId: string; kind: string; note: string }
  | { type: 'customer.nearDuplicateClaimed'; customerId: string; customerName: string; similarTo: string; byPersonId: string }
  | {
      type: 'customer.contested';
      contestId: string;
      customerId: string;
      customerName: string;
      ownerId: string;
      challengerId: string;
      /** The evidence as it stood when the contest was made (ISO times). */
      ownerSince?: string;
      contestedAt: string;
      stage: number;
      history: { kind: string; fromPersonId?: string; toPersonId?: string; byPersonId?: string; reason?: string; at: string }[];
      followUps: { personId: string; kind: string; note: string; at: string }[];
    }
  | {
      type: 'customer.contestDecided';
      customerId: string;
      customerName: string;
      decision: 'kept' | 'transferred';
      /** The owner after the decision. */
      ownerId: string;
      challengerId: string;
      byPersonId: string;
      reason?: string;
    }
  | { type: 'customer.releaseWarning'; customerId: string; customerName: string; releaseAt: string }
  | { type: 'customer.extensionRequested'; requestId: string; customerId: string; customerName: string; ownerId: string; releaseAt: string; until: string }
  | { type: 'customer.extensionDecided'; customerId: string; customerName: string; approved: boolean; byPersonId: string; releaseAt: string }
  | { type: 'customer.released'; customerId: string; customerName: string; reason: 'no_follow_up' | 'lost' | 'manual' };

export interface NoticeJob {
  personId: string;
  notice: Notice;
  /** Names the fact, so a retry or a second replica enqueues it once. */
  idempotencyKey: string;
  runAt: Date;
}
