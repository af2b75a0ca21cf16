// A request as its notices carry it (request.notices.ts), and what a change sends: the
// requester's status, a DM to each person who acts on it (the approver, the assignees),
// and the department channel's card — each sent once and then updated in place. Pure.
import type { NoticeJob } from '../notices.ts';
import type { OrgDirectory } from '../org/org.ts';
import { departmentSchedule } from '../time/working-time.ts';
import type { PauseFlagRecord, RequestEffects, ServiceRequest } from './request.ts';
import type { PauseFlag } from './pause-audit.ts';
import type { RequestAudience, TRequestSnapshot } from './request.notices.ts';

export const requesterKey = (id: string) => `request:${id}:requester`;
/** The requester's message of `r`: the submitter's, or the one a new requester was sent (a leaver's handover). */
export const requesterMessageKey = (r: Pick<ServiceRequest, 'id' | 'requesterMessage'>) => r.requesterMessage ?? requesterKey(r.id);
export const dmKey = (id: string, personId: string) => `request:${id}:dm:${personId}`;
export const cardKey = (id: string) => `request:${id}:card`;
/** The requester's rating prompt (sent once, on the first resolution). */
export const ratePromptKey = (id: string) => `request:${id}:rate`;

/** Keys of the messages about one request a reply in whose thread is a comment on it: the requester's status, a DM, the channel card, a relayed comment, a reminder. */
const THREADED_KEY = /^request:([^:]+):(?:requester|dm|card|comment|alert)(?::|$)/;

/** The request a message sent under `key` is about, when a reply in its thread is a comment on it; undefined for any other message. */
export function requestOfMessageKey(key: string): string | undefined {
  return THREADED_KEY.exec(key)?.[1];
}

export function requestSnapshot(directory: OrgDirectory, r: ServiceRequest): TRequestSnapshot {
  const requester = directory.person(r.requesterId);
  const timezone = departmentSchedule(directory.org, requester?.departmentId ?? r.departmentId).timezone;
  return {
    requestId: r.id, number: r.number, version: r.version, serviceKey: r.serviceKey, serviceName: r.display.serviceName, departmentId: r.departmentId,
    requesterId: r.requesterId, assigneeId: r.assigneeId, approverId: approverOf(directory, r), status: r.status, fields: r.display.fields, customerName: r.customer?.name,
    firstResponseDue: r.firstResponseDue.toISOString(), resolutionDue: r.resolutionDue.toISOString(), timezone,
    respondedAt: r.respondedAt?.toISOString(), resolvedAt: r.resolvedAt?.toISOString(), lastAction: r.last.action, lastById: r.last.byPersonId, at: r.last.at.toISOString(),
  };
}

/** The requester's manager, who approves when the service asks for it (or whoever a handover gave the approval to). */
export function approverOf(directory: OrgDirectory, r: Pick<ServiceRequest, 'requesterId' | 'approverId'>): string | undefined {
  if (r.approverId) return r.approverId;
  const p = directory.person(r.requesterId);
  return p ? directory.manager(p)?.id : undefined;
}

/** The notices of a change from `prev` (undefined: just submitted) to `next`. */
export function requestEffects(directory: OrgDirectory, prev: ServiceRequest | undefined, next: ServiceRequest, at: Date): RequestEffects {
  const snap = requestSnapshot(directory, next);
  const notice = (audience: RequestAudience) => ({ type: 'request.status' as const, request: snap, audience });
  const one = (personId: string, key: string, audience: RequestAudience, first: boolean): NoticeJob => ({
    personId, notice: notice(audience), idempotencyKey: first ? key : `${key}:v${next.version}`, runAt: at, ...(first ? {} : { replaces: key }),
  });
  const key = requesterMessageKey(next);
  const notices: NoticeJob[] = [one(next.requesterId, key, 'requester', !prev || requesterMessageKey(prev) !== key)];
  // A new requester: the former one's message is updated in place as well (it shows who has it now).
  if (prev && prev.requesterId !== next.requesterId) notices.push(one(prev.requesterId, requesterMessageKey(prev), 'requester', false));
  const members = directory.department(next.departmentId)?.memberIds ?? [];
  for (const personId of next.told) {
    // The requester's own message is the one above (a requester who is also a member acts from it).
    if (personId === next.requesterId) continue;
    notices.push(one(personId, dmKey(next.id, personId), personId === next.assigneeId ? 'assignee' : members.includes(personId) ? 'member' : 'approver', !prev?.told.includes(personId)));
  }
  const department = directory.department(next.departmentId);
  const hasChannel = Boolean(department?.channel?.slack || department?.channel?.lark);
  const effects: RequestEffects = { notices };
  // The card appears once the department may see it (after the approval, when one is needed).
  if (hasChannel && next.status !== 'submitted' && !(next.status === 'declined' || (next.status === 'cancelled' && (!prev || prev.status === 'submitted')))) {
    effects.card = { departmentId: next.departmentId, notice: notice('channel'), key: cardKey(next.id), first: !prev || prev.status === 'submitted', at };
  }
  return effects;
}

/** The pause audit's flag: its record (stored for the digest), and its notice to the department head (none without a head). */
export function pauseFlagged(directory: OrgDirectory, r: ServiceRequest, flag: PauseFlag, at: Date): { record: PauseFlagRecord; notices: NoticeJob[] } | undefined {
  if (!r.pausedAt) return undefined;
  const record: PauseFlagRecord = { requestId: r.id, departmentId: r.departmentId, flag, pausedAt: r.pausedAt, flaggedAt: at };
  const head = directory.department(r.departmentId)?.headId;
  if (!head) return { record, notices: [] };
  return { record, notices: [{ personId: head, notice: { type: 'request.pauseFlag', request: requestSnapshot(directory, r), flag, pausedAt: r.pausedAt.toISOString() }, idempotencyKey: `request:${r.id}:pause:${r.pausedAt.toISOString()}:${flag}`, runAt: at }] };
}
