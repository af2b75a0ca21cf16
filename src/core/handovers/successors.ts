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
  // Removed from the org file: the line they had, when known; else the org's arbiter, who was told of them.
  lastKnownManagerId ??= directory.formerPerson(leaverId)?.managerId;
  if (!lastKnownManagerId) return directory.org.arbiterId === actor.id;
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

/**
 * Successors for someone removed from the org file (their department and manager are gone
 * with them): the reps in the line of the person handing them over, else every rep.
 */
export function candidatesForRemoved(directory: OrgDirectory, actor: Person, today: string): Person[] {
  const eligible = (p: Person) => isRep(directory, p) && !p.leftOn && !hasLeft(p, today);
  const line = directory.people.filter((p) => eligible(p) && directory.isAbove(actor, p));
  return line.length ? line : directory.people.filter(eligible);
}

/** A role the org file gives a leaver, reported to the admins as an edit to make (kehu never writes the org file). */
export type OrgRole =
  | { kind: 'duty'; days: string; from: string; to: string }
  | { kind: 'orgArbiter' }
  | { kind: 'departmentArbiter'; department: string }
  | { kind: 'departmentHead'; department: string };

export function orgRolesOf(directory: OrgDirectory, personId: string): OrgRole[] {
  const roles: OrgRole[] = [];
  for (const d of directory.org.duty) if (d.personId === personId) roles.push({ kind: 'duty', days: d.days.join(','), from: d.from, to: d.to });
  if (directory.org.arbiterId === personId) roles.push({ kind: 'orgArbiter' });
  for (const d of directory.org.departments) {
    if (d.arbiterId === personId) roles.push({ kind: 'departmentArbiter', department: d.name });
    if (d.headId === personId) roles.push({ kind: 'departmentHead', department: d.name });
  }
  return roles;
}

/** Who is told of org-file edits: the admins, else whoever started the handover. */
export function adminsOr(directory: OrgDirectory, fallbackId: string): string[] {
  const admins = directory.people.filter((p) => directory.effectiveRoles(p).has('admin')).map((p) => p.id);
  return admins.length ? admins : [fallbackId];
}
