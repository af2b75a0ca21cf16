// Use case: move a customer through the funnel (owner or their manager), with the
// evidence the stage means; `lost` ends the relationship and returns it to the pool.
import { AppError } from '../errors.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import type { Customer, CustomerStore } from './customer.ts';
import { resolveCustomer } from './find-customer.ts';
import { ZStageEvidenceSchema, type StageOrLost } from './funnel.ts';
import { releaseDueAt } from './pool-rules.ts';

export async function changeStage(options: {
  store: CustomerStore;
  directory: OrgDirectory;
  actor: Person;
  name: string;
  to: StageOrLost;
  evidence: Record<string, string>;
  now: Date;
}): Promise<{ customer: Customer; from: number }> {
  const { store, directory, actor, to, now } = options;
  const customer = await resolveCustomer({ store, name: options.name });
  assertOwnerOrManager(directory, actor, customer, 'stage');
  if (customer.lost) throw new AppError('CONFLICT', 'customer is lost', { reason: 'lost' });
  const parsed = ZStageEvidenceSchema[to].safeParse(options.evidence);
  if (!parsed.success) throw new AppError('INVALID_INPUT', 'missing evidence', { reason: `evidence.${to}` });
  if (to === customer.stage) throw new AppError('ALREADY_DONE', 'same stage');
  const moved = await store.changeStage({
    id: customer.id,
    ownerId: customer.ownerId!,
    from: customer.stage,
    to,
    evidence: parsed.data,
    byPersonId: actor.id,
    at: now,
    releaseAt: to === 'lost' ? undefined : releaseDueAt(directory.org.pool, to, now, customer.extendedUntil),
  });
  // Someone else changed it in between: say so rather than overwrite their change.
  if (!moved) throw new AppError('CONFLICT', 'changed meanwhile', { reason: 'changedMeanwhile' });
  return { customer: (await store.findById(customer.id))!, from: customer.stage };
}

export function assertOwnerOrManager(directory: OrgDirectory, actor: Person, customer: Customer, action: 'stage' | 'release' | 'alias'): void {
  if (!customer.ownerId) throw new AppError('CONFLICT', 'customer is in the pool', { reason: 'inPool' });
  const owner = directory.person(customer.ownerId);
  const allowed = actor.id === customer.ownerId || (owner !== undefined && directory.isAbove(actor, owner));
  if (!allowed) throw new AppError('FORBIDDEN', `only the owner or their manager may ${action}`, { reason: `ownerOnly.${action}` });
}
