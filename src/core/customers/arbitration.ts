// Who decides a claim contest and who approves an extension, and what the arbiter sees
// as evidence. Pure: reads the org directory and the ownership history only.
import type { OrgDirectory, Person } from '../org/org.ts';
import type { OwnershipEvent } from './customer.ts';

/**
 * The first of `candidates` who is in the org and is neither party: someone deciding
 * their own case is no arbitration, so a manager who contests a report's claim, or an
 * owner who heads the department, is skipped and the next in line decides.
 */
function firstImpartial(directory: OrgDirectory, candidates: (string | undefined)[], parties: string[]): Person | undefined {
  for (const id of candidates) {
    if (id === undefined || parties.includes(id)) continue;
    const person = directory.person(id);
    if (person) return person;
  }
  return undefined;
}

/**
 * The arbiter of a contest on a customer owned by `ownerId`: the arbiter configured for
 * the owner's department (an explicit choice beats the hierarchy), else the owner's
 * manager, else the head of the owner's department, else the org-wide arbiter.
 * Undefined when nobody impartial is left: the challenger is told so.
 */
export function chooseArbiter(directory: OrgDirectory, ownerId: string, challengerId: string): Person | undefined {
  const owner = directory.person(ownerId);
  const department = owner ? directory.department(owner.departmentId) : undefined;
  return firstImpartial(directory, [department?.arbiterId, owner?.managerId, department?.headId, directory.org.arbiterId], [ownerId, challengerId]);
}

/**
 * Who approves more time before a customer returns to the pool: the owner's manager,
 * else the head of their department, else the configured arbiters. Never the owner.
 */
export function chooseApprover(directory: OrgDirectory, ownerId: string): Person | undefined {
  const owner = directory.person(ownerId);
  const department = owner ? directory.department(owner.departmentId) : undefined;
  return firstImpartial(directory, [owner?.managerId, department?.headId, department?.arbiterId, directory.org.arbiterId], [ownerId]);
}

const GAINS: ReadonlySet<OwnershipEvent['kind']> = new Set(['claim', 'near_duplicate_claim', 'pool_claim', 'transfer', 'import']);

/** When `ownerId` last became the owner, from the history: the owner's side of "who was first". */
export function ownerSince(history: readonly OwnershipEvent[], ownerId: string): Date | undefined {
  let since: Date | undefined;
  for (const e of history) if (GAINS.has(e.kind) && e.toPersonId === ownerId && (!since || e.at > since)) since = e.at;
  return since;
}
