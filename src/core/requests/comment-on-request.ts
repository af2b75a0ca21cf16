// Use case: a comment on a request (`comment <number> <text>` / 评论, or a reply typed in
// the thread of one of the request's messages), relayed to the other side as a reply in the thread of that side's message
// of the request: the requester's comment to the assignee, a member's to the requester (and
// to the assignee when someone else in the department writes). The requester's last
// comment is kept for the pause audit; a comment changes no button (no new version).
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { NoticeJob } from '../notices.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import { dmKey, requesterMessageKey } from './request-effects.ts';
import { FINAL_STATUSES, type RequestStore, type ServiceRequest } from './request.ts';

export interface CommentOnRequestOptions {
  requests: RequestStore;
  directory: OrgDirectory;
  actor: Person;
  /** By number (`comment <number> …`) or by id (a reply in the thread of one of its messages). */
  request: { number: number } | { id: string };
  text: string;
  now: Date;
}

export async function commentOnRequest(o: CommentOnRequestOptions): Promise<{ request: ServiceRequest; to: string[] }> {
  const r = 'id' in o.request ? await o.requests.get(o.request.id) : await o.requests.byNumber(o.request.number);
  if (!r) throw new AppError('NOT_FOUND', 'no such request', { reason: 'request.notFound' });
  const members = o.directory.department(r.departmentId)?.memberIds ?? [];
  const byRequester = o.actor.id === r.requesterId;
  if (!byRequester && !members.includes(o.actor.id)) throw new AppError('FORBIDDEN', 'not a party', { reason: 'request.notParty' });
  if (FINAL_STATUSES.includes(r.status)) throw new AppError('CONFLICT', 'request is over', { reason: 'request.over', number: r.number });
  const to = new Set<string>();
  if (!byRequester) to.add(r.requesterId);
  if (r.assigneeId && r.assigneeId !== o.actor.id) to.add(r.assigneeId);
  const id = randomUUID();
  const notices: NoticeJob[] = [...to].map((personId) => ({
    personId,
    notice: { type: 'request.comment', requestId: r.id, number: r.number, serviceName: r.display.serviceName, byPersonId: o.actor.id, text: o.text },
    idempotencyKey: `request:${r.id}:comment:${id}:${personId}`,
    runAt: o.now,
    thread: personId === r.requesterId ? requesterMessageKey(r) : dmKey(r.id, personId),
  }));
  await o.requests.addComment({ id, requestId: r.id, byPersonId: o.actor.id, byRequester, text: o.text, at: o.now }, notices);
  return { request: r, to: [...to] };
}
