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

export const HANDOVER_NOTICE_SCHEMAS = [ZHandoverStartedNoticeSchema, ZHandoverStepNoticeSchema] as const;
