// Requests for more time before a customer returns to the pool, and the store the use
// cases need (request-extension.ts, decide-extension.ts), implemented by
// db/repositories/extension-request.repository.ts.
import type { NoticeJob } from '../notices.ts';
import type { DecideOutcome } from './customer.ts';

export interface ExtensionRequest {
  id: string;
  customerId: string;
  ownerId: string;
  approverId: string;
  releaseAt: Date;
  status: 'open' | 'approved' | 'denied' | 'void';
  createdAt: Date;
  decidedAt?: Date;
}

export type NewExtensionRequest = Pick<ExtensionRequest, 'id' | 'customerId' | 'ownerId' | 'approverId' | 'releaseAt' | 'createdAt'>;

export interface ExtensionDecision {
  id: string;
  approve: boolean;
  byPersonId: string;
  at: Date;
  newReleaseAt: Date;
}

export interface ExtensionStore {
  /** One request per customer and release date: a second press finds the first, created false. */
  open(r: NewExtensionRequest, notices: NoticeJob[]): Promise<{ request: ExtensionRequest; created: boolean }>;
  find(id: string): Promise<ExtensionRequest | undefined>;
  /**
   * Decides an open request; approval moves releaseAt only if the owner and releaseAt are
   * still those asked about. Otherwise the request is withdrawn, with the `withdrawn` notices.
   */
  decide(d: ExtensionDecision, notices: NoticeJob[], withdrawn?: NoticeJob[]): Promise<DecideOutcome>;
  /** The requests still waiting for a decision on a customer. */
  openFor(customerId: string): Promise<ExtensionRequest[]>;
}
