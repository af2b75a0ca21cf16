// What the customers capability tells people later, as data (one schema per notice type):
// checked again when the job that carries a notice runs, rendered by chat/notices/customer.notices.ts.
import { z } from 'zod';

const customer = { customerId: z.string(), customerName: z.string() };

export const ZFollowUpLoggedNoticeSchema = z.object({
  type: z.literal('customer.followUpLogged'),
  ...customer,
  byPersonId: z.string(),
  kind: z.string(),
  note: z.string(),
});

export const ZNearDuplicateClaimedNoticeSchema = z.object({
  type: z.literal('customer.nearDuplicateClaimed'),
  ...customer,
  similarTo: z.string(),
  byPersonId: z.string(),
});

export const ZContestedNoticeSchema = z.object({
  type: z.literal('customer.contested'),
  contestId: z.string(),
  ...customer,
  ownerId: z.string(),
  challengerId: z.string(),
  /** The evidence as it stood when the contest was made (ISO times). */
  ownerSince: z.string().optional(),
  contestedAt: z.string(),
  stage: z.number(),
  history: z.array(
    z.object({
      kind: z.string(),
      fromPersonId: z.string().optional(),
      toPersonId: z.string().optional(),
      byPersonId: z.string().optional(),
      reason: z.string().optional(),
      at: z.string(),
    }),
  ),
  followUps: z.array(z.object({ personId: z.string(), kind: z.string(), note: z.string(), at: z.string() })),
});

export const ZContestDecidedNoticeSchema = z.object({
  type: z.literal('customer.contestDecided'),
  ...customer,
  decision: z.enum(['kept', 'transferred']),
  /** The owner after the decision. */
  ownerId: z.string(),
  challengerId: z.string(),
  byPersonId: z.string(),
  reason: z.string().optional(),
});

/**
 * What became of a warning or a request after it was sent: the message is updated in place
 * to show it (core/customers/pool-messages.ts), its buttons matching the new state.
 */
const ZWarningOutcomeSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('extensionAsked'), approverId: z.string() }),
  z.object({ state: z.literal('extended'), byPersonId: z.string(), releaseAt: z.string() }),
  z.object({ state: z.literal('extensionDenied'), byPersonId: z.string() }),
  z.object({ state: z.literal('followedUp'), releaseAt: z.string() }),
  z.object({ state: z.literal('released'), reason: z.enum(['manual', 'no_follow_up']) }),
  z.object({ state: z.literal('transferred'), toPersonId: z.string() }),
]);

const ZExtensionOutcomeSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('approved'), byPersonId: z.string() }),
  z.object({ state: z.literal('denied'), byPersonId: z.string() }),
  /** Ended without a decision: the customer went back to the pool, or changed hands. */
  z.object({ state: z.literal('void'), why: z.enum(['released', 'ownerChanged']) }),
]);

export const ZReleaseWarningNoticeSchema = z.object({ type: z.literal('customer.releaseWarning'), ...customer, releaseAt: z.string(), outcome: ZWarningOutcomeSchema.optional() });

export const ZExtensionRequestedNoticeSchema = z.object({
  type: z.literal('customer.extensionRequested'),
  requestId: z.string(),
  ...customer,
  ownerId: z.string(),
  releaseAt: z.string(),
  until: z.string(),
  outcome: ZExtensionOutcomeSchema.optional(),
});

export const ZExtensionDecidedNoticeSchema = z.object({
  type: z.literal('customer.extensionDecided'),
  ...customer,
  approved: z.boolean(),
  byPersonId: z.string(),
  releaseAt: z.string(),
});

export const ZReleasedNoticeSchema = z.object({ type: z.literal('customer.released'), ...customer, reason: z.enum(['no_follow_up', 'lost', 'manual']) });

export const CUSTOMER_NOTICE_SCHEMAS = [
  ZFollowUpLoggedNoticeSchema,
  ZNearDuplicateClaimedNoticeSchema,
  ZContestedNoticeSchema,
  ZContestDecidedNoticeSchema,
  ZReleaseWarningNoticeSchema,
  ZExtensionRequestedNoticeSchema,
  ZExtensionDecidedNoticeSchema,
  ZReleasedNoticeSchema,
] as const;
