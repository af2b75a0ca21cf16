// Use case: a person's org record (department, manager, roles, what they head, who
// reports to them) — what `whoami` shows and App Home summarises.
import type { Department, OrgDirectory, Person, Role } from './org.ts';

export interface PersonRecord {
  person: Person;
  department?: Department;
  manager?: Person;
  roles: Role[];
  heads: Department[];
  reports: Person[];
}

export function describePerson(options: { directory: OrgDirectory; person: Person }): PersonRecord {
  const { directory, person } = options;
  return {
    person,
    department: directory.department(person.departmentId),
    manager: directory.manager(person),
    roles: [...directory.effectiveRoles(person)],
    heads: directory.org.departments.filter((d) => d.headId === person.id),
    reports: directory.people.filter((p) => p.managerId === person.id),
  };
}
