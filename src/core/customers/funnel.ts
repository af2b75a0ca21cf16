// The funnel (shared/seeds/003): 0% never contacted → 25% contact verified → 50% key
// person and need found → 75% need matched to our product → 100% deal closed; `lost`
// ends the relationship. Each stage asks for its evidence. Pure.
import { z } from 'zod';

export const STAGES = [0, 25, 50, 75, 100] as const;
export type Stage = (typeof STAGES)[number];
export type StageOrLost = Stage | 'lost';

export function parseStage(raw: string): StageOrLost | undefined {
  const s = raw.trim().replace(/%$/, '').toLowerCase();
  if (s === 'lost' || s === '丢失' || s === '流失') return 'lost';
  const n = Number(s);
  return (STAGES as readonly number[]).includes(n) && s !== '' ? (n as Stage) : undefined;
}

const text = (max: number) => z.string().trim().min(1).max(max);

/** What each stage must be backed by. */
export const ZStageEvidenceSchema = {
  0: z.object({}).strict(),
  25: z
    .object({ contactName: text(100), phone: text(40).optional(), email: z.email().optional() })
    .refine((e) => e.phone !== undefined || e.email !== undefined, { message: 'evidence.contactReach' }),
  50: z.object({ keyPerson: text(100), need: text(500) }),
  75: z.object({ product: text(200) }),
  100: z.object({ deal: text(500), amount: z.coerce.number().positive().max(1e12).optional() }),
  lost: z.object({ reason: text(500) }),
} as const;

export type TStageEvidence = { [K in StageOrLost]: z.infer<(typeof ZStageEvidenceSchema)[K]> };
