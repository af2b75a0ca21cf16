// Use case: the owner (or their manager) gives a customer back to the public pool, named
// as typed (`release <company>`) or by id (the Release now button on a pool warning). The
// owner's pool warning and any extension request still open change in place to say so.
import { AppError } from '../errors.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import { assertOwnerOrManager } from './change-stage.ts';
import type { Customer, CustomerStore } from './customer.ts';
import type { ExtensionStore } from './extension.ts';
import { getCustomer, resolveCustomer } from './find-customer.ts';
import { releasedNotices } from './pool-messages.ts';

export type ReleaseCustomerOptions = {
  store: CustomerStore;
  extensions: Pick<ExtensionStore, 'openFor'>;
  directory: OrgDirectory;
  actor: Person;
  now: Date;
} & ({ name: string; customerId?: never } | { customerId: string; name?: never });

export async function releaseCustomer(options: ReleaseCustomerOptions): Promise<Customer> {
  const { store, directory, actor, now } = options;
  const customer = options.customerId !== undefined ? await getCustomer({ store, customerId: options.customerId }) : await resolveCustomer({ store, name: options.name });
  assertOwnerOrManager(directory, actor, customer, 'release');
  const notices = await releasedNotices(options.extensions, directory, customer, 'manual', now);
  const done = await store.release({ id: customer.id, ownerId: customer.ownerId!, kind: 'release', byPersonId: actor.id, at: now }, notices);
  if (!done) throw new AppError('CONFLICT', 'changed meanwhile', { reason: 'changedMeanwhile' });
  return customer;
}
