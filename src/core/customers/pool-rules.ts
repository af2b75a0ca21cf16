// The public pool (公海): how long a claim is protected without follow-up, when the owner
// is warned, how many customers a rep may hold, and the cool-down before a previous
// owner may claim again. Defaults here; the org file may override. Pure.
import { z } from 'zod';
import type { Stage } from './funnel.ts';

export const ZPoolRulesSchema = z.strictObject({
  /** Days without a follow-up before release, by stage (later stages are protected longer). */
  protectionDays: z
    .strictObject({ 0: z.number().int().min(1), 25: z.number().int().min(1), 50: z.number().int().min(1), 75: z.number().int().min(1), 100: z.number().int().min(1) })
    .default({ 0: 30, 25: 30, 50: 45, 75: 60, 100: 90 }),
  /** Days before release the owner is warned. */
  warningDays: z.number().int().min(0).default(5),
  /** Customers a rep may hold at once; 100% customers don't count. */
  maxHeld: z.number().int().min(1).default(200),
  /** Days before the previous owner may claim a released customer again. */
  cooldownDays: z.number().int().min(0).default(14),
  /** Days an approved extension adds. */
  extensionDays: z.number().int().min(1).default(15),
});
export type TPoolRules = z.infer<typeof ZPoolRulesSchema>;
export const DEFAULT_POOL_RULES: TPoolRules = ZPoolRulesSchema.parse({});

const DAY = 24 * 60 * 60 * 1000;

/** When a customer goes back to the pool if nobody follows up. */
export function releaseDueAt(rules: TPoolRules, stage: Stage, lastTouch: Date, extendedUntil?: Date): Date {
  const due = new Date(lastTouch.getTime() + rules.protectionDays[stage] * DAY);
  return extendedUntil && extendedUntil > due ? extendedUntil : due;
}

export function warningDueAt(rules: TPoolRules, releaseAt: Date): Date {
  return new Date(releaseAt.getTime() - rules.warningDays * DAY);
}

export function cooldownEndsAt(rules: TPoolRules, releasedAt: Date): Date {
  return new Date(releasedAt.getTime() + rules.cooldownDays * DAY);
}

/** 100% customers are won business, not a claim on the pool: they don't count. */
export function countsTowardCap(stage: Stage | 'lost'): boolean {
  return stage !== 100 && stage !== 'lost';
}
