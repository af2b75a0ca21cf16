// Use case: the deadline sweep. Finds the requests whose next reminder or escalation is due
// (through the nextAlertAt index, never the closed history), and for each, in one
// transaction stored only if the request is still as read: the notices due since the last
// sweep — the assignee reminded at the catalog's fractions, the head told at breach (with
// Reassign and Extend) and again on the catalog's period, the head's manager at `escalateAt`
// times the target — and the next point. A request that changed meanwhile was re-planned by
// that change (a moot reminder is never sent); a crash or a second replica sends nothing twice.
import type { NoticeJob } from '../notices.ts';
import type { OrgDirectory } from '../org/org.ts';
import { departmentSchedule } from '../time/working-time.ts';
import type { AlertPoint } from './alerts.ts';
import { serviceByKey, type Catalog } from './catalog.ts';
import { alertsDue, autoCloseAt, nextAlertOf, pauseLimitAt, requestAlertPlan } from './request-alerts.ts';
import { pauseFlagNotice, requestEffects, requestSnapshot } from './request-effects.ts';
import type { RequestStore, ServiceRequest } from './request.ts';

export interface SweepRequestAlertsOptions {
  requests: RequestStore;
  directory: OrgDirectory;
  catalog: Catalog;
  now: Date;
  /** Requests read per batch. */
  batch?: number;
}

function recipient(directory: OrgDirectory, r: ServiceRequest, p: AlertPoint): string | undefined {
  const head = directory.department(r.departmentId)?.headId;
  if (p.to === 'assignee') return r.assigneeId ?? head;
  if (p.to === 'head') return head;
  const headPerson = head ? directory.person(head) : undefined;
  return headPerson ? directory.manager(headPerson)?.id : undefined;
}

/** The notices of the points due now for one request. */
export function alertNotices(directory: OrgDirectory, r: ServiceRequest, due: readonly AlertPoint[], now: Date): NoticeJob[] {
  const snap = requestSnapshot(directory, r);
  const out: NoticeJob[] = [];
  for (const p of due) {
    const personId = recipient(directory, r, p);
    if (!personId) continue;
    const fraction = p.kind === 'remind' ? Number(p.key.split(':').at(-1)) / 100 : undefined;
    out.push({
      personId,
      notice: { type: 'request.alert', request: snap, kind: p.kind, target: p.target, ...(fraction !== undefined ? { fraction } : {}), due: (p.target === 'firstResponse' ? r.firstResponseDue : r.resolutionDue).toISOString() },
      // An extension plans the breach anew: it is told again then.
      idempotencyKey: `request:${r.id}:alert:x${r.extendedMs}:${p.key}`,
      runAt: now,
    });
  }
  return out;
}

/** Sends what is due; answers how many notices were queued (new ones). */
export async function sweepRequestAlerts(o: SweepRequestAlertsOptions): Promise<number> {
  const batch = o.batch ?? 500;
  let sent = 0;
  const skipped = new Set<string>();
  for (;;) {
    const due = (await o.requests.dueForAlerts(o.now, batch)).filter((r) => !skipped.has(r.id));
    if (due.length === 0) return sent;
    for (const r of due) {
      const service = serviceByKey(o.catalog, r.serviceKey);
      const schedule = departmentSchedule(o.directory.org, r.departmentId);
      const closeAt = service && autoCloseAt(r, service, schedule);
      if (closeAt && closeAt <= o.now) {
        // Resolved and not reopened in time: closed by itself, every message updated in place.
        const next: ServiceRequest = { ...r, status: 'closed', closedAt: o.now, nextAlertAt: undefined, version: r.version + 1, last: { action: 'autoClosed', byPersonId: r.requesterId, at: o.now } };
        if (!(await o.requests.update(next, r.version, requestEffects(o.directory, r, next, o.now)))) skipped.add(r.id);
        continue;
      }
      const pauseLimit = service && pauseLimitAt(r, service, schedule);
      if (pauseLimit && pauseLimit <= o.now) {
        const flag = pauseFlagNotice(o.directory, r, 'tooLong', o.now);
        const recorded = await o.requests.recordAlerts(r, o.now, undefined, flag ? [flag] : []);
        if (recorded.stored) sent += recorded.added;
        else skipped.add(r.id);
        continue;
      }
      const plan = service ? requestAlertPlan(r, service, schedule) : [];
      const notices = alertNotices(o.directory, r, alertsDue(plan, r.alertsSentUpTo, o.now), o.now);
      const recorded = await o.requests.recordAlerts(r, o.now, nextAlertOf(plan, o.now), notices);
      // A point sent before a pause or a reassignment comes round again under its key: dropped.
      if (recorded.stored) sent += recorded.added;
      // Changed meanwhile (its change planned it again) or done: not read again in this sweep.
      else skipped.add(r.id);
    }
    if (due.length < batch) return sent;
  }
}
