// Zeros and sums of RepFigures, for reps without rows and for team totals. Pure.
import { STAGES } from '../customers/funnel.ts';
import { addCounts, emptyCounts } from './diagnosis.ts';
import { FOLLOW_UP_KINDS, type RepFigures, type TouchCounts, type WeekFigures } from './digest.ts';

export const emptyTouches = (): TouchCounts => Object.fromEntries(FOLLOW_UP_KINDS.map((k) => [k, 0])) as TouchCounts;
const addTouches = (a: TouchCounts, b: TouchCounts): TouchCounts => Object.fromEntries(FOLLOW_UP_KINDS.map((k) => [k, a[k] + b[k]])) as TouchCounts;
export const touchTotal = (t: TouchCounts) => FOLLOW_UP_KINDS.reduce((n, k) => n + t[k], 0);

/** Zeros, with `weeks` (the query's, for a person without rows) at zero too. */
export function emptyFigures(weeks: readonly { key: string }[] = []): RepFigures {
  return {
    stages: emptyCounts(),
    untouched: emptyCounts(),
    moves: { claims: 0, advances: 0, deals: 0, dealAmount: 0, losses: 0, releases: 0, poolClaims: 0 },
    conversions: { 0: { advanced: 0, lost: 0 }, 25: { advanced: 0, lost: 0 }, 50: { advanced: 0, lost: 0 }, 75: { advanced: 0, lost: 0 }, 100: { advanced: 0, lost: 0 } },
    touches: { period: emptyTouches(), days30: emptyTouches() },
    contests: { raised: 0, against: 0, decided: 0 },
    nearDuplicates: 0,
    atRisk: { releasingSoon: 0, staleOpportunities: 0 },
    weeks: weeks.map((w) => ({ week: w.key, claims: 0, advances: 0, deals: 0, touches: 0 })),
  };
}

export function addFigures(a: RepFigures, b: RepFigures): RepFigures {
  const sumOf = <T extends object>(x: T, y: T): T => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, (v as number) + ((y as Record<string, number>)[k] ?? 0)])) as T;
  return {
    stages: addCounts(a.stages, b.stages),
    untouched: addCounts(a.untouched, b.untouched),
    moves: sumOf(a.moves, b.moves),
    conversions: Object.fromEntries(STAGES.map((s) => [s, sumOf(a.conversions[s], b.conversions[s])])) as RepFigures['conversions'],
    touches: { period: addTouches(a.touches.period, b.touches.period), days30: addTouches(a.touches.days30, b.touches.days30) },
    contests: sumOf(a.contests, b.contests),
    nearDuplicates: a.nearDuplicates + b.nearDuplicates,
    atRisk: sumOf(a.atRisk, b.atRisk),
    weeks: addWeeks(a.weeks, b.weeks),
  };
}

/**
 * Share of the customers that were at `stage` in the window and moved on: advanced /
 * (advanced + lost + still there). undefined when none were there.
 */
export function conversionRate(f: RepFigures, stage: (typeof STAGES)[number]): number | undefined {
  const c = f.conversions[stage];
  const base = c.advanced + c.lost + f.stages[stage];
  return base === 0 ? undefined : c.advanced / base;
}

/** Week by week; a side with no weeks (zeros of a person without rows) adds nothing. */
function addWeeks(a: WeekFigures[], b: WeekFigures[]): WeekFigures[] {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  return long.map((w, i) => {
    const o = short[i];
    return o ? { week: w.week, claims: w.claims + o.claims, advances: w.advances + o.advances, deals: w.deals + o.deals, touches: w.touches + o.touches } : { ...w };
  });
}
