// Who gets a request, by the service's rule (catalog.ts AssignRule): the department head, a
// fixed person, or rotation among the members (the head aside) after the last one assigned,
// skipping anyone away that day. Whatever nobody available can take goes to the head. Pure:
// the use cases that assign (a new request, a reassignment, a leaver's requests) call it.
import type { Department } from '../org/org.ts';
import type { AssignRule } from './catalog.ts';

/** A member marked away (`away <from> <to>`), both days included, "YYYY-MM-DD" in the department's zone. */
export interface AwayPeriod {
  personId: string;
  from: string;
  to: string;
}

export function isAway(away: readonly AwayPeriod[], personId: string, day: string): boolean {
  return away.some((a) => a.personId === personId && a.from <= day && day <= a.to);
}

export interface ChooseAssigneeOptions {
  rule: AssignRule;
  department: Pick<Department, 'id' | 'headId' | 'memberIds'>;
  /** Who the service's previous request went to (rotation continues after them). */
  lastAssigneeId: string | undefined;
  away: readonly AwayPeriod[];
  day: string;
}

export function chooseAssignee(o: ChooseAssigneeOptions): string | undefined {
  const { department, away, day } = o;
  const head = department.headId;
  const available = (id: string) => !isAway(away, id, day);
  if (o.rule.rule === 'person') return available(o.rule.person) ? o.rule.person : (head ?? o.rule.person);
  if (o.rule.rule === 'head') return head;
  const members = department.memberIds.filter((id) => id !== head);
  const after = o.lastAssigneeId === undefined ? -1 : members.indexOf(o.lastAssigneeId);
  for (let i = 1; i <= members.length; i++) {
    const candidate = members[(after + i) % members.length]!;
    if (available(candidate)) return candidate;
  }
  return head;
}
