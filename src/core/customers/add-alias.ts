// Use case: the owner (or their manager) gives a customer another name — a short name
// (简称: 浦发银行), a former name (曾用名), an English name (Huawei). The alias becomes a key
// of the same customer: a later claim under it is refused as taken and `who` finds it. An
// alias that is already another customer's name is refused, naming that customer; it is
// decided under the claim lock, so an alias and a claim of the same name cannot both win.
// The pure check (checkAlias) is shared with the import's `aliases` column.
import { AppError } from '../errors.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import { assertOwnerOrManager } from './change-stage.ts';
import { findSame } from './claim-customer.ts';
import type { Customer, CustomerStore } from './customer.ts';
import { resolveCustomer } from './find-customer.ts';
import { sameCompanyKeys } from './identity.ts';
import { ALIAS_SEPARATOR } from './import-columns.ts';
import { cleanCompanyName, normaliseCompanyName, type NormalisedName } from './normalise-name.ts';

/** Longest alias kept: the same as a company name. */
export const MAX_ALIAS_LENGTH = 200;

export type AliasProblem = 'empty' | 'onlyFormat' | 'control' | 'separator' | 'tooLong' | 'ownName';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/u;

export type AliasCheck = { ok: true; name: string; normalised: NormalisedName } | { ok: false; problem: AliasProblem };

/**
 * Whether `raw` may be another name of the company whose key is `ownKey`: not empty, not
 * only invisible format characters, no control characters, no `|` (it separates aliases in the import's and the export's column), at most 200 characters, and
 * not the company's own name (the same key, or the same company by the region rules). Pure.
 */
export function checkAlias(raw: string, ownKey: string): AliasCheck {
  if (CONTROL.test(raw)) return { ok: false, problem: 'control' };
  if (raw.includes(ALIAS_SEPARATOR)) return { ok: false, problem: 'separator' };
  const name = cleanCompanyName(raw).replace(/\s+/gu, ' ');
  if (name === '') return { ok: false, problem: raw.trim() === '' ? 'empty' : 'onlyFormat' };
  if ([...name].length > MAX_ALIAS_LENGTH) return { ok: false, problem: 'tooLong' };
  const normalised = normaliseCompanyName(name);
  if (normalised.key === '') return { ok: false, problem: 'empty' };
  if (sameCompanyKeys(normalised.key, ownKey)) return { ok: false, problem: 'ownName' };
  return { ok: true, name, normalised };
}

export interface AddAliasResult {
  customer: Customer;
  /** The alias as stored (format characters removed, spaces collapsed). */
  alias: string;
  /** It was already a name of this customer: nothing new written. */
  already: boolean;
}

export async function addAlias(options: {
  store: CustomerStore;
  directory: OrgDirectory;
  actor: Person;
  /** The customer, as typed. */
  name: string;
  alias: string;
  now: Date;
}): Promise<AddAliasResult> {
  const { store, directory, actor, now } = options;
  const customer = await resolveCustomer({ store, name: options.name });
  assertOwnerOrManager(directory, actor, customer, 'alias');
  const checked = checkAlias(options.alias, customer.nameKey);
  if (!checked.ok) throw new AppError('INVALID_INPUT', `alias: ${checked.problem}`, { reason: `alias.${checked.problem}`, name: customer.name });
  const { name: alias, normalised } = checked;
  const outcome = await store.withClaimLock(async (s): Promise<{ kind: 'added' | 'already' } | { kind: 'taken'; holder: Customer }> => {
    const same = await findSame(s, normalised);
    if (same) return same.id === customer.id ? { kind: 'already' } : { kind: 'taken', holder: same };
    const added = await s.addAlias({ customerId: customer.id, key: normalised.key, name: alias, pinyin: normalised.pinyin, byPersonId: actor.id, at: now });
    return added.ok ? { kind: 'added' } : { kind: 'taken', holder: added.holder };
  });
  if (outcome.kind === 'taken') throw new AppError('CONFLICT', 'alias is another customer', { reason: 'alias.taken', alias, holder: outcome.holder.name });
  return { customer, alias, already: outcome.kind === 'already' };
}
