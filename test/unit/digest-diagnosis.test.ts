// The thin-stage rule (core/digests/diagnosis.ts): each rule of the seed's diagnosis, the
// thresholds, and the "too few to say" cases.
import { describe, expect, it } from 'vitest';
import { diagnose, DIAGNOSIS_RULES, MIN_CUSTOMERS, MIN_EXPECTED_AT_STAGE, SEED_SHAPE, THIN_FACTOR, type StageCounts } from '../../src/core/digests/diagnosis.ts';

const counts = (c0: number, c25: number, c50: number, c75: number, c100: number): StageCounts => ({ 0: c0, 25: c25, 50: c50, 75: c75, 100: c100 });

describe('diagnose against the seed shape (100 → 50 → 20 → 10 → 5)', () => {
  it('the seed shape itself has no thin stage', () => {
    expect(diagnose(counts(100, 50, 20, 10, 5)).thin).toBeUndefined();
    expect(diagnose(counts(100, 50, 20, 10, 5)).status).toBe('healthy');
  });

  it.each([
    [0, counts(5, 50, 20, 10, 5), 'prospecting'],
    [25, counts(100, 5, 20, 10, 5), 'leadSources'],
    [50, counts(100, 50, 2, 10, 5), 'communication'],
    [75, counts(100, 50, 20, 1, 5), 'productKnowledge'],
    [100, counts(100, 50, 20, 10, 0), 'negotiation'],
  ] as const)('few at %i%% is diagnosed with its cause', (stage, c, cause) => {
    const d = diagnose(c);
    expect(d.status).toBe('thin');
    expect(d.thin?.stage).toBe(stage);
    expect(d.thin?.cause).toBe(cause);
    expect(DIAGNOSIS_RULES[stage].cause).toBe(cause);
  });

  it('the thinnest stage wins; on a tie the earlier one (the cause upstream)', () => {
    // 25% at 0.1 of its share, 75% at 0.3: 25% is named.
    expect(diagnose(counts(100, 5, 20, 3, 5)).thin?.stage).toBe(25);
    // 50% and 75% both empty: 50% is named.
    expect(diagnose(counts(100, 50, 0, 0, 5)).thin?.stage).toBe(50);
  });

  it('a stage at half its expected share is not thin; just under it is', () => {
    // 185 customers: expected 20 at 50%. 10 of 185 is exactly half the share.
    const atHalf = counts(100, 50, 10, 10, 5);
    const share = (n: number, total: number) => n / total;
    expect(share(10, 175) / (20 / 185)).toBeGreaterThan(THIN_FACTOR);
    expect(diagnose(atHalf).thin).toBeUndefined();
    expect(diagnose(counts(110, 50, 8, 10, 5)).thin?.stage).toBe(50);
  });

  it(`says nothing below ${MIN_CUSTOMERS} customers`, () => {
    const d = diagnose(counts(19, 0, 0, 0, 0));
    expect(d.status).toBe('tooFew');
    expect(d.thin).toBeUndefined();
    expect(diagnose(counts(0, 0, 0, 0, 0)).status).toBe('tooFew');
  });

  it(`judges a stage only where the shape expects at least ${MIN_EXPECTED_AT_STAGE} customers`, () => {
    // 40 customers: the shape expects 40 × 5/185 ≈ 1.1 at 100% — too few to call 0 deals thin.
    const d = diagnose(counts(22, 11, 4, 3, 0));
    expect(d.status).toBe('healthy');
    expect(d.judged).toEqual([0, 25, 50, 75]);
    // 74 customers expect 2 at 100%: now 0 deals is thin.
    expect(diagnose(counts(40, 20, 8, 6, 0)).thin?.stage).toBe(100);
  });

  it('the expected counts follow the seed shape', () => {
    const d = diagnose(counts(100, 50, 20, 10, 5));
    expect(d.expected[0]).toBeCloseTo(100);
    expect(d.expected[100]).toBeCloseTo(5);
    expect(SEED_SHAPE).toEqual({ 0: 100, 25: 50, 50: 20, 75: 10, 100: 5 });
  });
});

describe('diagnose against the team', () => {
  it('uses the team shape when given', () => {
    // Against the seed, 25% is fine (50 of 185); the team holds twice that share at 25%.
    const team = counts(100, 100, 20, 10, 5);
    const rep = counts(100, 40, 20, 10, 5);
    expect(diagnose(rep).thin).toBeUndefined();
    expect(diagnose(rep, team).thin).toBeUndefined();
    expect(diagnose(counts(100, 20, 20, 10, 5), team).thin?.stage).toBe(25);
  });

  it('a team with nothing at a stage gives no expectation there', () => {
    const team = counts(100, 50, 20, 10, 0);
    expect(diagnose(counts(100, 50, 20, 10, 0), team).judged).not.toContain(100);
  });
});
