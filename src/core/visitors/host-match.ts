// Whom a visitor asked for: the typed text matched against the org file — a chat mention
// (Slack <@U…>), an org id or email, the name, its pinyin (with or without spaces), its
// initials, or a close spelling (one edit in a name of two characters or more; two in a
// Latin name of eight letters or more). Pure.
import { distance } from 'fastest-levenshtein';
import { pinyin } from 'pinyin-pro';
import type { OrgDirectory, Person } from '../org/org.ts';

export type HostMatch =
  | { kind: 'person'; person: Person; how: 'mention' | 'id' | 'name' | 'pinyin' | 'initials' | 'close' }
  | { kind: 'ambiguous'; candidates: Person[] }
  | { kind: 'left'; name: string; successor?: string }
  | { kind: 'unknown' };

const fold = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[\s.'·•_-]/gu, '');

interface NameForms {
  name: string;
  pinyin: string;
  initials: string;
}

const formsCache = new WeakMap<Person, NameForms>();
function formsOf(p: Person): NameForms {
  let f = formsCache.get(p);
  if (!f) {
    const han = /\p{Script=Han}/u.test(p.name);
    const name = fold(p.name);
    f = han
      ? { name, pinyin: fold(pinyin(p.name, { toneType: 'none', type: 'array' }).join('')), initials: fold(pinyin(p.name, { pattern: 'first', toneType: 'none', type: 'array' }).join('')) }
      : { name, pinyin: name, initials: fold(p.name.split(/\s+/u).map((w) => w[0] ?? '').join('')) };
    formsCache.set(p, f);
  }
  return f;
}

/** How close `a` is to `b` counts as a typo: one edit (two in long Latin names). */
function isClose(a: string, b: string): boolean {
  if (a.length < 2 || b.length < 2) return false;
  const allowed = /^[a-z]+$/.test(a) && Math.min(a.length, b.length) >= 8 ? 2 : 1;
  return distance(a, b) <= allowed;
}

export function matchHost(directory: OrgDirectory, raw: string, formerStaff: readonly { name: string; successor?: string }[] = []): HostMatch {
  const text = raw.trim();
  const mention = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(text);
  if (mention) {
    const p = directory.personByChatId('slack', mention[1]!);
    return p ? { kind: 'person', person: p, how: 'mention' } : { kind: 'unknown' };
  }
  const plain = text.replace(/^@/, '');
  const byId = directory.person(plain) ?? directory.personByEmail(plain);
  if (byId) return { kind: 'person', person: byId, how: 'id' };
  const q = fold(plain);
  if (q === '') return { kind: 'unknown' };
  const people = directory.people;
  const tiers: Array<['name' | 'pinyin' | 'initials', (f: NameForms) => boolean]> = [
    ['name', (f) => f.name === q],
    ['pinyin', (f) => f.pinyin === q],
    ['initials', (f) => /^[a-z]{2,}$/.test(q) && f.initials === q],
  ];
  for (const [how, test] of tiers) {
    const found = people.filter((p) => test(formsOf(p)));
    if (found.length === 1) return { kind: 'person', person: found[0]!, how };
    if (found.length > 1) return { kind: 'ambiguous', candidates: found };
  }
  // Someone who left, asked for by name: said so before any guess at a close spelling.
  const former = formerStaff.find((f) => fold(f.name) === q || (/\p{Script=Han}/u.test(f.name) && fold(pinyin(f.name, { toneType: 'none', type: 'array' }).join('')) === q));
  if (former) return { kind: 'left', name: former.name, successor: former.successor };
  // A surname alone (李) or a given name alone (Tom): every person whose name holds it.
  const partial = people.filter((p) => {
    const f = formsOf(p);
    return q.length >= 1 && (/\p{Script=Han}/u.test(q) ? f.name.includes(q) : p.name.split(/\s+/u).some((w) => fold(w) === q));
  });
  if (partial.length === 1) return { kind: 'person', person: partial[0]!, how: 'name' };
  if (partial.length > 1) return { kind: 'ambiguous', candidates: partial };
  const close = people.filter((p) => {
    const f = formsOf(p);
    return isClose(q, f.name) || (/^[a-z]+$/.test(q) && isClose(q, f.pinyin));
  });
  if (close.length === 1) return { kind: 'person', person: close[0]!, how: 'close' };
  if (close.length > 1) return { kind: 'ambiguous', candidates: close };
  return { kind: 'unknown' };
}
