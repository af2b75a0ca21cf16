import { describe, expect, it } from 'vitest';
import { parseStage, ZStageEvidenceSchema } from '../../src/core/customers/funnel.ts';
import { cooldownEndsAt, countsTowardCap, DEFAULT_POOL_RULES, releaseDueAt, warningDueAt } from '../../src/core/customers/pool-rules.ts';
import { classifyCandidates, relate } from '../../src/core/customers/identity.ts';
import { normaliseCompanyName, pinyinOf } from '../../src/core/customers/normalise-name.ts';
import { hashes, patternHash, probePatterns, similarity, storedPatterns, withinOneEdit } from '../../src/core/customers/similarity.ts';

describe('near duplicates', () => {
  // What the name index relies on: a stored core within one edit, at the start of the
  // claimed one, or with the same pinyin shares a pattern with the claim's probes
  // (a stored core that starts with the claimed one is found by a key range instead).
  const found = (claimed: string, stored: string) => {
    const probes = new Set(hashes(probePatterns(claimed, pinyinOf(claimed).pinyin)));
    return hashes(storedPatterns(stored, pinyinOf(stored).pinyin)).some((h) => probes.has(h)) || stored.startsWith(claimed);
  };

  it.each([
    ['字节跳动科技', '字节跳到科技', 'substitution'],
    ['京东世纪纪贸易', '京东世纪贸易', 'insertion'],
    ['京东世纪贸易', '京东世纪纪贸易', 'deletion'],
    ['京东纪世贸易', '京东世纪贸易', 'transposition'],
    ['microsofft', 'microsoft', 'insertion (Latin)'],
    ['microsoft', 'microsofft', 'deletion (Latin)'],
    ['美得', '美的', 'substitution, two characters'],
    ['比亚笛', '比亚迪', 'homophone'],
    ['华为技术', '华为', 'contained at the start'],
    ['华为', '华为技术', 'the start of a longer one'],
    ['ab', 'ba', 'transposition, two characters'],
  ])('%s finds %s (%s)', (claimed, stored, why) => {
    expect(found(claimed, stored), why).toBe(true);
  });

  it('finds no pattern for two edits at different places', () => {
    expect(found('腾讯音乐', '网易音乐')).toBe(false);
  });

  it('tells one edit from two', () => {
    expect(withinOneEdit('比亚迪', '比亚笛')).toBe(true);
    expect(withinOneEdit('京东世纪贸易', '京东纪世贸易')).toBe(true);
    expect(withinOneEdit('abcd', 'badc')).toBe(false);
    expect(withinOneEdit('abc', 'abcde')).toBe(false);
    expect(withinOneEdit('abc', 'xabc')).toBe(true);
  });

  it('hashes to signed 32-bit integers', () => {
    for (const p of ['华为技术', '*为技术', 'py:huaweijishu']) expect(patternHash(p)).toBe(patternHash(p) | 0);
    expect(patternHash('华为技术')).not.toBe(patternHash('华为技木'));
  });

  it('scores edits and containment', () => {
    expect(similarity('华为技术', '华为技术')).toBe(1);
    expect(similarity('华为', '华为技术')).toBeCloseTo(0.8);
    expect(similarity('字节跳动科技', '字节跳到科技')).toBeCloseTo(5 / 6);
    expect(similarity('腾讯', '阿里')).toBe(0);
  });
});

describe('identity: same, close or unrelated', () => {
  const id = (name: string) => {
    const n = normaliseCompanyName(name);
    return { core: n.core, region: n.region, pinyin: n.pinyin };
  };
  const rel = (a: string, b: string) => relate(id(a), id(b))?.kind ?? 'none';

  it.each([
    ['深圳市大疆创新科技有限公司', '广东省深圳市大疆创新科技有限公司', 'same'],
    ['大疆创新科技（深圳）有限公司', '深圳市大疆创新科技有限公司', 'same'],
    ['广东大疆创新科技有限公司', '深圳市大疆创新科技有限公司', 'same'],
    ['华为技术有限公司', '華為技術有限公司', 'same'],
    ['上海农村商业银行股份有限公司', '北京农村商业银行股份有限公司', 'near'],
    ['北京航空航天大学', '南京航空航天大学', 'near'],
    ['浙江吉利控股集团有限公司', '吉利控股集团有限公司', 'near'],
    ['深圳市华为技术有限公司', '华为技术有限公司', 'near'],
    ['比亚迪', '比亚笛', 'near'],
    ['美的集团', '美得', 'near'],
    ['京东世纪纪贸易', '京东世纪贸易', 'near'],
    ['Microsofft', 'Microsoft Corporation', 'near'],
    ['huawei', '华为技术有限公司', 'near'],
    ['北京银行', '上海银行', 'none'],
    ['上海大学', '北京大学', 'none'],
    ['腾讯科技', '阿里巴巴', 'none'],
  ])('%s / %s: %s', (a, b, expected) => {
    expect(rel(a, b)).toBe(expected);
    expect(rel(b, a)).toBe(expected);
  });

  it('sorts candidates into the same company and close ones, through every name each is known by', () => {
    const stored = [
      { id: 'a', names: ['上海浦东发展银行', '浦发银行'] },
      { id: 'b', names: ['浦东开发'] },
      { id: 'c', names: ['腾讯'] },
    ];
    const out = classifyCandidates(id('浦发银行股份有限公司'), stored, (c) => c.names.map(id));
    expect(out.same.map((c) => c.id)).toEqual(['a']);
    const near = classifyCandidates(id('浦发银航'), stored, (c) => c.names.map(id));
    expect(near.near.map((c) => c.item.id)).toEqual(['a']);
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
