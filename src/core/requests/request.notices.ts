// What the service-requests capability tells people later, as data: one notice type, the
// request as it stands, rendered for its reader — the requester's status, the assignee's
// DM with their buttons, the manager's approval, the department channel's card. Each is
// one message updated in place at every transition.
import { z } from 'zod';

const ZTextsSchema = z.object({ en: z.string(), 'zh-CN': z.string() });

export const ZRequestSnapshotSchema = z.object({
  requestId: z.string(),
  number: z.number().int(),
  version: z.number().int(),
  serviceKey: z.string(),
  serviceName: ZTextsSchema,
  departmentId: z.string(),
  requesterId: z.string(),
  assigneeId: z.string().optional(),
  /** Who approves it (the requester's manager, or whoever a handover gave it to); absent in notices queued before it was carried. */
  approverId: z.string().optional(),
  status: z.enum(['submitted', 'approved', 'taken', 'inProgress', 'waiting', 'resolved', 'closed', 'cancelled', 'declined']),
  fields: z.array(z.object({ label: ZTextsSchema, value: ZTextsSchema })),
  customerName: z.string().optional(),
  firstResponseDue: z.string(),
  resolutionDue: z.string(),
  /** The zone the deadlines are shown in (the requester's: their department's, else the org's). */
  timezone: z.string(),
  respondedAt: z.string().optional(),
  resolvedAt: z.string().optional(),
  lastAction: z.string(),
  lastById: z.string(),
  at: z.string(),
});
export type TRequestSnapshot = z.infer<typeof ZRequestSnapshotSchema>;

/** Who reads it: the requester, the assignee, another member told before (reassigned, taken by someone else), the approver, the channel. */
export const REQUEST_AUDIENCES = ['requester', 'assignee', 'member', 'approver', 'channel'] as const;
export type RequestAudience = (typeof REQUEST_AUDIENCES)[number];

export const ZRequestStatusNoticeSchema = z.object({ type: z.literal('request.status'), request: ZRequestSnapshotSchema, audience: z.enum(REQUEST_AUDIENCES) });

/** A member is away: their head is offered their open requests, each with a Reassign button. */
export const ZRequestAwayNoticeSchema = z.object({
  type: z.literal('request.away'),
  personId: z.string(),
  from: z.string(),
  to: z.string(),
  requests: z.array(z.object({ requestId: z.string(), number: z.number().int(), version: z.number().int(), serviceName: ZTextsSchema })),
});

/** A comment relayed to the other side, in the thread of their message of the request. */
export const ZRequestCommentNoticeSchema = z.object({ type: z.literal('request.comment'), requestId: z.string(), number: z.number().int(), serviceName: ZTextsSchema, byPersonId: z.string(), text: z.string() });

/** A reminder (the assignee, at the catalog's fractions), a breach or its repeat (the head, with Reassign and Extend), the escalation upward (the head's manager). */
export const ZRequestAlertNoticeSchema = z.object({
  type: z.literal('request.alert'),
  request: ZRequestSnapshotSchema,
  kind: z.enum(['remind', 'breach', 'repeat', 'upward']),
  target: z.enum(['firstResponse', 'resolution']),
  /** The share of the target gone, for a reminder (0.5). */
  fraction: z.number().optional(),
  /** The target's deadline. */
  due: z.string(),
});

/** Resolved: the requester is asked for 1–5, once, until the rating window closes. */
export const ZRequestRateNoticeSchema = z.object({ type: z.literal('request.rate'), request: ZRequestSnapshotSchema, closesAt: z.string() });
/** The rating window ended with no answer: the prompt, in place, says so (no rating is recorded). */
export const ZRequestRateClosedNoticeSchema = z.object({ type: z.literal('request.rateClosed'), request: ZRequestSnapshotSchema });
/** Rated (the stars or `rate`): the prompt, in place, shows the score and the thanks instead of its buttons. */
export const ZRequestRatedNoticeSchema = z.object({ type: z.literal('request.rated'), request: ZRequestSnapshotSchema, score: z.number().int() });
/** A rating of 1 or 2: the department head hears of it. */
export const ZRequestLowRatingNoticeSchema = z.object({ type: z.literal('request.lowRating'), request: ZRequestSnapshotSchema, score: z.number().int(), comment: z.string().optional() });
/** The pause audit: put on "waiting on requester" right after the requester's comment, or paused longer than the catalog allows. */
export const ZRequestPauseFlagNoticeSchema = z.object({ type: z.literal('request.pauseFlag'), request: ZRequestSnapshotSchema, flag: z.enum(['soonAfterComment', 'tooLong']), pausedAt: z.string() });

export const REQUEST_NOTICE_SCHEMAS = [
  ZRequestStatusNoticeSchema,
  ZRequestAwayNoticeSchema,
  ZRequestCommentNoticeSchema,
  ZRequestAlertNoticeSchema,
  ZRequestRateNoticeSchema,
  ZRequestRateClosedNoticeSchema,
  ZRequestRatedNoticeSchema,
  ZRequestLowRatingNoticeSchema,
  ZRequestPauseFlagNoticeSchema,
] as const;
