// Use case: the handover note a leaver left on a customer (who matters and what each cares
// about, open promises, what to avoid), for `who` — shown to the owner's line only (the
// owner, their managers, an admin): the company keeps the experience, not only the numbers.
import type { OrgDirectory, Person } from '../org/org.ts';
import type { HandoverStore } from './handover.ts';

export async function handoverNoteFor(options: { store: HandoverStore; directory: OrgDirectory; actor: Person; customer: { id: string; ownerId?: string | null } }): Promise<{ note: string; leaverId: string } | undefined> {
  const { directory, actor, customer } = options;
  const owner = customer.ownerId ? directory.person(customer.ownerId) : undefined;
  const inLine = directory.effectiveRoles(actor).has('admin') || customer.ownerId === actor.id || (owner !== undefined && directory.isAbove(actor, owner));
  if (!inLine) return undefined;
  const found = await options.store.latestNote(customer.id);
  return found && { note: found.note, leaverId: found.leaverId };
}
