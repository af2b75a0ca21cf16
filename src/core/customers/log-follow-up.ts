// Use case: anyone records a follow-up on any customer (how functional staff serve
// customers too); the owner is told when it was someone else. A follow-up by the owner
// renews the protection from the pool, and a warning about the old release day changes in
// place to say so.
import type { NoticeJob } from '../notices.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import type { Customer, CustomerStore } from './customer.ts';
import { resolveCustomer } from './find-customer.ts';
import { releaseDueAt } from './pool-rules.ts';
import { warningUpdate } from './pool-messages.ts';

export const FOLLOW_UP_KINDS = ['call', 'visit', 'meeting', 'message', 'note'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

export async function logFollowUp(options: {
  store: CustomerStore;
  directory: OrgDirectory;
  actor: Person;
  name: string;
  kind: FollowUpKind;
  note: string;
  now: Date;
}): Promise<{ customer: Customer; ownerTold: boolean }> {
  const { store, directory, actor, kind, note, now } = options;
  const customer = await resolveCustomer({ store, name: options.name });
  const notices: NoticeJob[] = [];
  const byOwner = customer.ownerId === actor.id;
  if (customer.ownerId && !byOwner) {
    notices.push({
      personId: customer.ownerId,
      notice: { type: 'customer.followUpLogged', customerId: customer.id, customerName: customer.name, byPersonId: actor.id, kind, note },
      idempotencyKey: `follow-up:${customer.id}:${actor.id}:${now.toISOString()}`,
      runAt: now,
    });
  }
  const releaseAt = byOwner ? releaseDueAt(directory.org.pool, customer.stage, now, customer.extendedUntil) : undefined;
  const warning = releaseAt && warningUpdate(customer, directory.org.timezone, { state: 'followedUp', releaseAt: releaseAt.toISOString() }, now);
  await store.addFollowUp({ customerId: customer.id, personId: actor.id, kind, note, at: now, releaseAt }, warning ? [...notices, warning] : notices);
  return { customer, ownerTold: notices.length > 0 };
}
