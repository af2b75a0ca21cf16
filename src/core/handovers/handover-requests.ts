// Use-case part of starting a handover (issue 14 point 5): the leaver's open requests read
// (assigned to them, made by them, and their reports' requests waiting for their approval),
// routed (leaver-requests.ts) for the plan, and turned into request changes with the
// effects any change of a request has — the new assignee's or approver's DM, every message
// of the request updated in place, the card — plus one notice to each department head of
// what was moved, with an Assign button for each one nobody else could take. Written by
// the store in the handover's own transaction.
import type { NoticeJob } from '../notices.ts';
import type { OrgDirectory } from '../org/org.ts';
import { requestEnv } from '../requests/act-on-request.ts';
import { serviceByKey, type Catalog } from '../requests/catalog.ts';
import { withNextAlert } from '../requests/request-alerts.ts';
import { approverOf, requestEffects, requesterKey } from '../requests/request-effects.ts';
import { applyRequestAction, FINAL_STATUSES, type RequestStore, type ServiceRequest } from '../requests/request.ts';
import { departmentSchedule, localDay } from '../time/working-time.ts';
import type { HandoverStore, RequestMove } from './handover.ts';
import { routeLeaverRequests, type LeaverRequestRoutes } from './leaver-requests.ts';

/** At most this many of a leaver's requests are read (each way): a person holds a few. */
const READ_LIMIT = 200;

export interface LeaverRequests {
  routes: LeaverRequestRoutes;
  loaded: ServiceRequest[];
}

export const NO_REQUESTS: LeaverRequests = { routes: { reassigned: [], follow: [], stay: [], approvals: [] }, loaded: [] };

export async function leaverRequests(o: {
  requests: RequestStore;
  catalog: Catalog;
  directory: OrgDirectory;
  leaverId: string;
  successorOf: ReadonlyMap<string, string>;
  fallbackRequesterId: string;
  now: Date;
}): Promise<LeaverRequests> {
  const { requests, directory } = o;
  const reports = directory.people.filter((p) => directory.manager(p)?.id === o.leaverId);
  const [assigned, mine, ofReports] = await Promise.all([
    requests.openAssignedTo(o.leaverId),
    requests.mine(o.leaverId, READ_LIMIT),
    Promise.all(reports.map((p) => requests.mine(p.id, READ_LIMIT))),
  ]);
  const made = mine.filter((r) => !FINAL_STATUSES.includes(r.status));
  const submitted = ofReports.flat().filter((r) => r.status === 'submitted');
  const loaded = (await Promise.all([...new Set([...assigned, ...made, ...submitted].map((r) => r.id))].map((id) => requests.get(id)))).filter((r): r is ServiceRequest => r !== undefined);
  if (!loaded.length) return NO_REQUESTS;
  const byId = new Map(loaded.map((r) => [r.id, r]));
  // Theirs to approve: the reports' submitted requests whose approver is the leaver (not one a handover already gave someone else).
  const awaitingApproval = submitted.filter((r) => byId.has(r.id) && approverOf(directory, byId.get(r.id)!) === o.leaverId);
  const keys = [...new Set(assigned.map((r) => r.serviceKey))];
  const lastAssignee = new Map(await Promise.all(keys.map(async (k) => [k, await requests.lastAssignee(k)] as const)));
  const day = localDay(o.now.getTime(), directory.org.timezone);
  const routes = routeLeaverRequests({
    leaverId: o.leaverId,
    assigned: assigned.filter((r) => byId.has(r.id)),
    made: made.filter((r) => byId.has(r.id)).map((r) => ({ id: r.id, number: r.number, customerId: byId.get(r.id)!.customer?.id })),
    awaitingApproval,
    successorOf: o.successorOf,
    ruleOf: (key) => serviceByKey(o.catalog, key)?.assign,
    department: (id) => directory.department(id),
    lastAssignee,
    away: await requests.awayOn(day),
    day,
    fallbackRequesterId: o.fallbackRequesterId,
  });
  return { routes, loaded };
}

/**
 * Who acts for a leaver where their manager role is asked for — the approver of their reports'
 * requests, the new requester of what they made: their own manager, else whoever started the
 * handover. The same at the start and for a request submitted while it is open.
 */
export function leaverStandIn(directory: OrgDirectory, leaverId: string, startedById: string): string {
  const leaver = directory.person(leaverId);
  return (leaver && directory.manager(leaver)?.id) || startedById;
}

/**
 * For submit-request.ts: once a manager is being handed over (open, or done already: a
 * handover of 0% customers only is done at its start), their reports' new requests go to
 * their stand-in to approve, not to them; a cancelled one changes nothing.
 */
export function handoverApprover(store: Pick<HandoverStore, 'lastByLeaver'>, directory: OrgDirectory): (managerId: string) => Promise<string | undefined> {
  return async (managerId) => {
    const handover = await store.lastByLeaver(managerId);
    return handover ? leaverStandIn(directory, managerId, handover.startedById) : undefined;
  };
}

/**
 * `r` given to `to` as its department head would give it (the same transition: the DMs and
 * the card read "reassigned"), from `fromVersion`. `covering`: `to` is not in the department
 * (someone covering for a leaver who was its only member, chosen by the person told).
 */
export function reassignedAsHead(directory: OrgDirectory, catalog: Catalog, r: ServiceRequest, to: string, byPersonId: string, fromVersion: number, now: Date, covering = false): ServiceRequest {
  const env = requestEnv(directory, catalog, r, now);
  return applyRequestAction(r, { kind: 'reassign', toPersonId: to }, { id: byPersonId, isMember: false, isHead: true, isApprover: false }, fromVersion, covering ? { ...env, isMemberId: (id) => id === to || env.isMemberId(id) } : env);
}

/** The change from `r` to `next` as the store writes it: its next reminder, and the effects any change of a request has. */
export function requestMove(directory: OrgDirectory, catalog: Catalog, r: ServiceRequest, next: ServiceRequest, now: Date): RequestMove {
  const moved = withNextAlert(next, serviceByKey(catalog, r.serviceKey), departmentSchedule(directory.org, r.departmentId));
  return { next: moved, fromVersion: r.version, effects: requestEffects(directory, r, moved, now) };
}

/** Who may take a leaver's request nobody could: the department's members but the leaver and anyone leaving. */
export function assignableMembers(directory: OrgDirectory, departmentId: string, leaverId: string): string[] {
  return (directory.department(departmentId)?.memberIds ?? []).filter((id) => id !== leaverId && !directory.person(id)?.leftOn);
}

/**
 * Whether `personId` may be given a leaver's request nobody could take: a member (not the
 * leaver, not leaving); when the leaver was the department's only one, anyone in the org
 * file who is not leaving covers it (the department head, or whoever the person told picks).
 */
export function mayTakeLeaverRequest(directory: OrgDirectory, departmentId: string, leaverId: string, personId: string): { ok: boolean; covering: boolean } {
  const members = assignableMembers(directory, departmentId, leaverId);
  if (members.length) return { ok: members.includes(personId), covering: false };
  const p = directory.person(personId);
  return { ok: Boolean(p) && personId !== leaverId && !p!.leftOn, covering: true };
}

type HeadsRequest = { number: number; toPersonId?: string; requestId?: string; version?: number; departmentId?: string };

/** The request changes and the heads' notices of a start by `actorId` (handover `handoverId`). */
export function leaverRequestMoves(o: { directory: OrgDirectory; catalog: Catalog; leaverId: string; actorId: string; handoverId: string; found: LeaverRequests; now: Date }): { moves: RequestMove[]; notices: NoticeJob[] } {
  const { directory, now } = o;
  const { routes } = o.found;
  const requesterOf = new Map([...routes.follow, ...routes.stay].map((r) => [r.requestId, r.toPersonId]));
  const assigneeOf = new Map(routes.reassigned.filter((r) => r.toPersonId).map((r) => [r.requestId, r.toPersonId!]));
  const newApproverOf = new Map(routes.approvals.map((r) => [r.requestId, r.toPersonId]));
  const moves: RequestMove[] = [];
  for (const r of o.found.loaded) {
    const to = assigneeOf.get(r.id);
    const requester = requesterOf.get(r.id);
    const approver = newApproverOf.get(r.id);
    if (!to && !requester && !approver) continue;
    let next = to ? reassignedAsHead(directory, o.catalog, r, to, o.actorId, r.version, now) : { ...r, version: r.version + 1 };
    // A new requester gets the request as their own message, updated in place from then on; the leaver's is updated once more.
    if (requester) next = { ...next, requesterId: requester, requesterMessage: `${requesterKey(r.id)}:${requester}` };
    // A new approver gets the request as a DM with Approve / Decline; the leaver's DM is updated in place (its buttons then refused).
    if (approver) next = { ...next, approverId: approver, told: next.told.includes(approver) ? next.told : [...next.told, approver] };
    moves.push(requestMove(directory, o.catalog, r, next, now));
  }
  // Each department head hears which of the leaver's requests went to whom (whoever started it, when the head is the leaver);
  // one nobody else could take carries what the Assign button needs (the request as it stands: it did not move): a member
  // to give it to, or, when the leaver was the department's only one, anyone to cover it.
  const loadedById = new Map(o.found.loaded.map((r) => [r.id, r]));
  const byHead = new Map<string, HeadsRequest[]>();
  for (const r of routes.reassigned) {
    const head = directory.department(r.departmentId)?.headId;
    const to = !head || head === o.leaverId ? o.actorId : head;
    const stuck = r.toPersonId ? undefined : loadedById.get(r.requestId);
    byHead.set(to, [...(byHead.get(to) ?? []), { number: r.number, ...(r.toPersonId ? { toPersonId: r.toPersonId } : {}), ...(stuck ? { requestId: stuck.id, version: stuck.version, departmentId: stuck.departmentId } : {}) }]);
  }
  const notices: NoticeJob[] = [...byHead].map(([personId, requests]) => ({
    personId,
    notice: { type: 'handover.requests', leaverId: o.leaverId, requests },
    idempotencyKey: `handover:${o.handoverId}:requests:${personId}`,
    runAt: now,
  }));
  return { moves, notices };
}
