// Who may take over from a leaver, from the org alone: reps of the leaver's department,
// then (when it has none) the reps in the manager's line; never the leaver, never someone
// who has left or leaves by `today`. And who is told about a leaver: their manager, else
// the department head, else the org's arbiter. Pure.
import type { OrgDirectory, Person } from '../org/org.ts';

/** True once a person's `left:` day has come (the org file keeps them, marked; OrgDirectory.isGone also covers the removed). */
export function hasLeft(person: Pick<Person, 'leftOn'>, today: string): boolean {
  return person.leftOn !== undefined && person.leftOn <= today;
}

function isRep(directory: OrgDirectory, p: Person): boolean {
  return directory.effectiveRoles(p).has('rep');
}

export function successorCandidates(directory: OrgDirectory, leaver: Person, today: string): Person[] {
  const eligible = (p: Person) => p.id !== leaver.id && isRep(directory, p) && !p.leftOn && !hasLeft(p, today);
  const department = directory.people.filter((p) => leaver.departmentId !== '' && p.departmentId === leaver.departmentId && eligible(p));
  if (department.length) return department;
  const manager = directory.manager(leaver);
  return manager ? directory.people.filter((p) => eligible(p) && directory.isAbove(manager, p)) : [];
}

/** Whether `actor` may start, change or cancel a handover of `leaver`: their manager line, or an admin. */
export function mayManage(directory: OrgDirectory, actor: Person, leaverId: string, lastKnownManagerId?: string): boolean {
  if (directory.effectiveRoles(actor).has('admin')) return true;
  const leaver = directory.person(leaverId);
  if (leaver) return directory.isAbove(actor, leaver);
  // Removed from the org file: the line they had.
  if (!lastKnownManagerId) return false;
  if (lastKnownManagerId === actor.id) return true;
  const manager = directory.person(lastKnownManagerId);
  return manager !== undefined && directory.isAbove(actor, manager);
}

/** Who hears of a leaver first: their manager, else the department head, else the org's arbiter. */
export function leaverContact(directory: OrgDirectory, leaver: { managerId?: string; departmentId?: string }): string | undefined {
  const manager = leaver.managerId ? directory.person(leaver.managerId) : undefined;
  if (manager) return manager.id;
  const head = leaver.departmentId ? directory.department(leaver.departmentId)?.headId : undefined;
  if (head && directory.person(head)) return head;
  return directory.org.arbiterId && directory.person(directory.org.arbiterId) ? directory.org.arbiterId : undefined;
}
