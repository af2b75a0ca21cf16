// The org file's visitor settings (`visitors:`): how fast an unanswered visit escalates,
// in and outside working hours, how long personal details are kept, which sales department
// receives visitors nobody else does, and people who have left (so a visitor asking for one
// is told so). Defaults here; pure.
import { z } from 'zod';

export const ZVisitorSettingsSchema = z.strictObject({
  escalation: z
    .strictObject({
      /** Minutes without an answer before the next step, inside working hours. */
      workingMinutes: z.number().positive().max(120).default(3),
      /** … outside them (before office hours, weekends, holidays): nobody is at the desk. */
      outsideMinutes: z.number().positive().max(120).default(1),
      /** Steps after the first ping before the ladder stops repeating (the reporter is told). */
      maxSteps: z.number().int().min(2).max(100).default(20),
    })
    .default({ workingMinutes: 3, outsideMinutes: 1, maxSteps: 20 }),
  /** Days a visit's personal details (names, phone, note) are kept. */
  retentionDays: z.number().int().min(1).max(3650).default(180),
  /** The sales department whose head receives visitors nobody else does. */
  salesDepartment: z.string().min(1).optional(),
  /** People who have left: a visitor asking for one is told so, and routing goes on. */
  formerStaff: z.array(z.strictObject({ name: z.string().min(1), successor: z.string().min(1).optional() })).default([]),
});
export type TVisitorSettings = z.infer<typeof ZVisitorSettingsSchema>;
export const DEFAULT_VISITOR_SETTINGS: TVisitorSettings = ZVisitorSettingsSchema.parse({});
