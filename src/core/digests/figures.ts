// Zeros and sums of RepFigures, for reps without rows and for team totals. Pure.
import { STAGES } from '../customers/funnel.ts';
import { addCounts, emptyCounts } from './diagnosis.ts';
import { FOLLOW_UP_KINDS, type RepFigures, type TouchCounts, type WeekFigures } from './digest.ts';

export const emptyTouches = (): TouchCounts => Object.fromEntries(FOLLOW_UP_KINDS.map((k) => [k, 0])) as TouchCounts;
const addTouches = (a: TouchCounts, b: TouchCounts): TouchCounts => Object.fromEntries(FOLLOW_UP_KINDS.map((k) => [k, a[k] + b[k]])) as TouchCounts;
export const touchTotal = (t: TouchCounts) => FOLLOW_UP_KINDS.reduce((n, k) => n + t[k], 0);

export function emptyFigures(): RepFigures {
  return {
    stages: emptyCounts(),
    untouched: emptyCounts(),
    moves: { claims: 0, advances: 0, deals: 0, dealAmount: 0, losses: 0, releases: 0, poolClaims: 0 },
    conversions: { 0: { advanced: 0, lost: 0 }, 25: { advanced: 0, lost: 0 }, 50: { advanced: 0, lost: 0 }, 75: { advanced: 0, lost: 0 }, 100: { advanced: 0, lost: 0 } },
    touches: { period: emptyTouches(), days30: emptyTouches() },
    contests: { raised: 0, against: 0, decided: 0 },
    nearDuplicates: 0,
    atRisk: { releasingSoon: 0, staleOpportunities: 0 },
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

/** The weeks of `ids` added up, week by week (`weeks` gives the keys and the order). */
export function sumWeeks(byPerson: ReadonlyMap<string, WeekFigures[]>, ids: readonly string[], weeks: readonly { key: string }[]): WeekFigures[] {
  const out = weeks.map((w) => ({ week: w.key, claims: 0, advances: 0, deals: 0, touches: 0 }));
  for (const id of ids) {
    (byPerson.get(id) ?? []).forEach((w, i) => {
      const o = out[i];
      if (!o) return;
      o.claims += w.claims;
      o.advances += w.advances;
      o.deals += w.deals;
      o.touches += w.touches;
    });
  }
  return out;
}
