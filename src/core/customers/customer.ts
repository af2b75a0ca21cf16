// Customers as the core sees them, and the store the use cases need. The store is
// implemented by db/repositories/customer.repository.ts; each of its writes is one
// transaction that also writes the notices it is given (outbox).
import type { NoticeJob } from '../notices.ts';
import type { Stage } from './funnel.ts';

export interface Customer {
  id: string;
  name: string;
  nameKey: string;
  /** Pinyin of the key (the key itself for Latin names). */
  pinyin: string;
  creditCode?: string;
  city?: string;
  contact?: string;
  ownerId?: string;
  stage: Stage;
  lost: boolean;
  claimedAt?: Date;
  lastTouchAt: Date;
  lastFollowUpAt?: Date;
  releaseAt?: Date;
  extendedUntil?: Date;
  releasedAt?: Date;
  previousOwnerId?: string;
  nearDuplicateOfId?: string;
}

export type OwnershipKind =
  | 'claim'
  | 'near_duplicate_claim'
  | 'pool_claim'
  | 'release'
  | 'auto_release'
  | 'lost'
  | 'keep'
  | 'transfer'
  | 'import';

export interface OwnershipEvent {
  kind: OwnershipKind;
  fromPersonId?: string;
  toPersonId?: string;
  byPersonId?: string;
  reason?: string;
  at: Date;
}

export interface FollowUp {
  personId: string;
  kind: string;
  note: string;
  at: Date;
}

export interface NewCustomer {
  /** Chosen by the caller, so notices written with the claim can name the customer. */
  id: string;
  name: string;
  nameKey: string;
  pinyin: string;
  initials: string;
  creditCode?: string;
  city?: string;
  contact?: string;
  ownerId: string;
  at: Date;
  releaseAt: Date;
  nearDuplicateOfId?: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export type InsertResult = { ok: true; customer: Customer } | { ok: false; existing: Customer };

export interface CustomerStore {
  findById(id: string): Promise<Customer | undefined>;
  findByKeyOrCode(nameKey: string, creditCode?: string): Promise<Customer | undefined>;
  /** Customers whose key may be close to `nameKey`, found through indexes only (unscored). */
  nearDuplicateCandidates(nameKey: string): Promise<Customer[]>;
  /** By exact key, key prefix, pinyin or initials (prefix), for `who`. */
  search(q: { nameKey: string; latin?: string }, limit: number): Promise<Customer[]>;
  /** Customers held that count toward the cap (not 100%, not lost). */
  countHeld(ownerId: string): Promise<number>;
  /** Inserts a claimed customer; the unique constraints decide a race. */
  insertClaimed(c: NewCustomer, event: OwnershipEvent, notices: NoticeJob[]): Promise<InsertResult>;
  /** Takes a pool customer if it is still in the pool; false when someone was first. */
  takeFromPool(id: string, ownerId: string, at: Date, releaseAt: Date, notices: NoticeJob[]): Promise<boolean>;
  /** Moves the stage if the owner is still `ownerId` and the stage still `from`. */
  changeStage(change: {
    id: string;
    ownerId: string;
    from: Stage;
    to: Stage | 'lost';
    evidence: Record<string, unknown>;
    byPersonId: string;
    at: Date;
    releaseAt?: Date;
  }): Promise<boolean>;
  addFollowUp(f: { customerId: string; personId: string; kind: string; note: string; at: Date; releaseAt?: Date }, notices: NoticeJob[]): Promise<void>;
  /** Returns to the pool if the owner is still `ownerId`. */
  release(r: { id: string; ownerId: string; kind: 'release' | 'auto_release'; byPersonId?: string; reason?: string; at: Date }, notices: NoticeJob[]): Promise<boolean>;
  listByOwner(ownerId: string, page: { offset: number; limit: number }): Promise<Page<Customer>>;
  listPool(page: { offset: number; limit: number }): Promise<Page<Customer>>;
  history(id: string): Promise<OwnershipEvent[]>;
  recentFollowUps(id: string, limit: number): Promise<FollowUp[]>;
  /** When this person last let this customer go (for the re-claim cool-down). */
  lastReleasedBy(id: string, personId: string): Promise<Date | undefined>;

  // Arbitration (contest-customer.ts, decide-contest.ts).
  /** Opens a contest unless this challenger has one open on this customer: then that one, created false. */
  openContest(c: NewContest, notices: NoticeJob[]): Promise<{ contest: Contest; created: boolean }>;
  findContest(id: string): Promise<Contest | undefined>;
  /**
   * Decides an open contest in one transaction: status, the owner change on transfer (only
   * if the owner is still the one contested), the ownership event and the notices.
   */
  decideContest(d: ContestDecision, notices: NoticeJob[]): Promise<'decided' | 'alreadyDecided' | 'ownerChanged'>;

  // The pool sweep (sweep-pool.ts) and extensions (request-extension.ts, decide-extension.ts).
  /** Owned customers with releaseAt <= `horizon`, by (releaseAt, id) after `after`: an index range. */
  dueForPool(horizon: Date, after: { releaseAt: Date; id: string } | undefined, limit: number): Promise<Customer[]>;
  /** Queues notices on their own; returns how many were new (an idempotency key seen before is dropped). */
  notify(notices: NoticeJob[]): Promise<number>;
  /** Returns to the pool if the owner is still `ownerId` and the release time has still come. */
  autoRelease(r: { id: string; ownerId: string; at: Date }, notices: NoticeJob[]): Promise<boolean>;
  /** One request per customer and release date: a second press finds the first, created false. */
  openExtension(r: NewExtensionRequest, notices: NoticeJob[]): Promise<{ request: ExtensionRequest; created: boolean }>;
  findExtension(id: string): Promise<ExtensionRequest | undefined>;
  /** Decides an open request; approval moves releaseAt only if the owner and releaseAt are still those asked about. */
  decideExtension(d: { id: string; approve: boolean; byPersonId: string; at: Date; newReleaseAt: Date }, notices: NoticeJob[]): Promise<'decided' | 'alreadyDecided' | 'changed'>;
}

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
