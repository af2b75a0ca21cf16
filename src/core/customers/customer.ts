// Customers as the core sees them — with their ownership history and follow-ups — and the
// store the use cases need. The store is implemented by db/repositories/customer.repository.ts;
// each of its writes is one transaction that also writes the notices it is given (outbox).
// Contests (contest.ts) and extension requests (extension.ts) are aggregates of their own.
import type { NoticeJob } from '../notices.ts';
import type { Stage } from './funnel.ts';
import type { NameIdentity } from './identity.ts';

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
  | 'import'
  | 'handover';

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

/** A customer found as a possible duplicate, with every name it is known by (its key, its aliases). */
export interface Candidate extends Customer {
  names: NameIdentity[];
}

/** What a claimed name looks up in the name index (similarity.ts). */
export interface IdentityProbe {
  core: string;
  /** Hashes of probePatterns(core, pinyin). */
  hashes: number[];
  /** A Latin core, also compared with Chinese names' pinyin. */
  latin?: string;
}

export interface NewAlias {
  customerId: string;
  key: string;
  name: string;
  pinyin: string;
  byPersonId?: string;
  at: Date;
}

export type AliasResult = { ok: true } | { ok: false; holder: Customer };

export interface Page<T> {
  items: T[];
  total: number;
}

export type InsertResult = { ok: true; customer: Customer } | { ok: false; existing: Customer };

export interface CustomerStore {
  findById(id: string): Promise<Customer | undefined>;
  /** The customer with this key (its own or an alias) or this credit code. */
  findByKeyOrCode(nameKey: string, creditCode?: string): Promise<Customer | undefined>;
  /** Customers that may be the same as or close to the probe, found through indexes only (unclassified). */
  identityCandidates(probe: IdentityProbe): Promise<Candidate[]>;
  /**
   * Runs `fn` with the claim lock held, on a store bound to one transaction: claims of
   * new names (and new aliases) are decided one after another, on every replica.
   */
  withClaimLock<T>(fn: (store: CustomerStore) => Promise<T>): Promise<T>;
  /** Adds another name of a customer; refused, naming the holder, when it is another customer's key. */
  addAlias(alias: NewAlias): Promise<AliasResult>;
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

  // The pool sweep (sweep-pool.ts).
  /** Owned customers with releaseAt <= `horizon`, by (releaseAt, id) after `after`: an index range. */
  dueForPool(horizon: Date, after: { releaseAt: Date; id: string } | undefined, limit: number): Promise<Customer[]>;
  /** Returns to the pool if the owner is still `ownerId` and the release time has still come. */
  autoRelease(r: { id: string; ownerId: string; at: Date }, notices: NoticeJob[]): Promise<boolean>;
}

/**
 * How deciding an open request (a contest, an extension) ended: decided now; decided
 * before (a second press, another replica: nothing changed); or withdrawn, because the
 * customer changed hands since the request was made.
 */
export type DecideOutcome = 'decided' | 'alreadyDecided' | 'ownerChanged';
