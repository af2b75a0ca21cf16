// Use case: a comment on a request (`comment <number> <text>` / 评论, or a reply typed in
// the thread of one of the request's messages), relayed to the other side as a reply in the thread of that side's message
// of the request: the requester's comment to the assignee, a member's to the requester (and
// to the assignee when someone else in the department writes). The requester's comment also
// goes under the department channel's card, once the card is there. The requester's last
// comment is kept for the pause audit; a comment changes no button (no new version).
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { NoticeJob } from '../notices.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import { cardKey, dmKey, requesterMessageKey } from './request-effects.ts';
import { FINAL_STATUSES, type CardThreadNotice, type RequestStore, type ServiceRequest } from './request.ts';

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
  const notice = { type: 'request.comment' as const, requestId: r.id, number: r.number, serviceName: r.display.serviceName, byPersonId: o.actor.id, text: o.text };
  const notices: NoticeJob[] = [...to].map((personId) => ({
    personId,
    notice,
    idempotencyKey: `request:${r.id}:comment:${id}:${personId}`,
    runAt: o.now,
    thread: personId === r.requesterId ? requesterMessageKey(r) : dmKey(r.id, personId),
  }));
  // The card is in the channel once the department may see it (after the approval, when one is needed).
  const channel = o.directory.department(r.departmentId)?.channel;
  const card: CardThreadNotice | undefined =
    byRequester && (channel?.slack || channel?.lark) && r.status !== 'submitted'
      ? { departmentId: r.departmentId, notice, idempotencyKey: `request:${r.id}:comment:${id}:card`, runAt: o.now, thread: cardKey(r.id) }
      : undefined;
  await o.requests.addComment({ id, requestId: r.id, byPersonId: o.actor.id, byRequester, text: o.text, at: o.now }, notices, card);
  return { request: r, to: [...to] };
}
