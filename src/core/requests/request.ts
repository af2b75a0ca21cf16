// A service request as the core sees it, its lifecycle and the store the use cases need.
//
//   submitted ──approve──► approved ──take──► taken ──start──► inProgress ──resolve──► resolved ──confirm──► closed
//      │ (manager)            ▲                 │  ◄──resume── waiting ◄──wait──┘  ▲          └──reopen──► inProgress
//      └─decline─► declined   │ (no approval)   └──────────────wait / resolve──────┘
//   cancel (the requester) from any state before resolved.
//
// Every change bumps `version`; a button carries the version it was shown with, so a double
// click or a stale button changes nothing and says what happened since. Who may do what:
// department members (and its assignee, who may be from elsewhere) work on it, only the
// requester cancels, confirms or reopens, only the requester's manager approves, only the
// head reassigns. Pure.
import type { RequestDigestRows } from './request-digest.ts';
import { AppError } from '../errors.ts';
import type { Notice, NoticeJob, OutboxEntry } from '../notices.ts';
import { addWorkingTime, dailyWorkingMs, durationMs, workingMsBetween, type WorkingSchedule } from '../time/working-time.ts';
import type { CatalogService, Texts } from './catalog.ts';
import type { PauseFlag } from './pause-audit.ts';

export const REQUEST_STATUSES = ['submitted', 'approved', 'taken', 'inProgress', 'waiting', 'resolved', 'closed', 'cancelled', 'declined'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Still the department's to work on: reminders run, `queue` lists them. */
export const OPEN_STATUSES: readonly RequestStatus[] = ['approved', 'taken', 'inProgress', 'waiting'];
/** Nothing more happens to it. */
export const FINAL_STATUSES: readonly RequestStatus[] = ['closed', 'cancelled', 'declined'];

export type RequestActionKind = 'approve' | 'decline' | 'take' | 'start' | 'wait' | 'resume' | 'resolve' | 'confirm' | 'reopen' | 'cancel' | 'reassign' | 'extend';
export type RequestAction = { kind: Exclude<RequestActionKind, 'reassign' | 'extend'> } | { kind: 'reassign'; toPersonId: string } | { kind: 'extend'; workingMs?: number };

/** A form value as stored: text, a number, yes/no, a list of choices. */
export type RequestFieldValue = string | number | boolean | string[];

export interface ServiceRequest {
  id: string;
  number: number;
  serviceKey: string;
  departmentId: string;
  requesterId: string;
  assigneeId?: string;
  status: RequestStatus;
  fields: Record<string, RequestFieldValue>;
  customer?: { id: string; name: string };
  version: number;
  clockStart: Date;
  firstResponseDue: Date;
  resolutionDue: Date;
  /** Working ms the clock was paused (waiting on the requester) so far. */
  pausedMs: number;
  pausedAt?: Date;
  respondedAt?: Date;
  resolvedAt?: Date;
  closedAt?: Date;
  submittedAt: Date;
  /** Everyone who got the request as a DM to act on (its assignees, the approver): their messages are updated in place. */
  told: string[];
  /** The key of the requester's message when it is not the submitter's (a leaver's request taken over by their successor: request-effects.ts). */
  requesterMessage?: string;
  /** Who approves instead of the requester's manager (the manager's own manager, when the manager left: a handover). */
  approverId?: string;
  last: { action: RequestActionKind | 'submitted' | 'autoClosed'; byPersonId: string; at: Date };
  /** When the requester last commented (the pause audit). */
  lastRequesterCommentAt?: Date;
  /** Working ms the head added to the resolution target. */
  extendedMs: number;
  /** The requester's 1–5 (absent: no answer, never a score). */
  rating?: { score: number; comment?: string; at: Date };
  /** The rating prompt closed unanswered (its window ended): no rating after it. */
  ratingClosedAt?: Date;
  /** The next reminder or escalation due; undefined when none is (closed, paused, all sent). */
  nextAlertAt?: Date;
  /** Reminders due up to this instant were sent. */
  alertsSentUpTo?: Date;
  /** How it reads, fixed at submission (the service's name and the form's values in both languages): the catalog may change later. */
  display: RequestDisplay;
}

export interface RequestDisplay {
  serviceName: Texts;
  fields: { label: Texts; value: Texts }[];
}

/** What the actor is to the request (from the org file). */
export interface RequestActor {
  id: string;
  isMember: boolean;
  isHead: boolean;
  isApprover: boolean;
}

/** A press on a request in a state it was not shown in: what happened since, by whom, when. */
export function staleRequestError(r: ServiceRequest, env: { nameOf: (id: string) => string; timeOf: (d: Date) => string }): AppError {
  return new AppError('ALREADY_DONE', 'request changed since', { reason: 'request.stale', number: r.number, status: r.status, by: env.nameOf(r.last.byPersonId), at: env.timeOf(r.last.at) });
}

/** The due instants from the clock's start, the targets and the time paused so far. */
export function deadlines(service: Pick<CatalogService, 'targets'>, clockStart: Date, pausedMs: number, schedule: WorkingSchedule, extendedMs = 0): { firstResponseDue: Date; resolutionDue: Date } {
  const start = clockStart.getTime();
  return {
    firstResponseDue: new Date(addWorkingTime(start, durationMs(service.targets.firstResponse, schedule), schedule)),
    resolutionDue: new Date(addWorkingTime(start, durationMs(service.targets.resolution, schedule) + extendedMs + pausedMs, schedule)),
  };
}

const FROM: Record<RequestActionKind, readonly RequestStatus[]> = {
  approve: ['submitted'],
  decline: ['submitted'],
  take: ['approved'],
  start: ['taken'],
  wait: ['taken', 'inProgress'],
  resume: ['waiting'],
  resolve: ['taken', 'inProgress', 'waiting'],
  confirm: ['resolved'],
  reopen: ['resolved'],
  cancel: ['submitted', 'approved', 'taken', 'inProgress', 'waiting'],
  reassign: ['approved', 'taken', 'inProgress', 'waiting'],
  extend: ['approved', 'taken', 'inProgress', 'waiting'],
};

type Who = 'member' | 'requester' | 'approver' | 'head' | 'memberOrRequester';
const WHO: Record<RequestActionKind, Who> = {
  approve: 'approver', decline: 'approver', take: 'member', start: 'member', wait: 'member', resume: 'memberOrRequester',
  resolve: 'member', confirm: 'requester', reopen: 'requester', cancel: 'requester', reassign: 'head', extend: 'head',
};

function mayAct(who: Who, r: ServiceRequest, a: RequestActor): boolean {
  switch (who) {
    case 'member':
      return a.isMember;
    case 'requester':
      return a.id === r.requesterId;
    case 'approver':
      return a.isApprover;
    case 'head':
      return a.isHead;
    case 'memberOrRequester':
      return a.isMember || a.id === r.requesterId;
  }
}

const REFUSAL: Record<Who, 'request.notMember' | 'request.notRequester' | 'request.notApprover' | 'request.notHead'> = {
  member: 'request.notMember', requester: 'request.notRequester', approver: 'request.notApprover', head: 'request.notHead', memberOrRequester: 'request.notMember',
};

export interface RequestEnv {
  now: Date;
  schedule: WorkingSchedule;
  service: Pick<CatalogService, 'targets'>;
  isMemberId: (personId: string) => boolean;
  nameOf: (id: string) => string;
  timeOf: (d: Date) => string;
}

/** The request after `action` by `actor`, pressed on the message showing `version`; refuses with a reason. */
export function applyRequestAction(r: ServiceRequest, action: RequestAction, actor: RequestActor, version: number, env: RequestEnv): ServiceRequest {
  if (version !== r.version) throw staleRequestError(r, env);
  const who = WHO[action.kind];
  if (!mayAct(who, r, actor)) throw new AppError('FORBIDDEN', 'may not act on this request', { reason: REFUSAL[who] });
  if (!FROM[action.kind].includes(r.status)) throw staleRequestError(r, env);
  const { now } = env;
  const next: ServiceRequest = { ...r, version: r.version + 1, last: { action: action.kind, byPersonId: actor.id, at: now } };
  // Leaving "waiting on requester": the working time it waited is added to the clock's pause.
  const unpause = () => {
    if (r.status !== 'waiting' || !r.pausedAt) return;
    next.pausedMs = r.pausedMs + workingMsBetween(r.pausedAt.getTime(), now.getTime(), env.schedule);
    next.pausedAt = undefined;
    next.resolutionDue = deadlines(env.service, r.clockStart, next.pausedMs, env.schedule, r.extendedMs).resolutionDue;
  };
  switch (action.kind) {
    case 'approve':
      // The department's clock starts when the manager approves.
      return { ...next, status: 'approved', clockStart: now, ...deadlines(env.service, now, 0, env.schedule), told: r.assigneeId && !r.told.includes(r.assigneeId) ? [...r.told, r.assigneeId] : r.told };
    case 'decline':
      return { ...next, status: 'declined', closedAt: now };
    case 'take':
      return { ...next, status: 'taken', assigneeId: actor.id, respondedAt: r.respondedAt ?? now, told: r.told.includes(actor.id) ? r.told : [...r.told, actor.id] };
    case 'start':
      return { ...next, status: 'inProgress', assigneeId: r.assigneeId ?? actor.id };
    case 'wait':
      return { ...next, status: 'waiting', pausedAt: now };
    case 'resume':
      unpause();
      return { ...next, status: 'inProgress' };
    case 'resolve':
      unpause();
      return { ...next, status: 'resolved', resolvedAt: now, assigneeId: r.assigneeId ?? actor.id };
    case 'confirm':
      return { ...next, status: 'closed', closedAt: now };
    case 'reopen':
      return { ...next, status: 'inProgress', resolvedAt: undefined };
    case 'cancel':
      unpause();
      return { ...next, status: 'cancelled', closedAt: now };
    case 'reassign': {
      const to = action.toPersonId;
      if (!env.isMemberId(to)) throw new AppError('INVALID_INPUT', 'not a member', { reason: 'request.notAMember', name: env.nameOf(to) });
      if (to === r.assigneeId) throw new AppError('INVALID_INPUT', 'already theirs', { reason: 'request.alreadyAssigned', name: env.nameOf(to) });
      return { ...next, assigneeId: to, told: r.told.includes(to) ? r.told : [...r.told, to] };
    }
    case 'extend': {
      // One working day of the department's hours unless told otherwise.
      const extendedMs = r.extendedMs + (action.workingMs ?? dailyWorkingMs(env.schedule));
      return { ...next, extendedMs, resolutionDue: deadlines(env.service, r.clockStart, r.pausedMs, env.schedule, extendedMs).resolutionDue };
    }
  }
}

/** One page of a person's requests or a department's queue. */
export type RequestListItem = Pick<ServiceRequest, 'id' | 'number' | 'serviceKey' | 'departmentId' | 'requesterId' | 'assigneeId' | 'status' | 'resolutionDue' | 'submittedAt'>;

/** A notice for the department channel, as a reply in the thread of the request's card there (a requester's comment). */
export interface CardThreadNotice {
  departmentId: string;
  notice: Notice;
  idempotencyKey: string;
  runAt: Date;
  /** The card's key (request-effects.ts cardKey). */
  thread: string;
}

export interface RequestStore {
  /** Stores a new request, numbered here, with the effects of the numbered request; the same duplicate key again answers the request stored under it. */
  create(r: ServiceRequest, duplicateKey: string, effectsFor: (numbered: ServiceRequest) => RequestEffects): Promise<{ ok: true; request: ServiceRequest } | { ok: false; existing: ServiceRequest }>;
  get(id: string): Promise<ServiceRequest | undefined>;
  /** Stores `next` only if the row is still at `fromVersion`, with its effects; false when it moved on. */
  update(next: ServiceRequest, fromVersion: number, effects: RequestEffects): Promise<boolean>;
  /** Who the service's previous request went to (rotation continues after them). */
  lastAssignee(serviceKey: string): Promise<string | undefined>;
  /** Members away on `day` (YYYY-MM-DD). */
  awayOn(day: string): Promise<{ personId: string; from: string; to: string }[]>;
  /** Records the absence with its notices (the head offered the open requests), in one transaction. */
  addAway(a: { personId: string; from: string; to: string; at: Date }, notices: NoticeJob[]): Promise<void>;
  byNumber(number: number): Promise<ServiceRequest | undefined>;
  /** Requests whose next alert is due by `now`, earliest first (read through the nextAlertAt index only). */
  dueForAlerts(now: Date, limit: number): Promise<ServiceRequest[]>;
  /** Records the alerts sent up to `sentUpTo` and the next one, with their notices, only if the request is as read (version and next alert); `added`: the notices not sent before (a key seen before is dropped). */
  recordAlerts(r: ServiceRequest, sentUpTo: Date, nextAlertAt: Date | undefined, notices: OutboxEntry[], pauseFlags?: PauseFlagRecord[]): Promise<{ stored: boolean; added: number }>;
  /** The pause audit's flags raised in [from, to) on requests of `departmentIds`, oldest first (bounded): what the digest counts. */
  flaggedPauses(departmentIds: string[], from: Date, to: Date): Promise<PauseFlagRecord[]>;
  /** Stores a comment with the notices relaying it, in one transaction (the requester's last comment kept for the pause audit). */
  addComment(c: { id: string; requestId: string; byPersonId: string; byRequester: boolean; text: string; at: Date }, notices: NoticeJob[], card?: CardThreadNotice): Promise<void>;
  /** Stores the rating once (false when it was rated already, or its prompt closed), with its notices. */
  rate(id: string, rating: { score: number; comment?: string; at: Date }, notices: NoticeJob[]): Promise<boolean>;
  /** Closes the rating prompt unanswered, once, with its notices (false when it was rated or closed already). */
  closeRating(id: string, at: Date, notices: NoticeJob[]): Promise<boolean>;
  recordPromise(p: ServicePromise): Promise<void>;
  /**
   * The digest's rows (request-digest.ts) of the requests made by `requesterIds` (a manager's
   * line) or received by `departmentIds` (a head's): submitted and resolved in [from, to),
   * still open past their deadline at `to`, and the promises of the period (bounded lists).
   */
  digestRows(scope: { requesterIds: string[] } | { departmentIds: string[] }, from: Date, to: Date): Promise<RequestDigestRows>;
  /** The services with requests not over yet: among `keys` (in) or outside them (not in) — a catalog edit may not drop them. */
  openServiceKeys(keys: string[], among: boolean): Promise<string[]>;
  mine(requesterId: string, limit: number): Promise<RequestListItem[]>;
  /** A department's open requests, nearest resolution deadline first. */
  queue(departmentId: string, limit: number): Promise<RequestListItem[]>;
  /** A person's open requests (for `away`: the head is offered them). */
  openAssignedTo(personId: string): Promise<RequestListItem[]>;
}

/** What a change sends besides storing itself: DMs (new or in place), the channel card, a follow-up on the customer. */
export interface RequestEffects {
  notices: NoticeJob[];
  /** The department channel's card: sent the first time, replaced in place after. */
  card?: { departmentId: string; notice: Notice; key: string; first: boolean; at: Date };
  followUp?: { customerId: string; personId: string; note: string; at: Date };
  /** A comment stored with the change (what is missing, asked when it goes to "waiting on requester"). */
  comment?: { id: string; requestId: string; byPersonId: string; text: string; at: Date };
  /** The pause audit's flags raised by this change (stored with it, once per pause and flag). */
  pauseFlags?: PauseFlagRecord[];
  /** Resolved: the rating prompt closes then, unanswered or not (the `request.ratingClose` job, once per request). */
  ratingClose?: { requestId: string; at: Date };
  /** Resolved for a customer: the promises of that service to that customer are settled, kept when the day is on or before the date promised. */
  settlePromises?: { customerId: string; serviceKey: string; day: string; requestId: string; at: Date };
}

/** A pause flagged by the audit (pause-audit.ts): the head is told, and it is stored for the digest. */
export interface PauseFlagRecord {
  requestId: string;
  departmentId: string;
  flag: PauseFlag;
  /** When the pause began. */
  pausedAt: Date;
  /** When it was flagged. */
  flaggedAt: Date;
}

/** A date promised to a customer for a service (`promise`). */
export interface ServicePromise {
  customerId?: string;
  company: string;
  serviceKey: string;
  date: string;
  personId: string;
  at: Date;
}

