// Departure handovers (shared/seeds/003, last part; DESIGN.md rule 5): the step each stage
// demands, the successor proposed for each customer ("a stronger rep": the best record at
// that customer's stage over the last 180 days, with room under maxHeld), the plan, the
// 90-day rule (WeCom's: at most twice without an admin), and what the daily prompt counts.
// Pure: no I/O, no clock of its own.
import type { Stage } from '../customers/funnel.ts';
import { countsTowardCap } from '../customers/pool-rules.ts';
import { addDays, type WorkingCalendar } from '../time/working-days.ts';

/** 0%: moved at once; 25% and 50%: the leaver phones the customer with the successor; 75% and 100%: a joint visit. */
export type HandoverStep = 'transfer' | 'call' | 'visit';

export function stepFor(stage: Stage): HandoverStep {
  if (stage === 0) return 'transfer';
  return stage <= 50 ? 'call' : 'visit';
}

/** A handover note (who matters, open promises, what to avoid) is asked for every customer at 25% or more. */
export function needsNote(stage: Stage): boolean {
  return stage >= 25;
}

/** How far back a rep's record at a stage is read. */
export const RECORD_WINDOW_DAYS = 180;
/** The window of the twice rule. */
export const REPEAT_WINDOW_DAYS = 90;
/** Handovers of one customer allowed inside the window without an admin. */
export const MAX_HANDOVERS_IN_WINDOW = 2;

/** One candidate's record at one stage over the window: customers they held there, and how many of those moved past it. */
export interface StageRecord {
  stage: Stage;
  /** Customers that were at this stage with them during the window (moved past it, lost from it, or still there). */
  reached: number;
  /** Of those, moved to a later stage (not lost). */
  movedPast: number;
}

export interface Candidate {
  personId: string;
  /** Customers held now that count toward the cap. */
  held: number;
  records: readonly StageRecord[];
}

/** The share of a candidate's customers at `stage` that moved past it; 0 with no customers there. */
export function recordAt(c: Candidate, stage: Stage): number {
  const r = c.records.find((x) => x.stage === stage);
  return r && r.reached > 0 ? r.movedPast / r.reached : 0;
}

export interface PlanCustomer {
  id: string;
  name: string;
  stage: Stage;
  /** Handovers of this customer within the last REPEAT_WINDOW_DAYS. */
  recentHandovers: number;
}

export interface PlanItem {
  customerId: string;
  customerName: string;
  stage: Stage;
  step: HandoverStep;
  note: boolean;
  /** Undefined when nobody has room (the plan says so; the manager picks). */
  successorId?: string;
  /** A third handover within 90 days: only an admin may start it. */
  needsAdmin: boolean;
}

/**
 * Proposes a successor per customer: the candidate with the best record at its stage who
 * still has room (maxHeld minus held, counting the customers this plan already gave them);
 * ties go to more room, then the id, so the same inputs always give the same plan. The most
 * advanced customers are placed first: they are the ones a stronger rep matters most for.
 * `only` restricts the choice (one successor for all, or a split among several).
 */
export function proposeSuccessors(customers: readonly PlanCustomer[], candidates: readonly Candidate[], maxHeld: number): PlanItem[] {
  const room = new Map(candidates.map((c) => [c.personId, maxHeld - c.held]));
  const order = [...customers].sort((a, b) => b.stage - a.stage || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  // Ranked once per stage: the plan of 5,000 customers sorts five lists, not 5,000.
  const ranked = new Map<Stage, Candidate[]>();
  const rankAt = (stage: Stage) => {
    let list = ranked.get(stage);
    if (!list) {
      list = [...candidates].sort((a, b) => recordAt(b, stage) - recordAt(a, stage) || (room.get(b.personId)! - room.get(a.personId)!) || a.personId.localeCompare(b.personId));
      ranked.set(stage, list);
    }
    return list;
  };
  const items: PlanItem[] = [];
  for (const c of order) {
    const counts = countsTowardCap(c.stage);
    const best = rankAt(c.stage).find((cand) => !counts || room.get(cand.personId)! > 0);
    if (best && counts) room.set(best.personId, room.get(best.personId)! - 1);
    items.push({
      customerId: c.id,
      customerName: c.name,
      stage: c.stage,
      step: stepFor(c.stage),
      note: needsNote(c.stage),
      successorId: best?.personId,
      needsAdmin: c.recentHandovers >= MAX_HANDOVERS_IN_WINDOW,
    });
  }
  return items;
}

/** Successors whose plan share would take them over the cap: named with the count, for the refusal. */
export function overCap(items: readonly PlanItem[], candidates: readonly Candidate[], maxHeld: number): { personId: string; held: number; adding: number }[] {
  const adding = new Map<string, number>();
  for (const i of items) if (i.successorId && countsTowardCap(i.stage)) adding.set(i.successorId, (adding.get(i.successorId) ?? 0) + 1);
  const out: { personId: string; held: number; adding: number }[] = [];
  for (const [personId, n] of adding) {
    const held = candidates.find((c) => c.personId === personId)?.held ?? 0;
    if (held + n > maxHeld) out.push({ personId, held, adding: n });
  }
  return out.sort((a, b) => a.personId.localeCompare(b.personId));
}

/** The n-th working day after `ymd` (n >= 1), on the org's working calendar. */
export function workingDaysAfter(calendar: WorkingCalendar, ymd: string, n: number): string {
  let day = ymd;
  for (let left = n; left > 0; ) {
    day = addDays(day, 1);
    if (calendar.isWorkingDay(day)) left--;
  }
  return day;
}

/** The working day before `ymd`. */
export function workingDayBefore(calendar: WorkingCalendar, ymd: string): string {
  let day = addDays(ymd, -1);
  for (let i = 0; i < 62 && !calendar.isWorkingDay(day); i++) day = addDays(day, -1);
  return day;
}

/** Working days after `today` up to and including `lastDay`: "3 working days left". 0 on the last day. */
export function workingDaysLeft(calendar: WorkingCalendar, today: string, lastDay: string): number {
  let n = 0;
  for (let day = addDays(today, 1); day <= lastDay; day = addDays(day, 1)) if (calendar.isWorkingDay(day)) n++;
  return n;
}

/** When a last day is not given: ten working days from today. */
export const DEFAULT_NOTICE_WORKING_DAYS = 10;

/**
 * Steps are due two working days before the last day: a step late by then is escalated on
 * the next working morning, leaving the manager a day to extend, transfer or reassign
 * before the last day's sweep moves whatever is left.
 */
export function stepDueDay(calendar: WorkingCalendar, today: string, lastDay: string): string {
  const before = workingDayBefore(calendar, workingDayBefore(calendar, lastDay));
  return before < today ? today : before;
}

/** The refusal a last day gets, if any. */
export function lastDayProblem(today: string, lastDay: string): 'past' | undefined {
  return lastDay < today ? 'past' : undefined;
}

/** What a pending step is, for counting a person's prompt. */
export type PendingKind = 'call' | 'visit' | 'note';

export function countPending(kinds: readonly PendingKind[]): Record<PendingKind, number> {
  const counts: Record<PendingKind, number> = { call: 0, visit: 0, note: 0 };
  for (const k of kinds) counts[k]++;
  return counts;
}

/** One prompt per person per day, however many handovers they are in, replicas and restarts included. */
export function promptKey(personId: string, ymd: string): string {
  return `handover-prompt:${personId}:${ymd}`;
}

/** One escalation per step and due day: an extension gives a fresh due day, and so a fresh escalation. */
export function escalationKey(itemId: string, part: PendingKind, dueDay: string): string {
  return `handover-escalation:${itemId}:${part}:${dueDay}`;
}

/** A joint visit's reminders: both are told on the working day before, and on the morning of the visit. */
export type VisitReminderWhen = 'dayBefore' | 'morning';

/**
 * The days a visit on `visitDay`, set on `today`, is reminded: the working day before (when
 * that is still to come or today) and the visit day itself.
 */
export function visitReminderDays(calendar: WorkingCalendar, today: string, visitDay: string): { when: VisitReminderWhen; day: string }[] {
  const before = workingDayBefore(calendar, visitDay);
  return [...(before >= today && before < visitDay ? [{ when: 'dayBefore' as const, day: before }] : []), { when: 'morning' as const, day: visitDay }];
}

/** One reminder per item, visit day, moment and person: a new visit day gets fresh ones, the old ones find themselves moot. */
export function visitReminderKey(itemId: string, visitDay: string, when: VisitReminderWhen): string {
  return `handover-visit:${itemId}:${visitDay}:${when}`;
}

/**
 * Whether a successor may be given an item: a rep other than the leaver who has not left,
 * with room under the cap for it (a 100% customer does not count toward it).
 */
export function successorProblem(s: { isLeaver: boolean; isRep: boolean; gone: boolean; held: number }, stage: Stage, maxHeld: number): 'successorIsLeaver' | 'notRep' | 'overCap' | undefined {
  if (s.isLeaver) return 'successorIsLeaver';
  if (!s.isRep || s.gone) return 'notRep';
  if (countsTowardCap(stage) && s.held + 1 > maxHeld) return 'overCap';
  return undefined;
}
