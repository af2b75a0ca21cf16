// Use case: the approver of an extension request approves (the release date moves by
// extensionDays) or denies it. Only that approver, only once; the owner is told, and both
// the approver's request and the owner's warning change in place to the decision (or to
// "withdrawn" when the customer changed hands meanwhile).
import { AppError } from '../errors.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import type { Customer, CustomerStore } from './customer.ts';
import type { ExtensionRequest, ExtensionStore } from './extension.ts';
import { getCustomer } from './find-customer.ts';
import { extendedReleaseAt } from './pool-rules.ts';
import { extensionUpdate, warningUpdate } from './pool-messages.ts';
import { optional } from '../notices.ts';

export async function decideExtension(options: {
  store: CustomerStore;
  extensions: ExtensionStore;
  directory: OrgDirectory;
  approver: Person;
  requestId: string;
  approve: boolean;
  now: Date;
}): Promise<{ request: ExtensionRequest; customer: Customer }> {
  const { store, extensions, directory, approver, approve, now } = options;
  const request = await extensions.find(options.requestId);
  if (!request) throw new AppError('NOT_FOUND', 'no such request', { reason: 'extension.notFound' });
  if (request.approverId !== approver.id) {
    throw new AppError('FORBIDDEN', 'only the approver decides', { reason: 'extension.approverOnly', approver: directory.person(request.approverId)?.name ?? request.approverId });
  }
  if (request.status !== 'open') throw new AppError('ALREADY_DONE', 'already decided', { reason: 'extension.alreadyDecided' });
  const customer = await getCustomer({ store, customerId: request.customerId });
  const newReleaseAt = extendedReleaseAt(directory.org.pool, request.releaseAt);
  const result = await extensions.decide(
    { id: request.id, approve, byPersonId: approver.id, at: now, newReleaseAt },
    [
      {
        personId: request.ownerId,
        notice: {
          type: 'customer.extensionDecided',
          customerId: customer.id,
          customerName: customer.name,
          approved: approve,
          byPersonId: approver.id,
          releaseAt: (approve ? newReleaseAt : request.releaseAt).toISOString(),
        },
        idempotencyKey: `extension:${request.id}:decided`,
        runAt: now,
      },
      extensionUpdate(request, customer.name, newReleaseAt, { state: approve ? 'approved' : 'denied', byPersonId: approver.id }, now),
      ...optional(
        warningUpdate(
          { ...customer, ownerId: request.ownerId, releaseAt: request.releaseAt },
          directory.org.timezone,
          approve ? { state: 'extended', byPersonId: approver.id, releaseAt: newReleaseAt.toISOString() } : { state: 'extensionDenied', byPersonId: approver.id },
          now,
        ),
      ),
    ],
    [extensionUpdate(request, customer.name, newReleaseAt, { state: 'void', why: 'ownerChanged' }, now)],
  );
  if (result === 'alreadyDecided') throw new AppError('ALREADY_DONE', 'already decided', { reason: 'extension.alreadyDecided' });
  if (result === 'ownerChanged') throw new AppError('CONFLICT', 'owner changed', { reason: 'extension.ownerChanged' });
  return { request: (await extensions.find(request.id))!, customer: (await store.findById(customer.id))! };
}
