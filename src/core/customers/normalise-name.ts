// Company-name normalisation: two spellings of one company get one key, so the database
// can refuse the second claim with a unique constraint. Pure; see the unit tests for the
// cases (format characters, full/half width, case, spaces and punctuation,
// traditional/simplified, legal-form suffixes, regions in any position).
//
// A key is the name's core — what is left without regions and legal forms — followed by
// the region it names, if any: 深圳市大疆创新科技有限公司 → 大疆创新科技@CN4403. The region
// is part of identity (identity.ts decides what two keys mean to each other): 上海 and
// 北京 农村商业银行 are two banks. A name that is only a region and a generic word keeps its
// region as the name itself (北京银行 → 北京银行).
import * as OpenCC from 'opencc-js/t2cn';
import { pinyin } from 'pinyin-pro';
import { latinRegion, leadingChineseRegion, regionByCode, regionContains, trailingChineseRegion, type RegionCode } from './regions.ts';

const toSimplified: (text: string) => string = OpenCC.Converter({ from: 'tw', to: 'cn' });

/** Separates a key's core from its region code; neither a core nor a code contains it. */
export const REGION_MARK = '@';

// Longest first, so 股份有限公司 goes before 有限公司 and 公司.
const LEGAL_FORMS = [
  '股份有限公司', '有限责任公司', '集团有限公司', '集团股份', '有限公司', '集团公司', '控股集团', '分公司', '总公司',
  '株式会社', '合伙企业', '个体工商户', '集团', '公司', '控股',
  'company limited', 'co., ltd.', 'co.,ltd.', 'co. ltd.', 'co ltd', 'co.', 'ltd.', 'ltd', 'limited', 'inc.', 'inc',
  'incorporated', 'llc', 'l.l.c.', 'corp.', 'corp', 'corporation', 'gmbh', 'plc', 'pte', 'pty', 's.a.', 'ag', 'b.v.',
  'holdings', 'holding', 'group', 'company', 'co',
].sort((a, b) => b.length - a.length);

// What is left of "北京银行", "上海大学", "Bank of Beijing" without the region: words that
// many institutions share, so the region stays part of the name itself.
const GENERIC_CORES = new Set([
  '银行', '大学', '学院', '中学', '小学', '医院', '航空', '机场', '地铁', '港务', '电力', '燃气', '水务', '证券', '保险',
  '信托', '日报', '电视台', '广播电视台', '公交', '铁路', '海关', '博物馆', '图书馆', '师范大学', '理工大学', '科技大学',
  '工业大学', '财经大学', '医科大学', '外国语大学', '商业银行', '人民医院', '中心医院',
  'bank', 'university', 'college', 'hospital', 'airport', 'airlines', 'airline', 'metro', 'securities', 'insurance',
]);

const ADMIN_SUFFIX = /^(?:省|市|自治区|特别行政区|区|县)/u;
const BRACKETS = /[(\[（【〔［｛{<《〈「『]([^()\[\]（）【】〔〕［］｛｝{}<>《》〈〉「」『』]*)[)\]）】〕］｝}>》〉」』]/gu;
const STRIP = /[\s\p{P}\p{S}]+/gu;
/**
 * Invisible format characters (zero-width spaces and joiners, bidirectional controls, BOM,
 * soft hyphen, word joiner: Unicode category Cf) and variation selectors: pasted from web
 * pages and chat clients, never part of a name.
 */
const FORMAT = /[\p{Cf}\uFE00-\uFE0F]/gu;
/** Sentence punctuation a name may end with when typed as a sentence ("华为技术。"). */
const TRAILING_PUNCTUATION = /[\s。．.!！?？;；,，、…]+$/u;

/** The name as stored and shown: format characters removed, spaces at the ends trimmed. */
export function cleanCompanyName(raw: string): string {
  return raw.replace(FORMAT, '').trim();
}

function stripLegalForms(s: string): string {
  let out = s.trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const form of LEGAL_FORMS) {
      const latin = /^[a-z]/.test(form);
      if (!out.endsWith(form)) continue;
      // A Latin form must stand as a word ("acme co", not "taco").
      const before = out[out.length - form.length - 1] ?? ' ';
      if (latin && /[a-z0-9]/.test(before)) continue;
      out = out.slice(0, -form.length).replace(/[\s,.&-]+$/u, '').trim();
      changed = true;
      break;
    }
  }
  return out;
}

/** Every region of a text that is nothing but regions ("广东深圳", "Shanghai", "中国·北京"); undefined otherwise. */
function onlyRegions(text: string): RegionCode[] | undefined {
  const t = text.replace(STRIP, ' ').trim();
  if (t === '') return undefined;
  if (/^[a-z ]+$/.test(t)) {
    const whole = latinRegion(t);
    if (whole) return [whole];
    const words = t.split(' ').map(latinRegion);
    return words.every((w) => w) ? (words as RegionCode[]) : undefined;
  }
  const found: RegionCode[] = [];
  let rest = t.replace(/ /g, '');
  while (rest !== '') {
    const r = leadingChineseRegion(rest, found.at(-1));
    if (!r) return undefined;
    found.push(r.code);
    rest = rest.slice(r.length).replace(ADMIN_SUFFIX, '');
  }
  return found;
}

/** The most specific region that agrees with the first one named (广东省深圳市 → 深圳). */
function mostSpecific(found: RegionCode[]): RegionCode | undefined {
  let region: RegionCode | undefined;
  for (const r of found) {
    if (region === undefined || regionContains(region, r)) region = r;
  }
  return region;
}

/** Takes regions off the start and the end of `s`, in Chinese or Latin; records them in `found`. */
function stripOuterRegions(s: string, found: RegionCode[]): string {
  let rest = s;
  const leading: RegionCode[] = [];
  for (;;) {
    if (/^[a-z]/.test(rest)) {
      const words = rest.split(' ');
      const n = [2, 1].find((k) => words.length > k && latinRegion(words.slice(0, k).join(' ')));
      if (!n) break;
      found.push(latinRegion(words.slice(0, n).join(' '))!);
      rest = words.slice(n).join(' ');
      continue;
    }
    const r = leadingChineseRegion(rest, leading.at(-1));
    // 广东省深圳市 is one place named twice; 杭州雅安 is a region and a brand that looks like one.
    const previous = leading.at(-1);
    if (!r || (previous && !regionContains(previous, r.code))) break;
    leading.push(r.code);
    found.push(r.code);
    rest = rest.slice(r.length);
    const suffix = ADMIN_SUFFIX.exec(rest);
    if (suffix) rest = rest.slice(suffix[0].length);
    rest = rest.replace(/^[\s,.-]+/u, '');
  }
  for (;;) {
    rest = stripLegalForms(rest);
    if (/[a-z]$/.test(rest)) {
      const words = rest.split(' ');
      const n = [2, 1].find((k) => words.length > k && latinRegion(words.slice(-k).join(' ')));
      if (!n) break;
      found.push(latinRegion(words.slice(-n).join(' '))!);
      // "Bank of Beijing": the "of" goes with the region.
      rest = words.slice(0, -n).join(' ').replace(/[\s,.-]+$/u, '').replace(/ of$/, '');
      continue;
    }
    const r = trailingChineseRegion(rest.replace(/(?:省|市|自治区|特别行政区)$/u, ''));
    if (!r || [...rest].length - r.length < 2) break;
    found.push(r.code);
    rest = rest.replace(/(?:省|市|自治区|特别行政区)$/u, '').slice(0, -r.length);
  }
  return rest;
}

export interface NormalisedName {
  /** The comparison key: core, then `@` and the region code when the name has one. Empty = nothing left. */
  key: string;
  /** The key without its region. */
  core: string;
  region?: RegionCode;
  /** Pinyin of the core without tones ("huaweijishu"); the core itself for Latin names. */
  pinyin: string;
  /** Pinyin initials ("hwjs"). */
  initials: string;
}

export function normaliseCompanyName(raw: string): NormalisedName {
  let s = toSimplified(cleanCompanyName(raw).normalize('NFKC')).toLowerCase().replace(TRAILING_PUNCTUATION, '');
  const found: RegionCode[] = [];
  // Bracketed regions and legal forms go; other bracketed words stay, without the brackets.
  s = s.replace(BRACKETS, (_m, inner: string) => {
    const r = onlyRegions(inner);
    if (r) {
      found.push(...r);
      return ' ';
    }
    return LEGAL_FORMS.includes(inner.trim()) ? ' ' : ` ${inner} `;
  });
  s = stripLegalForms(s.replace(/\s+/gu, ' ').trim());
  const bracketed = found.length;
  const core = stripOuterRegions(s, found).replace(STRIP, '');
  // "北京银行", "上海大学": without the region only a generic word is left, which many share.
  const generic = found.length > bracketed && ([...core].length < 2 || GENERIC_CORES.has(core));
  const key = generic ? s.replace(STRIP, '') : core;
  const region = mostSpecific(generic ? found.slice(0, bracketed) : found);
  if (key === '') return { key: '', core: '', pinyin: '', initials: '' };
  return { key: keyOf(key, region), core: key, region, ...pinyinOf(key) };
}

/** The key of a core and a region. */
export function keyOf(core: string, region?: RegionCode): string {
  return region ? `${core}${REGION_MARK}${region}` : core;
}

/** A key as people read it: 大疆创新科技@CN4403 → 大疆创新科技（深圳市）. */
export function displayKey(key: string): string {
  const { core, region } = splitKey(key);
  return region ? `${core}（${regionByCode(region)?.name ?? region}）` : core;
}

/** A stored key's core and region. */
export function splitKey(key: string): { core: string; region?: RegionCode } {
  // A key the upgrade step had to set apart ends in ~ and an id's start (db/rekey-customers.ts).
  key = key.replace(/~[^~]*$/u, '');
  const at = key.indexOf(REGION_MARK);
  return at < 0 ? { core: key } : { core: key.slice(0, at), region: key.slice(at + 1) };
}

export function pinyinOf(key: string): { pinyin: string; initials: string } {
  if (!/\p{Script=Han}/u.test(key)) return { pinyin: key, initials: key };
  const full = pinyin(key, { toneType: 'none', type: 'array', nonZh: 'consecutive' }) as string[];
  const initials = pinyin(key, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' }) as string[];
  return { pinyin: full.join('').toLowerCase(), initials: initials.join('').toLowerCase() };
}
