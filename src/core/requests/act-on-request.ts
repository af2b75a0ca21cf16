// Use case: a press (or command) on a request — approve, decline, take, start, wait on the
// requester, resume, resolve, confirm, reopen, cancel, reassign. Applied once, from the
// version the button was shown with, and stored only if the row is still at that version
// (re-checked in the database): a double click or a stale button changes nothing and says
// what happened since. Every message of the request is updated in place with the change.
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import { wallClock } from '../time/wall-clock.ts';
import { addWorkingTime, departmentSchedule, durationMs, localDay } from '../time/working-time.ts';
import type { Catalog } from './catalog.ts';
import { serviceByKey } from './catalog.ts';
import { withNextAlert } from './request-alerts.ts';
import { approverOf, pauseFlagged, ratePromptKey, requestEffects, requesterMessageKey, requestSnapshot } from './request-effects.ts';
import { pauseFlags } from './pause-audit.ts';
import { applyRequestAction, staleRequestError, type RequestAction, type RequestEnv, type RequestStore, type ServiceRequest } from './request.ts';

export interface ActOnRequestOptions {
  requests: RequestStore;
  directory: OrgDirectory;
  catalog: Catalog;
  actor: Person;
  requestId: string;
  version: number;
  action: RequestAction;
  /** Going to "waiting on requester": what is missing, asked of the requester in their message's thread. */
  note?: string;
  now: Date;
}

/** Names and times as a refusal quotes them: the org file's names, the department's zone. */
export function requestEnv(directory: OrgDirectory, catalog: Catalog, r: ServiceRequest, now: Date): RequestEnv {
  const schedule = departmentSchedule(directory.org, r.departmentId);
  const service = serviceByKey(catalog, r.serviceKey) ?? { targets: { firstResponse: { hours: 0 }, resolution: { hours: 0 } } };
  const members = new Set(directory.department(r.departmentId)?.memberIds ?? []);
  return {
    now, schedule, service, isMemberId: (id) => members.has(id), nameOf: (id) => directory.person(id)?.name ?? id,
    timeOf: (d) => {
      const w = wallClock(d.getTime(), schedule.timezone);
      return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')} ${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
    },
  };
}

export async function actOnRequest(o: ActOnRequestOptions): Promise<ServiceRequest> {
  const { directory, now } = o;
  const r = await o.requests.get(o.requestId);
  if (!r) throw new AppError('NOT_FOUND', 'no such request', { reason: 'request.notFound' });
  const env = requestEnv(directory, o.catalog, r, now);
  const department = directory.department(r.departmentId);
  const actor = {
    id: o.actor.id,
    // The assignee works on what is theirs even from outside the department (a head in another one, someone covering for a leaver).
    isMember: (department?.memberIds.includes(o.actor.id) ?? false) || r.assigneeId === o.actor.id,
    isHead: department?.headId === o.actor.id,
    isApprover: approverOf(directory, r) === o.actor.id,
  };
  const service = serviceByKey(o.catalog, r.serviceKey);
  const next = withNextAlert(applyRequestAction(r, o.action, actor, o.version, env), service, env.schedule);
  const effects = requestEffects(directory, r, next, now);
  if (next.status === 'resolved' && r.status !== 'resolved') {
    // Resolved: the requester is asked for a rating (once); the promises made to the customer are settled.
    if (service && !r.rating) {
      const closesAt = new Date(addWorkingTime(now.getTime(), service.ratingWindow, env.schedule));
      effects.notices.push({ personId: r.requesterId, notice: { type: 'request.rate', request: requestSnapshot(directory, next), closesAt: closesAt.toISOString() }, idempotencyKey: ratePromptKey(r.id), runAt: now });
      effects.ratingClose = { requestId: r.id, at: closesAt };
    }
    if (r.customer) effects.settlePromises = { customerId: r.customer.id, serviceKey: r.serviceKey, day: localDay(now.getTime(), env.schedule.timezone), requestId: r.id, at: now };
  }
  if (o.action.kind === 'wait' && service) {
    // The pause audit: "waiting on requester" right after the requester said what was missing.
    const flags = pauseFlags({ pausedAt: now.getTime(), lastRequesterCommentAt: r.lastRequesterCommentAt?.getTime(), now: now.getTime(), maxPauseMs: durationMs(service.maxPause, env.schedule), schedule: env.schedule });
    const flagged = flags.includes('soonAfterComment') ? pauseFlagged(directory, next, 'soonAfterComment', now) : undefined;
    if (flagged) {
      effects.notices.push(...flagged.notices);
      effects.pauseFlags = [flagged.record];
    }
  }
  if (o.action.kind === 'take' && r.customer) {
    // Whoever serves the request serves the customer too: it is in the customer's history as theirs.
    effects.followUp = { customerId: r.customer.id, personId: o.actor.id, note: `#${r.number} ${r.display.serviceName[directory.localeOf(o.actor)]}`, at: now };
  }
  if (o.action.kind === 'wait' && o.note) {
    const id = randomUUID();
    effects.comment = { id, requestId: r.id, byPersonId: o.actor.id, text: o.note, at: now };
    effects.notices.push({
      personId: r.requesterId,
      notice: { type: 'request.comment', requestId: r.id, number: r.number, serviceName: r.display.serviceName, byPersonId: o.actor.id, text: o.note },
      idempotencyKey: `request:${r.id}:comment:${id}:${r.requesterId}`,
      runAt: now,
      thread: requesterMessageKey(r),
    });
  }
  if (!(await o.requests.update(next, r.version, effects))) {
    // Changed between the read and the write (a second press, another replica).
    throw staleRequestError((await o.requests.get(r.id)) ?? r, env);
  }
  return next;
}
