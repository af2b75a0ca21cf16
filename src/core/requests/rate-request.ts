// Use cases: the requester rates a resolved request 1–5 with an optional comment — once,
// while the rating window is open (working time from the resolution). Stored on the
// request (per department and assignee); no answer stays none, never a score. A 1 or 2
// tells the department head. The prompt is updated in place at once ("rated 4/5 — thank
// you"), whether answered by its stars or by `rate`. At the window's end the prompt closes unanswered: updated in
// place ("rating closed, none given"), and no rating is taken after it.
import { AppError } from '../errors.ts';
import type { NoticeJob } from '../notices.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import { addWorkingTime, departmentSchedule } from '../time/working-time.ts';
import { serviceByKey, type Catalog } from './catalog.ts';
import { ratePromptKey, requestSnapshot } from './request-effects.ts';
import type { RequestStore, ServiceRequest } from './request.ts';

export interface RateRequestOptions {
  requests: RequestStore;
  directory: OrgDirectory;
  catalog: Catalog;
  actor: Person;
  /** By id (the prompt's buttons) or by number (`rate <number> …`). */
  request: { id: string } | { number: number };
  score: number;
  comment?: string;
  now: Date;
}

export const LOW_RATING = 2;

export async function rateRequest(o: RateRequestOptions): Promise<ServiceRequest> {
  const r = 'id' in o.request ? await o.requests.get(o.request.id) : await o.requests.byNumber(o.request.number);
  if (!r) throw new AppError('NOT_FOUND', 'no such request', { reason: 'request.notFound' });
  if (o.actor.id !== r.requesterId) throw new AppError('FORBIDDEN', 'not the requester', { reason: 'request.notRequester' });
  if (!Number.isInteger(o.score) || o.score < 1 || o.score > 5) throw new AppError('INVALID_INPUT', 'bad score', { reason: 'request.badScore' });
  if (r.rating) throw new AppError('ALREADY_DONE', 'rated already', { reason: 'request.rated', number: r.number, score: r.rating.score });
  if (r.ratingClosedAt) throw new AppError('CONFLICT', 'rating closed', { reason: 'request.ratingClosed', number: r.number });
  const service = serviceByKey(o.catalog, r.serviceKey);
  const schedule = departmentSchedule(o.directory.org, r.departmentId);
  const open = r.resolvedAt && (r.status === 'resolved' || r.status === 'closed') && (!service || o.now.getTime() <= addWorkingTime(r.resolvedAt.getTime(), service.ratingWindow, schedule));
  if (!open) throw new AppError('CONFLICT', 'rating closed', { reason: 'request.ratingClosed', number: r.number });
  const rating = { score: o.score, comment: o.comment, at: o.now };
  // The prompt, wherever it was answered from (its stars or `rate`), shows the score at once instead of its buttons.
  const notices: NoticeJob[] = [{ personId: r.requesterId, notice: { type: 'request.rated', request: requestSnapshot(o.directory, r), score: o.score }, idempotencyKey: `${ratePromptKey(r.id)}:rated`, runAt: o.now, replaces: ratePromptKey(r.id) }];
  const head = o.directory.department(r.departmentId)?.headId;
  if (o.score <= LOW_RATING && head) {
    notices.push({ personId: head, notice: { type: 'request.lowRating', request: requestSnapshot(o.directory, r), score: o.score, ...(o.comment ? { comment: o.comment } : {}) }, idempotencyKey: `request:${r.id}:lowRating`, runAt: o.now });
  }
  if (!(await o.requests.rate(r.id, rating, notices))) throw new AppError('ALREADY_DONE', 'rated already', { reason: 'request.rated', number: r.number, score: o.score });
  return { ...r, rating };
}

export interface CloseRatingOptions {
  requests: RequestStore;
  directory: OrgDirectory;
  requestId: string;
  now: Date;
}

/** The rating window ended (the `request.ratingClose` job): unanswered, the prompt shows it closed with none given; answered, nothing. True when it closed it. */
export async function closeRating(o: CloseRatingOptions): Promise<boolean> {
  const r = await o.requests.get(o.requestId);
  if (!r || r.rating || r.ratingClosedAt) return false;
  const notice: NoticeJob = { personId: r.requesterId, notice: { type: 'request.rateClosed', request: requestSnapshot(o.directory, r) }, idempotencyKey: `${ratePromptKey(r.id)}:closed`, runAt: o.now, replaces: ratePromptKey(r.id) };
  return o.requests.closeRating(r.id, o.now, [notice]);
}
