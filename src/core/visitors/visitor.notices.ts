// What the visitors capability tells people later, as data: the host's DM (with its
// buttons), the reporter's live status (one message updated in place), and the escalation
// notices to the host's manager, the person on duty and the department head, and the
// front desk's channel feed. Each carries a
// snapshot of the visit as it stood; the phone travels only to the host and the reporter.
import { z } from 'zod';

const ZReasonSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('expected'), expectedAt: z.string().optional() }),
  z.object({ kind: z.literal('named') }),
  z.object({ kind: z.literal('owner'), customerName: z.string(), since: z.string().optional() }),
  z.object({ kind: z.literal('duty'), from: z.string(), to: z.string() }),
  z.object({ kind: z.literal('salesHead'), department: z.string() }),
  z.object({ kind: z.literal('arbiter') }),
  z.object({ kind: z.literal('handedOver'), byPersonId: z.string() }),
  z.object({ kind: z.literal('picked'), byPersonId: z.string() }),
]);

export const ZVisitSnapshotSchema = z.object({
  visitId: z.string(),
  version: z.number().int(),
  step: z.number().int(),
  reporterId: z.string(),
  company: z.string(),
  visitorNames: z.string().optional(),
  headcount: z.number().int(),
  phone: z.string().optional(),
  askedFor: z.string().optional(),
  purpose: z.string().optional(),
  note: z.string().optional(),
  status: z.enum(['choosing', 'notified', 'coming', 'delayed', 'closed']),
  hostId: z.string().optional(),
  hostReason: ZReasonSchema.optional(),
  choose: z.array(z.string()),
  namedProblem: z.union([z.object({ kind: z.literal('left'), name: z.string(), successor: z.string().optional() }), z.object({ kind: z.literal('unknown') })]).optional(),
  told: z.array(z.string()),
  waitMinutes: z.number().optional(),
  takenById: z.string().optional(),
  takenAt: z.string().optional(),
  lastAction: z.string().optional(),
  lastById: z.string().optional(),
  createdAt: z.string(),
  /** When this state was reached: "waiting N minutes" is counted to it. */
  at: z.string(),
  closedAt: z.string().optional(),
  exhausted: z.boolean().optional(),
  /** The host read the ping (a Lark read receipt) and has not answered. */
  seenAt: z.string().optional(),
  customer: z
    .object({
      id: z.string(),
      name: z.string(),
      ownerId: z.string().optional(),
      stage: z.number(),
      lost: z.boolean(),
      followUps: z.array(z.object({ personId: z.string(), kind: z.string(), note: z.string(), at: z.string() })),
    })
    .optional(),
});
export type TVisitSnapshot = z.infer<typeof ZVisitSnapshotSchema>;

export const ZVisitorHostNoticeSchema = z.object({ type: z.literal('visitor.host'), visit: ZVisitSnapshotSchema, repeat: z.boolean() });
export const ZVisitorStatusNoticeSchema = z.object({ type: z.literal('visitor.status'), visit: ZVisitSnapshotSchema });
export const ZVisitorEscalatedNoticeSchema = z.object({
  type: z.literal('visitor.escalated'),
  visit: ZVisitSnapshotSchema,
  role: z.enum(['manager', 'duty', 'head', 'arbiter']),
});

/** The front desk's feed: one message per visit in its channel, updated in place; never the phone. */
export const ZVisitorFeedNoticeSchema = z.object({ type: z.literal('visitor.feed'), visit: ZVisitSnapshotSchema });

export const VISITOR_NOTICE_SCHEMAS = [ZVisitorHostNoticeSchema, ZVisitorStatusNoticeSchema, ZVisitorEscalatedNoticeSchema, ZVisitorFeedNoticeSchema] as const;
