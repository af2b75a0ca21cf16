// Use case: the owner of a customer about to return to the pool asks for more time. The
// request goes to the owner's manager (see chooseApprover), once per release date; the
// owner's warning changes in place to say so.
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.ts';
import { optional } from '../notices.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import { chooseApprover } from './arbitration.ts';
import type { Customer, CustomerStore } from './customer.ts';
import type { ExtensionRequest, ExtensionStore } from './extension.ts';
import { getCustomer } from './find-customer.ts';
import { extendedReleaseAt } from './pool-rules.ts';
import { extensionRequestKey, warningUpdate } from './pool-messages.ts';

export async function requestExtension(options: {
  store: CustomerStore;
  extensions: ExtensionStore;
  directory: OrgDirectory;
  owner: Person;
  customerId: string;
  now: Date;
}): Promise<{ kind: 'requested' | 'alreadyRequested'; request: ExtensionRequest; customer: Customer; approver: Person }> {
  const { store, directory, owner, now } = options;
  const customer = await getCustomer({ store, customerId: options.customerId });
  if (!customer.ownerId || !customer.releaseAt) throw new AppError('CONFLICT', 'customer is in the pool', { reason: 'inPool' });
  if (customer.ownerId !== owner.id) throw new AppError('FORBIDDEN', 'only the owner asks', { reason: 'extension.ownerOnly' });
  const approver = chooseApprover(directory, owner.id);
  if (!approver) throw new AppError('CONFLICT', 'nobody to approve', { reason: 'extension.noApprover' });
  const id = randomUUID();
  const { request, created } = await options.extensions.open(
    { id, customerId: customer.id, ownerId: owner.id, approverId: approver.id, releaseAt: customer.releaseAt, createdAt: now },
    [
      {
        personId: approver.id,
        notice: {
          type: 'customer.extensionRequested',
          requestId: id,
          customerId: customer.id,
          customerName: customer.name,
          ownerId: owner.id,
          releaseAt: customer.releaseAt.toISOString(),
          until: extendedReleaseAt(directory.org.pool, customer.releaseAt).toISOString(),
        },
        idempotencyKey: extensionRequestKey(id),
        runAt: now,
      },
      // The owner's warning shows whom it was asked of, without its Ask button.
      ...optional(warningUpdate(customer, directory.org.timezone, { state: 'extensionAsked', approverId: approver.id }, now)),
    ],
  );
  return { kind: created ? 'requested' : 'alreadyRequested', request, customer, approver: directory.person(request.approverId) ?? approver };
}
