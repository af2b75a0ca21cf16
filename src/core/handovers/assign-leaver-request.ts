// Use case: a leaver's open request that nobody else could take at the handover's start
// (the head is the leaver, or there is none) assigned by the person told of it — the
// department head, or the leaver's manager line — to a member of the department (themself
// when they are one); when the leaver was the department's only member, to anyone in the
// org who covers it (the head, or whoever they pick), who then works on it as its assignee.
// The same reassignment as the head's (and as the start's), from the version the button
// saw: a request changed since is refused in words, nothing written.
import { AppError } from '../errors.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import { requestEnv } from '../requests/act-on-request.ts';
import type { Catalog } from '../requests/catalog.ts';
import { staleRequestError, type RequestStore, type ServiceRequest } from '../requests/request.ts';
import { mayTakeLeaverRequest, reassignedAsHead, requestMove } from './handover-requests.ts';
import { mayManage } from './successors.ts';

export interface AssignLeaverRequestOptions {
  requests: RequestStore;
  directory: OrgDirectory;
  catalog: Catalog;
  actor: Person;
  leaverId: string;
  requestId: string;
  version: number;
  toPersonId: string;
  now: Date;
}

export async function assignLeaverRequest(o: AssignLeaverRequestOptions): Promise<ServiceRequest> {
  const { directory, actor, now } = o;
  const r = await o.requests.get(o.requestId);
  if (!r) throw new AppError('NOT_FOUND', 'no such request', { reason: 'request.notFound' });
  if (directory.department(r.departmentId)?.headId !== actor.id && !mayManage(directory, actor, o.leaverId)) throw new AppError('FORBIDDEN', 'not in the line', { reason: 'handover.notInLine' });
  const may = mayTakeLeaverRequest(directory, r.departmentId, o.leaverId, o.toPersonId);
  const name = directory.person(o.toPersonId)?.name ?? o.toPersonId;
  if (!may.ok) throw may.covering ? new AppError('INVALID_INPUT', 'cannot cover', { reason: 'handover.cannotCover', person: name }) : new AppError('INVALID_INPUT', 'not a member', { reason: 'request.notAMember', name });
  const move = requestMove(directory, o.catalog, r, reassignedAsHead(directory, o.catalog, r, o.toPersonId, actor.id, o.version, now, may.covering), now);
  if (!(await o.requests.update(move.next, move.fromVersion, move.effects))) throw staleRequestError((await o.requests.get(r.id)) ?? r, requestEnv(directory, o.catalog, r, now));
  return move.next;
}
