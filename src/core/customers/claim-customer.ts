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
import { normaliseCompanyName } from './normalise-name.ts';
import { cooldownEndsAt, releaseDueAt } from './pool-rules.ts';
import { rankNearDuplicates, type Scored } from './similarity.ts';

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

  const existing = await store.findByKeyOrCode(normalised.key, creditCode);
  if (existing) return claimExisting(store, rules, claimant, existing, now);

  const held = await store.countHeld(claimant.id);
  if (held >= rules.maxHeld) return { kind: 'cap', held, max: rules.maxHeld };

  let nearDuplicateOf: Customer | undefined;
  const candidates = rankNearDuplicates(normalised.key, await store.nearDuplicateCandidates(normalised.key));
  if (input.differentFrom) nearDuplicateOf = candidates.find((c) => c.item.id === input.differentFrom)?.item ?? (await store.findById(input.differentFrom));
  else if (candidates.length) return { kind: 'near', candidates };

  const id = randomUUID();
  const notices: NoticeJob[] = [];
  const manager = directory.manager(claimant);
  if (nearDuplicateOf && manager) {
    notices.push({
      personId: manager.id,
      notice: { type: 'customer.nearDuplicateClaimed', customerId: id, customerName: input.name.trim(), similarTo: nearDuplicateOf.name, byPersonId: claimant.id },
      idempotencyKey: `near-duplicate:${normalised.key}:${claimant.id}`,
      runAt: now,
    });
  }
  const result = await store.insertClaimed(
    {
      id,
      name: input.name.trim(),
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
  if (result.ok) return { kind: 'claimed', customer: result.customer, nearDuplicateOf };
  // Someone committed the same company first: their claim stands.
  return claimExisting(store, rules, claimant, result.existing, now);
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
