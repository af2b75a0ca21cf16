// What the handovers capability tells people later, as data (rendered by
// chat/notices/handover.notices.ts).
import { z } from 'zod';

export const ZHandoverStartedNoticeSchema = z.object({
  type: z.literal('handover.started'),
  handoverId: z.string(),
  leaverId: z.string(),
  lastDay: z.string(),
  byPersonId: z.string(),
});

export const ZHandoverStepNoticeSchema = z.object({
  type: z.literal('handover.stepRecorded'),
  itemId: z.string(),
  customerName: z.string(),
  byPersonId: z.string(),
  part: z.enum(['leaverDone', 'successorDone', 'visitDay', 'note']),
  completed: z.boolean(),
});

const kind = z.enum(['call', 'visit', 'note']);

/** A person's working-morning list of pending steps, counted back from the last day. */
export const ZHandoverPromptNoticeSchema = z.object({
  type: z.literal('handover.prompt'),
  daysLeft: z.number().int(),
  counts: z.object({ call: z.number().int(), visit: z.number().int(), note: z.number().int() }),
  steps: z.array(z.object({ itemId: z.string(), customerName: z.string(), kind, visitDay: z.string().optional(), leaver: z.boolean().optional() })),
});

export const ZHandoverProgressNoticeSchema = z.object({
  type: z.literal('handover.progress'),
  handoverId: z.string(),
  leaverId: z.string(),
  done: z.number().int(),
  total: z.number().int(),
  daysLeft: z.number().int(),
});

const itemRef = { itemId: z.string(), customerName: z.string(), leaverId: z.string(), successorId: z.string() };
export const ZHandoverOverdueNoticeSchema = z.object({ type: z.literal('handover.overdue'), ...itemRef, dueDay: z.string() });
export const ZHandoverIncompleteNoticeSchema = z.object({ type: z.literal('handover.incomplete'), ...itemRef });

/** Someone gone who still holds work: customers (count), expected visits they host, open contests they decide, duty slots, open requests assigned to them. */
export const ZHandoverOwnerLeftNoticeSchema = z.object({
  type: z.literal('handover.ownerLeft'),
  leaverId: z.string(),
  count: z.number().int(),
  visits: z.number().int().default(0),
  contests: z.number().int().default(0),
  duty: z.number().int().default(0),
  requests: z.number().int().default(0),
});

/**
 * The leaver's open requests of a department, back to its assignment rule (to whom; none:
 * nobody but the leaver could take it — then, for the head, the request and version an
 * Assign button acts on, and its department whose members the form offers, or anyone in the
 * org when the leaver was its only member).
 */
export const ZHandoverRequestsNoticeSchema = z.object({
  type: z.literal('handover.requests'),
  leaverId: z.string(),
  requests: z.array(z.object({ number: z.number().int(), toPersonId: z.string().optional(), requestId: z.string().optional(), version: z.number().int().optional(), departmentId: z.string().optional() })),
});

/** The leaver's org-file roles, for the admins to edit (kehu never writes the org file). */
export const ZHandoverOrgEditsNoticeSchema = z.object({
  type: z.literal('handover.orgEdits'),
  leaverId: z.string(),
  roles: z.array(
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('duty'), days: z.string(), from: z.string(), to: z.string() }),
      z.object({ kind: z.literal('orgArbiter') }),
      z.object({ kind: z.literal('departmentArbiter'), department: z.string() }),
      z.object({ kind: z.literal('departmentHead'), department: z.string() }),
    ]),
  ),
});

/** A joint visit's reminder (the day before, the morning of). */
export const ZHandoverVisitReminderNoticeSchema = z.object({ type: z.literal('handover.visitReminder'), itemId: z.string(), customerName: z.string(), visitDay: z.string(), when: z.enum(['dayBefore', 'morning']), withId: z.string() });

/** A change by the manager line: reassigned to someone else, a new last day, cancelled. */
export const ZHandoverChangedNoticeSchema = z.object({
  type: z.literal('handover.changed'),
  leaverId: z.string(),
  byPersonId: z.string(),
  change: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('reassigned'), customerName: z.string(), itemId: z.string(), fromId: z.string(), toId: z.string() }),
    z.object({ kind: z.literal('lastDay'), lastDay: z.string() }),
    z.object({ kind: z.literal('cancelled') }),
  ]),
});

/** A successor left mid-handover: their pending customer went back to the plan (to `newId`, or waits for a Reassign). */
export const ZHandoverSuccessorLeftNoticeSchema = z.object({ type: z.literal('handover.successorLeft'), itemId: z.string(), customerName: z.string(), leaverId: z.string(), goneId: z.string(), newId: z.string().optional() });

export const HANDOVER_NOTICE_SCHEMAS = [
  ZHandoverRequestsNoticeSchema,
  ZHandoverSuccessorLeftNoticeSchema,
  ZHandoverOrgEditsNoticeSchema,
  ZHandoverVisitReminderNoticeSchema,
  ZHandoverChangedNoticeSchema,
  ZHandoverOwnerLeftNoticeSchema,
  ZHandoverStartedNoticeSchema,
  ZHandoverStepNoticeSchema,
  ZHandoverPromptNoticeSchema,
  ZHandoverProgressNoticeSchema,
  ZHandoverOverdueNoticeSchema,
  ZHandoverIncompleteNoticeSchema,
] as const;
