// Near-duplicate detection for company names (see normalise-name.ts for keys, identity.ts
// for what two names mean to each other).
//
// Candidates come from index look-ups only, never a scan of all names. Every stored name
// (a customer's key or an alias) puts a few hashed patterns of its core in the name index:
//  - the core itself, and the core with each character in turn replaced by a wildcard
//    (大疆*新科技): a core with one character substituted shares a wildcard pattern;
//  - the pinyin of a Chinese core (homophones: 比亚迪 / 比亚笛).
// A claim probes the index with the patterns that one edit of its own core can meet:
//  - its core, its wildcard patterns (a substitution), its core with a wildcard inserted
//    at each place (a stored core one character longer), its core with one character
//    deleted or two neighbours swapped (a stored core one character shorter, a
//    transposition), its prefixes (a stored core contained at its start), its pinyin
//    and the pinyin's starts (a Latin name stored for a Chinese one).
// Stored cores that start with the claim's own are one index range over the keys.
// Hashes are 32-bit: a collision only adds a candidate, which is then scored.
import { distance } from 'fastest-levenshtein';

/** Similarity at or above which a claim answers "Did you mean …?" (documented in README). */
export const NEAR_DUPLICATE_THRESHOLD = 0.6;
/** Shortest core that is checked for typos (one edit) and containment. */
export const MIN_TYPO_CORE_LENGTH = 2;
/** Longest prefix probed for a contained shorter core. */
const MAX_PREFIX_PROBES = 24;
/** Shortest Latin core found at the start of a Chinese name's pinyin. */
const MIN_LATIN_PREFIX = 4;

const WILDCARD = '*';
const HOMOPHONE = 'py:';

const chars = (s: string) => [...s];

function wildcards(c: string[]): string[] {
  return c.map((_, i) => [...c.slice(0, i), WILDCARD, ...c.slice(i + 1)].join(''));
}

/** The patterns a stored core puts in the name index. */
export function storedPatterns(core: string, pinyin?: string): string[] {
  const c = chars(core);
  const out = new Set<string>([core]);
  if (c.length >= MIN_TYPO_CORE_LENGTH) for (const w of wildcards(c)) out.add(w);
  if (pinyin && /\p{Script=Han}/u.test(core)) out.add(`${HOMOPHONE}${pinyin}`);
  return [...out];
}

/** The patterns a claimed core looks up: every stored core within one edit, at its start, or with its pinyin has one. */
export function probePatterns(core: string, pinyin?: string): string[] {
  const c = chars(core);
  const out = new Set<string>([core]);
  if (pinyin && /\p{Script=Han}/u.test(core)) {
    out.add(`${HOMOPHONE}${pinyin}`);
    // A Latin name stored for a Chinese one typed (Huawei, then 华为技术): the pinyin's starts.
    for (let n = MIN_LATIN_PREFIX; n <= Math.min(pinyin.length, MAX_PREFIX_PROBES); n++) out.add(pinyin.slice(0, n));
  }
  if (c.length >= MIN_TYPO_CORE_LENGTH) {
    for (const w of wildcards(c)) out.add(w);
    for (let i = 0; i <= c.length; i++) out.add([...c.slice(0, i), WILDCARD, ...c.slice(i)].join(''));
    for (let i = 1; i < c.length; i++) out.add([...c.slice(0, i - 1), c[i], c[i - 1], ...c.slice(i + 1)].join(''));
    if (c.length > MIN_TYPO_CORE_LENGTH) for (let i = 0; i < c.length; i++) out.add([...c.slice(0, i), ...c.slice(i + 1)].join(''));
    for (let n = MIN_TYPO_CORE_LENGTH; n < Math.min(c.length, MAX_PREFIX_PROBES); n++) out.add(c.slice(0, n).join(''));
  }
  return [...out];
}

/** FNV-1a, 32 bits, as a signed integer (what both databases' INTEGER holds). */
export function patternHash(pattern: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(pattern, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

export const hashes = (patterns: string[]): number[] => [...new Set(patterns.map(patternHash))];

/** True when one insertion, deletion, substitution or swap of two neighbours turns `a` into `b`. */
export function withinOneEdit(a: string, b: string): boolean {
  const x = chars(a);
  const y = chars(b);
  if (Math.abs(x.length - y.length) > 1) return false;
  if (x.length === y.length) {
    const diff = x.flatMap((ch, i) => (ch === y[i] ? [] : [i]));
    if (diff.length <= 1) return true;
    return diff.length === 2 && diff[1] === diff[0]! + 1 && x[diff[0]!] === y[diff[1]!] && x[diff[1]!] === y[diff[0]!];
  }
  const [short, long] = x.length < y.length ? [x, y] : [y, x];
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  return short.slice(i).every((ch, j) => ch === long[i + j + 1]);
}

/** 0..1: edit similarity, raised for one core being the start of the other (华为 / 华为技术). */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const la = chars(a).length;
  const lb = chars(b).length;
  const edit = 1 - distance(a, b) / Math.max(la, lb, 1);
  const [short, long] = la <= lb ? [a, b] : [b, a];
  const contained = chars(short).length >= MIN_TYPO_CORE_LENGTH && long.startsWith(short);
  return contained ? Math.max(edit, 0.6 + 0.4 * (chars(short).length / chars(long).length)) : edit;
}
