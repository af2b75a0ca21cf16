// A request's reminders and escalations (alerts.ts) as they stand: the first-response
// target counts until someone takes it, the resolution target while the department works on
// it; nothing counts while it waits on the requester (the paused working time moves every
// point on) or once it is resolved, closed or cancelled. Each point is sent once: the
// request keeps the instant up to which its points were sent, and the next one due — the
// column the sweep finds due work by. Pure.
import { addWorkingTime, durationMs, type WorkingSchedule } from '../time/working-time.ts';
import { alertPlan, type AlertPoint } from './alerts.ts';
import type { CatalogService } from './catalog.ts';
import type { ServiceRequest } from './request.ts';

export function requestAlertPlan(r: ServiceRequest, service: Pick<CatalogService, 'targets' | 'reminders'>, schedule: WorkingSchedule): AlertPoint[] {
  const start = r.clockStart.getTime();
  const points: AlertPoint[] = [];
  if (r.status === 'approved' && !r.respondedAt) {
    points.push(...alertPlan({ target: 'firstResponse', start, targetMs: durationMs(service.targets.firstResponse, schedule), rules: service.reminders, schedule, pausedMs: 0 }));
  }
  if (r.status === 'approved' || r.status === 'taken' || r.status === 'inProgress') {
    points.push(...alertPlan({ target: 'resolution', start, targetMs: durationMs(service.targets.resolution, schedule) + r.extendedMs, rules: service.reminders, schedule, pausedMs: r.pausedMs }));
  }
  return points.sort((a, b) => a.at - b.at);
}

/** The first point not sent yet (after `alertsSentUpTo`), or undefined. */
export function nextAlertOf(plan: readonly AlertPoint[], sentUpTo: Date | undefined): Date | undefined {
  const after = sentUpTo?.getTime() ?? -Infinity;
  const p = plan.find((x) => x.at > after);
  return p ? new Date(p.at) : undefined;
}

/**
 * What a sweep at `now` sends: the points due since the last sweep. After a long outage
 * only the latest repeat of a target goes (the head is not sent a backlog of "still late").
 */
export function alertsDue(plan: readonly AlertPoint[], sentUpTo: Date | undefined, now: Date): AlertPoint[] {
  const after = sentUpTo?.getTime() ?? -Infinity;
  const due = plan.filter((p) => p.at > after && p.at <= now.getTime());
  const lastRepeat = new Map<string, AlertPoint>();
  for (const p of due) if (p.kind === 'repeat') lastRepeat.set(p.target, p);
  return due.filter((p) => p.kind !== 'repeat' || lastRepeat.get(p.target) === p);
}

/** A resolved request closes by itself then, unless the requester reopens it. */
export const autoCloseAt = (r: ServiceRequest, service: Pick<CatalogService, 'closeAfter'>, schedule: WorkingSchedule): Date | undefined =>
  r.status === 'resolved' && r.resolvedAt ? new Date(addWorkingTime(r.resolvedAt.getTime(), service.closeAfter, schedule)) : undefined;

/** A pause longer than this is flagged to the head (the pause audit). */
export const pauseLimitAt = (r: ServiceRequest, service: Pick<CatalogService, 'maxPause'>, schedule: WorkingSchedule): Date | undefined =>
  r.status === 'waiting' && r.pausedAt ? new Date(addWorkingTime(r.pausedAt.getTime(), service.maxPause, schedule) + 1) : undefined;

type AlertService = Pick<CatalogService, 'targets' | 'reminders' | 'closeAfter' | 'maxPause'>;

/** The request with its next due point set: a reminder or escalation of its plan, its closing by itself once resolved, or the end of the pause it may take (none without its service). */
export function withNextAlert(r: ServiceRequest, service: AlertService | undefined, schedule: WorkingSchedule): ServiceRequest {
  if (!service) return { ...r, nextAlertAt: undefined };
  const pauseLimit = pauseLimitAt(r, service, schedule);
  const nextAlertAt = autoCloseAt(r, service, schedule) ?? (pauseLimit && (!r.alertsSentUpTo || r.alertsSentUpTo < pauseLimit) ? pauseLimit : undefined) ?? nextAlertOf(requestAlertPlan(r, service, schedule), r.alertsSentUpTo);
  return { ...r, nextAlertAt };
}
