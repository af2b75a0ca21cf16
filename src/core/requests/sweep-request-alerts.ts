// Use case: the deadline sweep. Finds the requests whose next reminder or escalation is due
// (through the nextAlertAt index, never the closed history), and for each, in one
// transaction stored only if the request is still as read: the notices due since the last
// sweep — the assignee reminded at the catalog's fractions, the head told at breach (with
// Reassign and Extend) and again on the catalog's period, the head's manager at `escalateAt`
// times the target — and the next point. A request that changed meanwhile was re-planned by
// that change (a moot reminder is never sent); a crash or a second replica sends nothing twice.
// Who hears at each threshold is the catalog's `reminders.to` (people by role or by id, the
// department's channel); by default the assignee, the head, the head's manager.
import type { ChannelPlace, Notice, OutboxEntry } from '../notices.ts';
import type { OrgDirectory } from '../org/org.ts';
import { departmentSchedule } from '../time/working-time.ts';
import type { AlertPoint, AlertRecipient } from './alerts.ts';
import { serviceByKey, type Catalog } from './catalog.ts';
import { alertsDue, autoCloseAt, nextAlertOf, pauseLimitAt, requestAlertPlan } from './request-alerts.ts';
import { pauseFlagged, requestEffects, requestSnapshot } from './request-effects.ts';
import type { RequestStore, ServiceRequest } from './request.ts';

export interface SweepRequestAlertsOptions {
  requests: RequestStore;
  directory: OrgDirectory;
  catalog: Catalog;
  now: Date;
  /** Requests read per batch. */
  batch?: number;
}

/** The people a recipient of the catalog names for this request (none when the org has nobody there). */
function peopleOf(directory: OrgDirectory, r: ServiceRequest, to: AlertRecipient): string[] {
  const head = directory.department(r.departmentId)?.headId;
  const one = (id: string | undefined) => (id && directory.person(id) ? [id] : []);
  if (to === 'channel') return [];
  if (typeof to === 'object') return one(to.person);
  if (to === 'assignee') return one(r.assigneeId ?? head);
  if (to === 'head') return one(head);
  const headPerson = head ? directory.person(head) : undefined;
  return one(headPerson ? directory.manager(headPerson)?.id : undefined);
}

/** The department's channels (one per platform it names one on), for a recipient `channel`. */
function channelsOf(directory: OrgDirectory, r: ServiceRequest): ChannelPlace[] {
  const channel = directory.department(r.departmentId)?.channel;
  return (['slack', 'lark'] as const).flatMap((platform) => (channel?.[platform] ? [{ platform, id: channel[platform]! }] : []));
}

/** The notices of the points due now for one request: each point to everyone the catalog names for its threshold, each once. */
export function alertNotices(directory: OrgDirectory, r: ServiceRequest, due: readonly AlertPoint[], now: Date): OutboxEntry[] {
  const snap = requestSnapshot(directory, r);
  const out: OutboxEntry[] = [];
  for (const p of due) {
    const fraction = p.kind === 'remind' ? Number(p.key.split(':').at(-1)) / 100 : undefined;
    const notice: Notice = { type: 'request.alert', request: snap, kind: p.kind, target: p.target, ...(fraction !== undefined ? { fraction } : {}), due: (p.target === 'firstResponse' ? r.firstResponseDue : r.resolutionDue).toISOString() };
    // An extension plans the breach anew: it is told again then.
    const key = `request:${r.id}:alert:x${r.extendedMs}:${p.key}`;
    const people = new Set(p.to.flatMap((to) => peopleOf(directory, r, to)));
    for (const personId of people) out.push({ personId, notice, idempotencyKey: `${key}:${personId}`, runAt: now });
    if (p.to.includes('channel')) for (const channel of channelsOf(directory, r)) out.push({ channel, notice, idempotencyKey: `${key}:channel:${channel.platform}`, runAt: now });
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
        const flagged = pauseFlagged(o.directory, r, 'tooLong', o.now);
        const recorded = await o.requests.recordAlerts(r, o.now, undefined, flagged?.notices ?? [], flagged ? [flagged.record] : []);
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
