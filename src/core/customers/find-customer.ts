// Use cases to find customers: `who` (anyone: owner, stage, last follow-up; pinyin and
// initials accepted), the resolver other commands use to turn a typed name into one
// customer, or a clear "not found" / "which one?", and the customer a button names by id.
import { AppError } from '../errors.ts';
import type { Customer, CustomerStore } from './customer.ts';
import { normaliseCompanyName } from './normalise-name.ts';

export async function findCustomers(options: { store: CustomerStore; query: string; limit?: number }): Promise<Customer[]> {
  const { key } = normaliseCompanyName(options.query);
  const raw = options.query.normalize('NFKC').toLowerCase().replace(/[\s'-]/g, '');
  const latin = /^[a-z0-9]+$/.test(raw) ? raw : undefined;
  if (key === '' && !latin) throw new AppError('INVALID_INPUT', 'empty query', { reason: 'nameEmpty' });
  return options.store.search({ nameKey: key || raw, latin }, options.limit ?? 10);
}

/** Exactly one customer for a typed name, or an AppError that says why not. */
export async function resolveCustomer(options: { store: CustomerStore; name: string }): Promise<Customer> {
  const { key } = normaliseCompanyName(options.name);
  if (key === '') throw new AppError('INVALID_INPUT', 'empty name', { reason: 'nameEmpty' });
  const exact = await options.store.findByKeyOrCode(key);
  if (exact) return exact;
  const found = await findCustomers({ store: options.store, query: options.name, limit: 5 });
  if (found.length === 1) return found[0]!;
  if (found.length === 0) throw new AppError('NOT_FOUND', `no customer "${options.name}"`, { what: options.name });
  throw new AppError('CONFLICT', 'ambiguous customer name', { reason: 'ambiguous', candidates: found.map((c) => c.name).join(' / ') });
}

/** The customer a button or a request names by id, or an AppError when it is gone. */
export async function getCustomer(options: { store: CustomerStore; customerId: string }): Promise<Customer> {
  const customer = await options.store.findById(options.customerId);
  if (!customer) throw new AppError('NOT_FOUND', 'no such customer', { reason: 'contest.customerGone' });
  return customer;
}
