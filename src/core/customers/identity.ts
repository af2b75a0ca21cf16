// What two company names mean to each other, from their normalised keys
// (normalise-name.ts): the same company (a second claim is refused as taken), close
// (the claim asks "Did you mean …?"), or unrelated. Pure.
//
//  - Same core, and the same region, one region containing the other, or no region on
//    either side: the same company (深圳市大疆 / 广东省深圳市大疆 / 大疆（广东）).
//  - Same core, different regions (上海 / 北京 农村商业银行) or a region on one side only
//    (浙江吉利 / 吉利): close — never refused, never claimed again silently.
//  - Cores one insertion, deletion, substitution or swap apart (from two characters),
//    Chinese cores with the same pinyin (比亚迪 / 比亚笛), or a similarity of at least 0.6
//    (similarity.ts; a Latin name is also compared with a Chinese one's pinyin): close.
import { splitKey } from './normalise-name.ts';
import { regionsCompatible, type RegionCode } from './regions.ts';
import { MIN_TYPO_CORE_LENGTH, NEAR_DUPLICATE_THRESHOLD, similarity, withinOneEdit } from './similarity.ts';

export interface NameIdentity {
  core: string;
  region?: RegionCode;
  /** Pinyin of a Chinese core; the core itself for a Latin one. */
  pinyin: string;
}

export type Relation = { kind: 'same' } | { kind: 'near'; score: number; why: NearReason };
export type NearReason = 'region' | 'typo' | 'homophone' | 'similar';

const HAN = /\p{Script=Han}/u;
const LATIN = /^[a-z0-9]+$/;

export function identityOfKey(key: string, pinyin: string): NameIdentity {
  return { ...splitKey(key), pinyin };
}

/** Regions under which one core is one company: the same, one containing the other, or none on either side. */
function regionsMatch(a: RegionCode | undefined, b: RegionCode | undefined): boolean {
  return a && b ? regionsCompatible(a, b) : !a && !b;
}

/** Whether two keys name the same company (what `relate` calls 'same'), without the near-duplicate work. */
export function sameCompanyKeys(a: string, b: string): boolean {
  const x = splitKey(a);
  const y = splitKey(b);
  return x.core === y.core && regionsMatch(x.region, y.region);
}

/** How `claimed` relates to `stored`; undefined when they are unrelated. */
export function relate(claimed: NameIdentity, stored: NameIdentity): Relation | undefined {
  if (claimed.core === stored.core) {
    if (regionsMatch(claimed.region, stored.region)) return { kind: 'same' };
    return { kind: 'near', score: claimed.region && stored.region ? 0.9 : 0.95, why: 'region' };
  }
  const length = Math.min([...claimed.core].length, [...stored.core].length);
  if (length >= MIN_TYPO_CORE_LENGTH && withinOneEdit(claimed.core, stored.core)) {
    return { kind: 'near', score: Math.max(NEAR_DUPLICATE_THRESHOLD, similarity(claimed.core, stored.core)), why: 'typo' };
  }
  if (HAN.test(claimed.core) && HAN.test(stored.core) && claimed.pinyin !== '' && claimed.pinyin === stored.pinyin) {
    return { kind: 'near', score: 0.85, why: 'homophone' };
  }
  let score = similarity(claimed.core, stored.core);
  // A Latin name for a Chinese one ("huawei" and 华为技术), either way round.
  if (LATIN.test(claimed.core) && HAN.test(stored.core)) score = Math.max(score, similarity(claimed.core, stored.pinyin));
  if (HAN.test(claimed.core) && LATIN.test(stored.core)) score = Math.max(score, similarity(claimed.pinyin, stored.core));
  return score >= NEAR_DUPLICATE_THRESHOLD ? { kind: 'near', score, why: 'similar' } : undefined;
}

export interface Scored<T> {
  item: T;
  score: number;
}

/**
 * Sorts candidates (each with every name it is known by: its key and its aliases) into
 * the ones that are the same company as `claimed` and the close ones, best first.
 */
export function classifyCandidates<T>(
  claimed: NameIdentity,
  candidates: readonly T[],
  namesOf: (c: T) => NameIdentity[],
  limit = 5,
): { same: T[]; near: Scored<T>[] } {
  const same: T[] = [];
  const near: Scored<T>[] = [];
  for (const c of candidates) {
    let best: Relation | undefined;
    for (const name of namesOf(c)) {
      const r = relate(claimed, name);
      if (r?.kind === 'same') {
        best = r;
        break;
      }
      if (r && (!best || (best.kind === 'near' && r.score > best.score))) best = r;
    }
    if (best?.kind === 'same') same.push(c);
    else if (best) near.push({ item: c, score: best.score });
  }
  return { same, near: near.sort((a, b) => b.score - a.score).slice(0, limit) };
}
