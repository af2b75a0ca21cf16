import { describe, expect, it } from 'vitest';
import { parseStage, ZStageEvidenceSchema } from '../../src/core/customers/funnel.ts';
import { cooldownEndsAt, countsTowardCap, DEFAULT_POOL_RULES, releaseDueAt, warningDueAt } from '../../src/core/customers/pool-rules.ts';
import { containedPrefixes, deletionVariants, rankNearDuplicates, similarity } from '../../src/core/customers/similarity.ts';

describe('near duplicates', () => {
  it('makes one-deletion variants for keys of four or more characters', () => {
    expect(deletionVariants('华为技术')).toEqual(['为技术', '华技术', '华为术', '华为技']);
    expect(deletionVariants('华为')).toEqual([]);
    expect(deletionVariants('aabc')).toEqual(['abc', 'aac', 'aab']);
  });

  it('two keys one edit apart share a variant (what the index relies on)', () => {
    const share = (a: string, b: string) => {
      const va = new Set([a, ...deletionVariants(a)]);
      return [b, ...deletionVariants(b)].some((v) => va.has(v));
    };
    expect(share('腾讯音乐', '网易音乐')).toBe(false); // two substitutions at different places
    expect(share('字节跳动科技', '字节跳到科技')).toBe(true); // substitution
    expect(share('huaweitech', 'huaweitch')).toBe(true); // deletion
    expect(share('huaweitech', 'huaweitechs')).toBe(true); // insertion
  });

  it('lists the prefixes that could be a contained shorter key', () => {
    expect(containedPrefixes('华为技术')).toEqual(['华为', '华为技']);
  });

  it('scores edits and containment, and ranks above the threshold', () => {
    expect(similarity('华为技术', '华为技术')).toBe(1);
    expect(similarity('华为', '华为技术')).toBeCloseTo(0.8);
    expect(similarity('字节跳动科技', '字节跳到科技')).toBeCloseTo(5 / 6);
    expect(similarity('腾讯', '阿里')).toBe(0);
    const ranked = rankNearDuplicates('华为技术', [{ nameKey: '华为' }, { nameKey: '华为技术' }, { nameKey: '中兴通讯' }, { nameKey: '华为技木' }]);
    expect(ranked.map((r) => r.item.nameKey)).toEqual(['华为', '华为技木']);
  });
});

describe('funnel', () => {
  it('parses stages with or without %, and lost in both languages', () => {
    expect(parseStage('25')).toBe(25);
    expect(parseStage('75%')).toBe(75);
    expect(parseStage('lost')).toBe('lost');
    expect(parseStage('流失')).toBe('lost');
    expect(parseStage('30')).toBeUndefined();
    expect(parseStage('')).toBeUndefined();
  });

  it('asks each stage for its evidence', () => {
    expect(ZStageEvidenceSchema[25].safeParse({ contactName: '王总' }).success).toBe(false);
    expect(ZStageEvidenceSchema[25].safeParse({ contactName: '王总', phone: '13800000000' }).success).toBe(true);
    expect(ZStageEvidenceSchema[50].safeParse({ keyPerson: '李总' }).success).toBe(false);
    expect(ZStageEvidenceSchema[100].safeParse({ deal: '年框合同', amount: '120000' }).data).toEqual({ deal: '年框合同', amount: 120000 });
    expect(ZStageEvidenceSchema.lost.safeParse({ reason: ' ' }).success).toBe(false);
  });
});

describe('pool rules', () => {
  const t0 = new Date('2026-11-01T00:00:00Z');
  it('protects later stages longer and warns before release', () => {
    expect(releaseDueAt(DEFAULT_POOL_RULES, 0, t0).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(releaseDueAt(DEFAULT_POOL_RULES, 75, t0).toISOString()).toBe('2026-12-31T00:00:00.000Z');
    expect(warningDueAt(DEFAULT_POOL_RULES, new Date('2026-12-01T00:00:00Z')).toISOString()).toBe('2026-11-26T00:00:00.000Z');
  });
  it('lets an approved extension push the release out, never in', () => {
    expect(releaseDueAt(DEFAULT_POOL_RULES, 0, t0, new Date('2026-12-10T00:00:00Z')).toISOString()).toBe('2026-12-10T00:00:00.000Z');
    expect(releaseDueAt(DEFAULT_POOL_RULES, 0, t0, new Date('2026-11-10T00:00:00Z')).toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });
  it('cool-down and the cap', () => {
    expect(cooldownEndsAt(DEFAULT_POOL_RULES, t0).toISOString()).toBe('2026-11-15T00:00:00.000Z');
    expect(countsTowardCap(100)).toBe(false);
    expect(countsTowardCap(50)).toBe(true);
  });
});
