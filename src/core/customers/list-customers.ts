// Use cases: a rep's own customers (`mine`, by stage then most recently touched) and the
// public pool (`pool`, newest releases first), a page at a time.
import type { Person } from '../org/org.ts';
import type { Customer, CustomerStore, Page } from './customer.ts';

export interface ListCustomersOptions {
  store: CustomerStore;
  page: { offset: number; limit: number };
}

export function listOwnCustomers(options: ListCustomersOptions & { owner: Person }): Promise<Page<Customer>> {
  return options.store.listByOwner(options.owner.id, options.page);
}

export function listPoolCustomers(options: ListCustomersOptions): Promise<Page<Customer>> {
  return options.store.listPool(options.page);
}
