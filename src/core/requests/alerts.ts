// When a request's reminders and escalations are due, as pure data: for one target (first
// response or resolution) the assignee is reminded at the catalog's fractions of it, the
// department head is told at breach and again on the catalog's period, and the head's
// manager at `escalateAt` times the target — or whoever the catalog's `reminders.to` names. Every point is counted in working time from the
// start, later by the working time paused; each has a key naming it, so that a sweep that
// runs twice, on two replicas or after a crash enqueues it once.
import { addWorkingTime, durationMs, type WorkingSchedule } from '../time/working-time.ts';
import { DEFAULT_REMINDER_RECIPIENTS, type ReminderRecipient, type ReminderRules } from './catalog.ts';

export type AlertTarget = 'firstResponse' | 'resolution';
export type AlertKind = 'remind' | 'breach' | 'repeat' | 'upward';
export type AlertRecipient = ReminderRecipient;

export interface AlertPoint {
  target: AlertTarget;
  kind: AlertKind;
  /** Who is told (the catalog's `reminders.to` for this threshold). */
  to: readonly AlertRecipient[];
  /** The instant it is due. */
  at: number;
  /** Unique within the request and its deadline: `resolution:remind:50`, `resolution:repeat:2`. */
  key: string;
}

/** Repeats after a breach stop after this many even if nobody acts (the head has been told many times by then). */
export const MAX_REPEATS = 20;

export interface AlertPlanOptions {
  target: AlertTarget;
  /** When the target's clock started (submission, or the manager's approval). */
  start: number;
  targetMs: number;
  rules: ReminderRules;
  schedule: WorkingSchedule;
  /** Working time the clock was paused so far (waiting on the requester). */
  pausedMs: number;
}

export function alertPlan(o: AlertPlanOptions): AlertPoint[] {
  const to = { ...DEFAULT_REMINDER_RECIPIENTS, ...o.rules.to };
  const point = (kind: AlertKind, recipients: readonly AlertRecipient[], workingMs: number, suffix: string): AlertPoint => ({
    target: o.target,
    kind,
    to: recipients,
    at: addWorkingTime(o.start, workingMs + o.pausedMs, o.schedule),
    key: `${o.target}:${kind}${suffix}`,
  });
  const T = o.targetMs;
  const points = [...new Set(o.rules.at)].sort((a, b) => a - b).map((f) => point('remind', to.before, f * T, `:${Math.round(f * 100)}`));
  points.push(point('breach', to.breach, T, ''));
  const period = durationMs(o.rules.repeatEvery, o.schedule);
  // The head hears again on the period until someone acts (an extension or a reassignment
  // makes a new plan), the manager once at `escalateAt` times the target.
  for (let k = 1; k <= MAX_REPEATS; k++) points.push(point('repeat', to.breach, T + k * period, `:${k}`));
  points.push(point('upward', to.escalate, o.rules.escalateAt * T, ''));
  return points.sort((a, b) => a.at - b.at);
}

/** The points due in (after, upTo]: what a sweep at `upTo` sends when the last one ran at `after`. */
export function dueAlerts(plan: readonly AlertPoint[], after: number, upTo: number): AlertPoint[] {
  return plan.filter((p) => p.at > after && p.at <= upTo);
}

/** When the next point after `now` is due; undefined when none is left. */
export function nextAlertAt(plan: readonly AlertPoint[], now: number): number | undefined {
  return plan.find((p) => p.at > now)?.at;
}
