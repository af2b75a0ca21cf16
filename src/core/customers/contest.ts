// Claim contests as the core sees them, and the store the arbitration use cases need
// (contest-customer.ts, decide-contest.ts), implemented by db/repositories/contest.repository.ts.
import type { NoticeJob } from '../notices.ts';
import type { DecideOutcome } from './customer.ts';

/** void: withdrawn because the customer changed hands before a decision. */
export type ContestStatus = 'open' | 'kept' | 'transferred' | 'void';

export interface Contest {
  id: string;
  customerId: string;
  challengerId: string;
  ownerId: string;
  arbiterId: string;
  status: ContestStatus;
  reason?: string;
  decidedById?: string;
  createdAt: Date;
  decidedAt?: Date;
}

export type NewContest = Pick<Contest, 'id' | 'customerId' | 'challengerId' | 'ownerId' | 'arbiterId' | 'createdAt'>;

export interface ContestDecision {
  id: string;
  decision: 'kept' | 'transferred';
  reason?: string;
  byPersonId: string;
  at: Date;
  /** The challenger's protection from the pool after a transfer. */
  releaseAt?: Date;
}

export interface ContestStore {
  /** Opens a contest unless this challenger has one open on this customer: then that one, created false. */
  open(c: NewContest, notices: NoticeJob[]): Promise<{ contest: Contest; created: boolean }>;
  find(id: string): Promise<Contest | undefined>;
  /**
   * Decides an open contest in one transaction: status, the owner change on transfer (only
   * if the owner is still the one contested), the ownership event and the notices.
   */
  decide(d: ContestDecision, notices: NoticeJob[]): Promise<DecideOutcome>;
}
