// The thin-stage rule (shared/seeds/003): which stage of a rep's funnel holds too few
// customers, what that says about the rep, and the training that fixes it. Pure.
//
// The rule, with its thresholds:
// - The book is the rep's customers by current stage (not lost). The seed's typical shape
//   is 100 → 50 → 20 → 10 → 5 (SEED_SHAPE): of 185 customers, 100 at 0%, 50 at 25% …
// - Nothing is diagnosed from fewer than MIN_CUSTOMERS (20) customers: status 'tooFew'.
// - The expected count at a stage is the book's size times the stage's share of the shape
//   (the seed's, or the team's when given and the team holds MIN_CUSTOMERS or more).
//   A stage is judged only where that expectation is at least MIN_EXPECTED_AT_STAGE (2):
//   a rep of 40 customers is expected to hold 1.1 at 100%, and none there says nothing.
//   So 100% is judged from 74 customers on (seed shape), 75% from 37, 50% from 19.
// - A judged stage is thin when it holds less than THIN_FACTOR (half) of its expected count.
//   Of several thin stages the thinnest (lowest observed / expected) is named; on a tie the
//   earlier one, as a thin stage upstream starves the ones below it.
import { STAGES, type Stage } from '../customers/funnel.ts';

export type StageCounts = Record<Stage, number>;

export const SEED_SHAPE: StageCounts = { 0: 100, 25: 50, 50: 20, 75: 10, 100: 5 };
export const MIN_CUSTOMERS = 20;
export const MIN_EXPECTED_AT_STAGE = 2;
export const THIN_FACTOR = 0.5;

/** What few customers at a stage say (the seed's words), and the training each suggests. */
export const DIAGNOSIS_RULES = {
  0: { cause: 'prospecting', training: 'prospecting' },
  25: { cause: 'leadSources', training: 'leadSources' },
  50: { cause: 'communication', training: 'communication' },
  75: { cause: 'productKnowledge', training: 'productKnowledge' },
  100: { cause: 'negotiation', training: 'negotiation' },
} as const satisfies Record<Stage, { cause: string; training: string }>;

export type ThinCause = (typeof DIAGNOSIS_RULES)[Stage]['cause'];

export interface Diagnosis {
  /** 'tooFew': under MIN_CUSTOMERS; 'healthy': no judged stage is thin. */
  status: 'tooFew' | 'healthy' | 'thin';
  /** Which shape the counts were held against. */
  basis: 'seed' | 'team';
  total: number;
  expected: StageCounts;
  /** The stages with enough expected customers to judge. */
  judged: Stage[];
  thin?: { stage: Stage; cause: ThinCause; observed: number; expected: number };
}

const sum = (c: StageCounts) => STAGES.reduce<number>((n, s) => n + c[s], 0);

export function diagnose(counts: StageCounts, team?: StageCounts): Diagnosis {
  const total = sum(counts);
  const basis = team && sum(team) >= MIN_CUSTOMERS ? 'team' : 'seed';
  const shape = basis === 'team' ? team! : SEED_SHAPE;
  const shapeTotal = sum(shape);
  const expected = Object.fromEntries(STAGES.map((s) => [s, (total * shape[s]) / shapeTotal])) as StageCounts;
  if (total < MIN_CUSTOMERS) return { status: 'tooFew', basis, total, expected, judged: [] };
  // A hair of tolerance: 74 × 5 / 185 is 2 in exact arithmetic.
  const judged = STAGES.filter((s) => expected[s] >= MIN_EXPECTED_AT_STAGE - 1e-9);
  let thinnest: { stage: Stage; ratio: number } | undefined;
  for (const stage of judged) {
    const ratio = counts[stage] / expected[stage];
    if (ratio < THIN_FACTOR && (!thinnest || ratio < thinnest.ratio)) thinnest = { stage, ratio };
  }
  if (!thinnest) return { status: 'healthy', basis, total, expected, judged };
  const stage = thinnest.stage;
  return { status: 'thin', basis, total, expected, judged, thin: { stage, cause: DIAGNOSIS_RULES[stage].cause, observed: counts[stage], expected: expected[stage] } };
}

/** Zero at every stage. */
export function emptyCounts(): StageCounts {
  return { 0: 0, 25: 0, 50: 0, 75: 0, 100: 0 };
}

export function addCounts(a: StageCounts, b: StageCounts): StageCounts {
  return Object.fromEntries(STAGES.map((s) => [s, a[s] + b[s]])) as StageCounts;
}
