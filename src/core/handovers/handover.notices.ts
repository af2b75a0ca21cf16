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
  steps: z.array(z.object({ itemId: z.string(), customerName: z.string(), kind, visitDay: z.string().optional() })),
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

export const ZHandoverOwnerLeftNoticeSchema = z.object({ type: z.literal('handover.ownerLeft'), leaverId: z.string(), count: z.number().int() });

export const HANDOVER_NOTICE_SCHEMAS = [
  ZHandoverOwnerLeftNoticeSchema,
  ZHandoverStartedNoticeSchema,
  ZHandoverStepNoticeSchema,
  ZHandoverPromptNoticeSchema,
  ZHandoverProgressNoticeSchema,
  ZHandoverOverdueNoticeSchema,
  ZHandoverIncompleteNoticeSchema,
] as const;
