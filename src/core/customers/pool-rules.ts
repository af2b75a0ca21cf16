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

export type PoolDue = 'release' | 'warn' | 'none';

/**
 * What the nightly sweep does with a customer at `now`: release it once its release time
 * has come, warn the owner within `warningDays` before, else nothing. An extension still
 * running protects it even if releaseAt was somehow left behind.
 */
export function poolDue(
  rules: TPoolRules,
  c: { ownerId?: string; lost: boolean; releaseAt?: Date; extendedUntil?: Date },
  now: Date,
): PoolDue {
  if (!c.ownerId || c.lost || !c.releaseAt) return 'none';
  const releaseAt = c.extendedUntil && c.extendedUntil > c.releaseAt ? c.extendedUntil : c.releaseAt;
  if (releaseAt <= now) return 'release';
  return warningDueAt(rules, releaseAt) <= now ? 'warn' : 'none';
}

/** The latest releaseAt the sweep must look at: everything due or to be warned about. */
export function sweepHorizon(rules: TPoolRules, now: Date): Date {
  return new Date(now.getTime() + rules.warningDays * DAY);
}

/**
 * One warning per customer per release day (in the org's time zone): a re-run of the sweep
 * finds the same key, while a follow-up that moves the release date earns a fresh warning.
 */
export function releaseWarningKey(customerId: string, releaseAt: Date, timezone: string): string {
  return `pool-warning:${customerId}:${releaseAt.toLocaleDateString('sv-SE', { timeZone: timezone })}`;
}

/** An approved extension: the release date moves by `extensionDays`. */
export function extendedReleaseAt(rules: TPoolRules, releaseAt: Date): Date {
  return new Date(releaseAt.getTime() + rules.extensionDays * DAY);
}
