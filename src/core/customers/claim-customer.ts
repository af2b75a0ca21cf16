// Use case: a person claims a company. First registration wins (the database's unique
// keys decide a race); a known company is refused naming its owner; a close name asks
// "did you mean …?" unless the person confirms it is a different company; a pool
// customer is taken back unless the cool-down or the cap says no.
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { NoticeJob } from '../notices.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import { checkCreditCode } from './credit-code.ts';
import type { Customer, CustomerStore } from './customer.ts';
import { classifyCandidates, type Scored } from './identity.ts';
import { cleanCompanyName, normaliseCompanyName, type NormalisedName } from './normalise-name.ts';
import { cooldownEndsAt, releaseDueAt } from './pool-rules.ts';
import { hashes, probePatterns } from './similarity.ts';

export type ClaimOutcome =
  | { kind: 'claimed'; customer: Customer; nearDuplicateOf?: Customer }
  | { kind: 'fromPool'; customer: Customer }
  | { kind: 'yoursAlready'; customer: Customer }
  | { kind: 'taken'; customer: Customer }
  | { kind: 'near'; candidates: Scored<Customer>[] }
  | { kind: 'cooldown'; customer: Customer; until: Date }
  | { kind: 'cap'; held: number; max: number };

export interface ClaimInput {
  name: string;
  creditCode?: string;
  city?: string;
  contact?: string;
  /** The person confirmed it is a different company from this near-duplicate. */
  differentFrom?: string;
}

export async function claimCustomer(options: {
  store: CustomerStore;
  directory: OrgDirectory;
  claimant: Person;
  input: ClaimInput;
  now: Date;
}): Promise<ClaimOutcome> {
  const { store, directory, claimant, input, now } = options;
  const rules = directory.org.pool;
  const normalised = normaliseCompanyName(input.name);
  if (normalised.key === '') throw new AppError('INVALID_INPUT', 'name normalises to nothing', { reason: 'nameEmpty' });
  let creditCode: string | undefined;
  if (input.creditCode) {
    const checked = checkCreditCode(input.creditCode);
    if (!checked.ok) throw new AppError('INVALID_INPUT', `credit code: ${checked.problem}`, { reason: `creditCode.${checked.problem}` });
    creditCode = checked.code;
  }

  const decide = async (s: CustomerStore): Promise<Decision> => {
    const exact = await s.findByKeyOrCode(normalised.key, creditCode);
    if (exact) return { kind: 'existing', existing: exact };
    const { same, near } = classifyCandidates(normalised, await s.identityCandidates(probeOf(normalised)), (c) => c.names);
    if (same.length) return { kind: 'existing', existing: firstRegistered(same)! };
    const held = await s.countHeld(claimant.id);
    if (held >= rules.maxHeld) return { kind: 'cap', held, max: rules.maxHeld };
    if (!input.differentFrom) return near.length ? { kind: 'near', candidates: near } : { kind: 'new' };
    const nearDuplicateOf = near.find((c) => c.item.id === input.differentFrom)?.item ?? (await s.findById(input.differentFrom));
    return { kind: 'new', nearDuplicateOf };
  };

  // A first look without the lock answers most claims (taken, close, capped); a new name
  // is decided again, and inserted, under it: near spellings claimed at the same moment
  // end as they would one after another.
  const first = await decide(store);
  const decided =
    first.kind !== 'new'
      ? first
      : await store.withClaimLock(async (s): Promise<Decision | { kind: 'claimed'; customer: Customer; nearDuplicateOf?: Customer }> => {
          const again = await decide(s);
          if (again.kind !== 'new') return again;
          const result = await insert(s, again.nearDuplicateOf);
          return result.ok ? { kind: 'claimed', customer: result.customer, nearDuplicateOf: again.nearDuplicateOf } : { kind: 'existing', existing: result.existing };
        });
  if (decided.kind === 'existing') return claimExisting(store, rules, claimant, decided.existing, now);
  if (decided.kind === 'new') throw new Error('unreachable: a new name is inserted under the lock');
  return decided;

  async function insert(s: CustomerStore, nearDuplicateOf: Customer | undefined) {
    const id = randomUUID();
    const name = cleanCompanyName(input.name);
    const notices: NoticeJob[] = [];
    const manager = directory.manager(claimant);
    if (nearDuplicateOf && manager) {
      notices.push({
        personId: manager.id,
        notice: { type: 'customer.nearDuplicateClaimed', customerId: id, customerName: name, similarTo: nearDuplicateOf.name, byPersonId: claimant.id },
        idempotencyKey: `near-duplicate:${normalised.key}:${claimant.id}`,
        runAt: now,
      });
    }
    return s.insertClaimed(
      {
        id,
        name,
        nameKey: normalised.key,
        pinyin: normalised.pinyin,
        initials: normalised.initials,
        creditCode,
        city: input.city,
        contact: input.contact,
        ownerId: claimant.id,
        at: now,
        releaseAt: releaseDueAt(rules, 0, now),
        nearDuplicateOfId: nearDuplicateOf?.id,
      },
      { kind: nearDuplicateOf ? 'near_duplicate_claim' : 'claim', toPersonId: claimant.id, byPersonId: claimant.id, at: now, reason: nearDuplicateOf ? `different from ${nearDuplicateOf.name}` : undefined },
      notices,
    );
  }
}

type Decision =
  | { kind: 'existing'; existing: Customer }
  | { kind: 'cap'; held: number; max: number }
  | { kind: 'near'; candidates: Scored<Customer>[] }
  | { kind: 'new'; nearDuplicateOf?: Customer };

/** What a normalised name looks up in the name index. */
export function probeOf(n: NormalisedName) {
  return { core: n.core, hashes: hashes(probePatterns(n.core, n.pinyin)), latin: /^[a-z0-9]+$/.test(n.core) ? n.core : undefined };
}

/**
 * The customer that is this company: the same key, alias or credit code, or the same core
 * in the same or a containing region (广东省 ⊇ 深圳); the first registered when several are.
 */
export async function findSame(store: CustomerStore, n: NormalisedName, creditCode?: string): Promise<Customer | undefined> {
  const exact = await store.findByKeyOrCode(n.key, creditCode);
  if (exact) return exact;
  return firstRegistered(classifyCandidates(n, await store.identityCandidates(probeOf(n)), (c) => c.names).same);
}

function firstRegistered(customers: Customer[]): Customer | undefined {
  return [...customers].sort((a, b) => (a.claimedAt?.getTime() ?? 0) - (b.claimedAt?.getTime() ?? 0))[0];
}

async function claimExisting(
  store: CustomerStore,
  rules: OrgDirectory['org']['pool'],
  claimant: Person,
  existing: Customer,
  now: Date,
): Promise<ClaimOutcome> {
  if (existing.ownerId === claimant.id) return { kind: 'yoursAlready', customer: existing };
  if (existing.ownerId) return { kind: 'taken', customer: existing };
  const releasedByMe = await store.lastReleasedBy(existing.id, claimant.id);
  if (releasedByMe) {
    const until = cooldownEndsAt(rules, releasedByMe);
    if (until > now) return { kind: 'cooldown', customer: existing, until };
  }
  const held = await store.countHeld(claimant.id);
  if (held >= rules.maxHeld) return { kind: 'cap', held, max: rules.maxHeld };
  if (await store.takeFromPool(existing.id, claimant.id, now, releaseDueAt(rules, existing.stage, now), [])) {
    return { kind: 'fromPool', customer: (await store.findById(existing.id))! };
  }
  // Someone took it from the pool first.
  const current = (await store.findById(existing.id)) ?? existing;
  return current.ownerId === claimant.id ? { kind: 'yoursAlready', customer: current } : { kind: 'taken', customer: current };
}
