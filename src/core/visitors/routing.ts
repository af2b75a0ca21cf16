// Who receives a walk-in visitor, in order (issue 12, DESIGN.md rule 1): the person who
// announced the visit; the person the visitor asked for; the owner of the visitor's
// company; whoever is on the duty roster now (before-hours and weekend slots included);
// the head of the sales department the org file marks for visitors; the org's arbiter.
// Each candidate carries the reason it was chosen, shown to the host and the reporter.
// Pure: the caller looks the expected visit and the customer up.
import type { OrgDirectory, DutySlot, Person, Weekday } from '../org/org.ts';
import { WEEKDAYS } from '../org/org.ts';
import { minutesOfClock } from '../time/working-days.ts';
import { wallClock } from '../time/wall-clock.ts';
import type { HostMatch } from './host-match.ts';
import type { TVisitorSettings } from './visitor-settings.ts';

export type HostReason =
  | { kind: 'expected'; expectedAt?: string }
  | { kind: 'named' }
  | { kind: 'owner'; customerName: string; since?: string }
  | { kind: 'duty'; from: string; to: string }
  | { kind: 'salesHead'; department: string }
  | { kind: 'arbiter' }
  | { kind: 'handedOver'; byPersonId: string }
  | { kind: 'picked'; byPersonId: string };

export interface HostCandidate {
  personId: string;
  reason: HostReason;
}

export interface RouteInput {
  directory: OrgDirectory;
  settings: TVisitorSettings;
  now: Date;
  /** An expected visit this report matches: its announcer. */
  expected?: { personId: string; expectedAt?: Date };
  /** Whom the visitor asked for, matched (absent: nobody named). */
  named?: HostMatch;
  /** The customer the visitor's company is, if any. */
  owner?: { personId: string; customerName: string; since?: Date };
}

export interface Route {
  /** Everyone who may host it, best first, each once; the first is pinged. */
  candidates: HostCandidate[];
  /** Set when the named person matched several: the reporter picks (candidates are the fallbacks). */
  choose?: Person[];
  /** What the reporter is told about the named person (left, unknown). */
  namedProblem?: { kind: 'left'; name: string; successor?: string } | { kind: 'unknown' };
}

export function routeVisit(input: RouteInput): Route {
  const { directory, settings, now } = input;
  const out: HostCandidate[] = [];
  const add = (personId: string | undefined, reason: HostReason) => {
    if (personId && directory.person(personId) && !out.some((c) => c.personId === personId)) out.push({ personId, reason });
  };
  if (input.expected) add(input.expected.personId, { kind: 'expected', expectedAt: input.expected.expectedAt?.toISOString() });
  let choose: Person[] | undefined;
  let namedProblem: Route['namedProblem'];
  const named = input.named;
  if (named?.kind === 'person') add(named.person.id, { kind: 'named' });
  else if (named?.kind === 'ambiguous') choose = named.candidates;
  else if (named?.kind === 'left') {
    namedProblem = { kind: 'left', name: named.name, successor: named.successor };
    const successor = named.successor ? directory.person(named.successor) : undefined;
    if (successor) add(successor.id, { kind: 'named' });
  } else if (named?.kind === 'unknown') namedProblem = { kind: 'unknown' };
  if (input.owner) add(input.owner.personId, { kind: 'owner', customerName: input.owner.customerName, since: input.owner.since?.toISOString() });
  for (const slot of dutyAt(directory.org.duty, directory.org.timezone, now)) add(slot.personId, { kind: 'duty', from: slot.from, to: slot.to });
  const sales = salesDepartmentFor(directory, settings);
  if (sales?.headId) add(sales.headId, { kind: 'salesHead', department: sales.name });
  add(directory.org.arbiterId, { kind: 'arbiter' });
  return { candidates: out, choose, namedProblem };
}

/** The sales department marked for visitors, else the first sales department with a head. */
export function salesDepartmentFor(directory: OrgDirectory, settings: TVisitorSettings) {
  if (settings.salesDepartment) return directory.department(settings.salesDepartment);
  return directory.org.departments.find((d) => d.kind === 'sales' && d.headId);
}

/**
 * The duty slots covering `now` in the org's zone. A slot whose `to` is earlier than its
 * `from` runs past midnight: its part after midnight belongs to the day it started.
 */
export function dutyAt(slots: readonly DutySlot[], timezone: string, now: Date): DutySlot[] {
  const w = wallClock(now.getTime(), timezone);
  const today = WEEKDAYS[(new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() + 6) % 7]!;
  const yesterday: Weekday = WEEKDAYS[(WEEKDAYS.indexOf(today) + 6) % 7]!;
  const minute = w.hour * 60 + w.minute;
  return slots.filter((s) => {
    const from = minutesOfClock(s.from);
    const to = minutesOfClock(s.to);
    if (from < to) return s.days.includes(today) && minute >= from && minute < to;
    return (s.days.includes(today) && minute >= from) || (s.days.includes(yesterday) && minute < to);
  });
}

/**
 * Why a roster cannot work, for the org file's check: a slot that lasts no time, or working
 * weekdays no slot covers at all (a gap of days). An empty roster is allowed (routing goes
 * on to the sales head).
 */
export function rosterProblems(slots: readonly DutySlot[], workingDays: readonly Weekday[]): { index?: number; message: string }[] {
  const problems: { index?: number; message: string }[] = [];
  slots.forEach((s, index) => {
    if (s.from === s.to) problems.push({ index, message: `the slot ${s.from}-${s.to} lasts no time` });
  });
  if (slots.length) {
    const uncovered = workingDays.filter((d) => !slots.some((s) => s.days.includes(d)));
    if (uncovered.length) problems.push({ message: `the roster leaves whole working days without anyone on duty: ${uncovered.join(', ')}` });
  }
  return problems;
}
