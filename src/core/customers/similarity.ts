// Near-duplicate detection for company keys (see normalise-name.ts).
//
// Candidates come from index look-ups only, never a scan of all names:
//  - deletion variants (the SymSpell idea): every key of 4+ characters is stored with the
//    variants made by deleting one character; two keys within one substitution, insertion
//    or deletion of each other share a variant;
//  - containment: a stored key that starts with the new key (an index range), or a prefix
//    of the new key that is a stored key (point look-ups).
// Candidates are then scored; "close" means similarity ≥ NEAR_DUPLICATE_THRESHOLD.
import { distance } from 'fastest-levenshtein';

/** Similarity at or above which a claim answers "Did you mean …?" (documented in README). */
export const NEAR_DUPLICATE_THRESHOLD = 0.6;
/** Keys shorter than this get no deletion variants (a 3-letter key minus one is too generic). */
export const MIN_VARIANT_KEY_LENGTH = 4;
/** Shortest stored key that counts as contained in a longer one. */
export const MIN_CONTAINED_LENGTH = 2;

export function deletionVariants(key: string): string[] {
  const chars = [...key];
  if (chars.length < MIN_VARIANT_KEY_LENGTH) return [];
  const out = new Set<string>();
  for (let i = 0; i < chars.length; i++) out.add([...chars.slice(0, i), ...chars.slice(i + 1)].join(''));
  return [...out];
}

/** Prefixes of `key` that could be a shorter stored key contained at its start. */
export function containedPrefixes(key: string, max = 40): string[] {
  const chars = [...key];
  const out: string[] = [];
  for (let n = MIN_CONTAINED_LENGTH; n < Math.min(chars.length, max); n++) out.push(chars.slice(0, n).join(''));
  return out;
}

/** 0..1: edit similarity, raised for one key being the start of the other (华为 / 华为技术). */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const la = [...a].length;
  const lb = [...b].length;
  const edit = 1 - distance(a, b) / Math.max(la, lb, 1);
  const [short, long] = la <= lb ? [a, b] : [b, a];
  const contained = [...short].length >= MIN_CONTAINED_LENGTH && long.startsWith(short);
  return contained ? Math.max(edit, 0.6 + 0.4 * ([...short].length / [...long].length)) : edit;
}

export interface Scored<T> {
  item: T;
  score: number;
}

/** Candidates at or above the threshold, best first, at most `limit`. */
export function rankNearDuplicates<T extends { nameKey: string; pinyin?: string }>(key: string, candidates: T[], limit = 5): Scored<T>[] {
  // A Latin key is also compared with the pinyin of Chinese names ("huawei" ~ 华为技术).
  const latin = /^[a-z0-9]+$/.test(key);
  return candidates
    .filter((c) => c.nameKey !== key)
    .map((item) => ({ item, score: Math.max(similarity(key, item.nameKey), latin && item.pinyin ? similarity(key, item.pinyin) : 0) }))
    .filter((s) => s.score >= NEAR_DUPLICATE_THRESHOLD)
    .sort((x, y) => y.score - x.score)
    .slice(0, limit);
}
