// Who gets a digest by default, when they never chose (`digest settings`). Pure.
import type { OrgDirectory, Person } from '../org/org.ts';
import type { DigestFrequency } from './period.ts';

/** Weekly for managers (anyone with reports or heading a department), off for everyone else. */
export function defaultFrequency(directory: OrgDirectory, person: Person): DigestFrequency {
  return directory.effectiveRoles(person).has('manager') ? 'weekly' : 'off';
}
