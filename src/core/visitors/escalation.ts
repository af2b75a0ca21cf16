// The escalation ladder of a visit nobody has taken: after the org file's time without an
// answer (default 3 minutes in working hours, 1 outside them) the host is pinged again and
// the host's manager and the person on duty are told; after the same time again, the
// host's department head (else the org's arbiter); then the ladder starts again at the top,
// until someone takes charge, the reporter closes the visit, or maxSteps is reached. Pure.
import type { OrgDirectory } from '../org/org.ts';
import { isWorkingTime } from '../time/working-days.ts';
import { dutyAt } from './routing.ts';
import type { TVisitorSettings } from './visitor-settings.ts';

/** How long to wait for an answer from `now` on. */
export function escalationDelayMs(directory: OrgDirectory, settings: TVisitorSettings, now: Date): number {
  const minutes = isWorkingTime(now, directory.org) ? settings.escalation.workingMinutes : settings.escalation.outsideMinutes;
  return Math.round(minutes * 60_000);
}

export type Rung = 'repeat' | 'head';

/** Step 1, 3, 5 … repeat the ping (with the manager and the person on duty); 2, 4 … the head. */
export function rungOf(step: number): Rung {
  return step % 2 === 1 ? 'repeat' : 'head';
}

export interface EscalationTargets {
  /** Pinged again (an urgent message on Lark). */
  host?: string;
  /** Told that the host has not answered. */
  others: { personId: string; role: 'manager' | 'duty' | 'head' | 'arbiter' }[];
}

export function escalationTargets(directory: OrgDirectory, hostId: string, step: number, now: Date): EscalationTargets {
  const host = directory.person(hostId);
  const others: EscalationTargets['others'] = [];
  const add = (personId: string | undefined, role: EscalationTargets['others'][number]['role']) => {
    if (personId && personId !== hostId && directory.person(personId) && !others.some((o) => o.personId === personId)) others.push({ personId, role });
  };
  if (rungOf(step) === 'repeat') {
    if (host) add(host.managerId, 'manager');
    for (const slot of dutyAt(directory.org.duty, directory.org.timezone, now)) add(slot.personId, 'duty');
    return { host: host ? hostId : undefined, others };
  }
  const head = host ? directory.department(host.departmentId)?.headId : undefined;
  add(head, 'head');
  if (others.length === 0) add(directory.org.arbiterId, 'arbiter');
  return { others };
}
