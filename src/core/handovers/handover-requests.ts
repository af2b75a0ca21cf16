// Use-case part of starting a handover (issue 14 point 5): the leaver's open requests read,
// routed (leaver-requests.ts) for the plan, and turned into request changes with the
// effects any change of a request has — the new assignee's DM, every message of the
// request updated in place, the card — plus one notice to each department head of what
// was moved. Written by the store in the handover's own transaction.
import type { NoticeJob } from '../notices.ts';
import type { OrgDirectory } from '../org/org.ts';
import { requestEnv } from '../requests/act-on-request.ts';
import { serviceByKey, type Catalog } from '../requests/catalog.ts';
import { withNextAlert } from '../requests/request-alerts.ts';
import { requestEffects, requesterKey } from '../requests/request-effects.ts';
import { applyRequestAction, FINAL_STATUSES, type RequestStore, type ServiceRequest } from '../requests/request.ts';
import { departmentSchedule, localDay } from '../time/working-time.ts';
import type { RequestMove } from './handover.ts';
import { routeLeaverRequests, type LeaverRequestRoutes } from './leaver-requests.ts';

/** At most this many of a leaver's requests are read (each way): a person holds a few. */
const READ_LIMIT = 200;

export interface LeaverRequests {
  routes: LeaverRequestRoutes;
  loaded: ServiceRequest[];
}

export const NO_REQUESTS: LeaverRequests = { routes: { reassigned: [], follow: [], stay: [] }, loaded: [] };

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
  const [assigned, mine] = await Promise.all([requests.openAssignedTo(o.leaverId), requests.mine(o.leaverId, READ_LIMIT)]);
  const made = mine.filter((r) => !FINAL_STATUSES.includes(r.status));
  const loaded = (await Promise.all([...new Set([...assigned, ...made].map((r) => r.id))].map((id) => requests.get(id)))).filter((r): r is ServiceRequest => r !== undefined);
  if (!loaded.length) return NO_REQUESTS;
  const byId = new Map(loaded.map((r) => [r.id, r]));
  const keys = [...new Set(assigned.map((r) => r.serviceKey))];
  const lastAssignee = new Map(await Promise.all(keys.map(async (k) => [k, await requests.lastAssignee(k)] as const)));
  const day = localDay(o.now.getTime(), directory.org.timezone);
  const routes = routeLeaverRequests({
    leaverId: o.leaverId,
    assigned: assigned.filter((r) => byId.has(r.id)),
    made: made.filter((r) => byId.has(r.id)).map((r) => ({ id: r.id, number: r.number, customerId: byId.get(r.id)!.customer?.id })),
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

/** The request changes and the heads' notices of a start by `actorId` (handover `handoverId`). */
export function leaverRequestMoves(o: { directory: OrgDirectory; catalog: Catalog; leaverId: string; actorId: string; handoverId: string; found: LeaverRequests; now: Date }): { moves: RequestMove[]; notices: NoticeJob[] } {
  const { directory, now } = o;
  const { routes } = o.found;
  const requesterOf = new Map([...routes.follow, ...routes.stay].map((r) => [r.requestId, r.toPersonId]));
  const assigneeOf = new Map(routes.reassigned.filter((r) => r.toPersonId).map((r) => [r.requestId, r.toPersonId!]));
  const moves: RequestMove[] = [];
  for (const r of o.found.loaded) {
    const to = assigneeOf.get(r.id);
    const requester = requesterOf.get(r.id);
    if (!to && !requester) continue;
    const env = requestEnv(directory, o.catalog, r, now);
    // Reassigned as the head would (the same transition, so the DMs and the card read "reassigned").
    let next = to ? applyRequestAction(r, { kind: 'reassign', toPersonId: to }, { id: o.actorId, isMember: false, isHead: true, isApprover: false }, r.version, env) : { ...r, version: r.version + 1 };
    // A new requester gets the request as their own message, updated in place from then on; the leaver's is updated once more.
    if (requester) next = { ...next, requesterId: requester, requesterMessage: `${requesterKey(r.id)}:${requester}` };
    next = withNextAlert(next, serviceByKey(o.catalog, r.serviceKey), departmentSchedule(directory.org, r.departmentId));
    moves.push({ next, fromVersion: r.version, effects: requestEffects(directory, r, next, now) });
  }
  // Each department head hears which of the leaver's requests went to whom (whoever started it, when the head is the leaver).
  const byHead = new Map<string, { number: number; toPersonId?: string }[]>();
  for (const r of routes.reassigned) {
    const head = directory.department(r.departmentId)?.headId;
    const to = !head || head === o.leaverId ? o.actorId : head;
    byHead.set(to, [...(byHead.get(to) ?? []), { number: r.number, ...(r.toPersonId ? { toPersonId: r.toPersonId } : {}) }]);
  }
  const notices: NoticeJob[] = [...byHead].map(([personId, requests]) => ({
    personId,
    notice: { type: 'handover.requests', leaverId: o.leaverId, requests },
    idempotencyKey: `handover:${o.handoverId}:requests:${personId}`,
    runAt: now,
  }));
  return { moves, notices };
}
