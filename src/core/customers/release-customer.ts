// Use case: the owner (or their manager) gives a customer back to the public pool.
import { AppError } from '../errors.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import { assertOwnerOrManager } from './change-stage.ts';
import type { Customer, CustomerStore } from './customer.ts';
import { resolveCustomer } from './find-customer.ts';

export async function releaseCustomer(options: {
  store: CustomerStore;
  directory: OrgDirectory;
  actor: Person;
  name: string;
  now: Date;
}): Promise<Customer> {
  const { store, directory, actor, now } = options;
  const customer = await resolveCustomer({ store, name: options.name });
  assertOwnerOrManager(directory, actor, customer, 'release');
  const done = await store.release({ id: customer.id, ownerId: customer.ownerId!, kind: 'release', byPersonId: actor.id, at: now }, []);
  if (!done) throw new AppError('CONFLICT', 'changed meanwhile', { reason: 'changedMeanwhile' });
  return customer;
}
