// Company-name normalisation: two spellings of one company get one key, so the database
// can refuse the second claim with a unique constraint. Pure; see the unit tests for the
// cases (full/half width, case, spaces and punctuation, traditional/simplified, legal-form
// suffixes, bracketed and leading regions).
import * as OpenCC from 'opencc-js/t2cn';
import { pinyin } from 'pinyin-pro';

const toSimplified: (text: string) => string = OpenCC.Converter({ from: 'tw', to: 'cn' });

// Longest first, so 股份有限公司 goes before 有限公司 and 公司.
const LEGAL_FORMS = [
  '股份有限公司', '有限责任公司', '集团有限公司', '集团股份', '有限公司', '集团公司', '控股集团', '分公司', '总公司',
  '株式会社', '合伙企业', '个体工商户', '集团', '公司', '控股',
  'company limited', 'co., ltd.', 'co.,ltd.', 'co. ltd.', 'co ltd', 'co.', 'ltd.', 'ltd', 'limited', 'inc.', 'inc',
  'incorporated', 'llc', 'l.l.c.', 'corp.', 'corp', 'corporation', 'gmbh', 'plc', 'pte', 'pty', 's.a.', 'ag', 'b.v.',
  'holdings', 'holding', 'group', 'company', 'co',
].sort((a, b) => b.length - a.length);

// Provinces, municipalities and large cities — enough to recognise "(北京)", "深圳市…",
// "(Shanghai)"; the key does not need to be a gazetteer.
const REGIONS = [
  '中国', '北京', '上海', '天津', '重庆', '河北', '山西', '辽宁', '吉林', '黑龙江', '江苏', '浙江', '安徽', '福建', '江西',
  '山东', '河南', '湖北', '湖南', '广东', '海南', '四川', '贵州', '云南', '陕西', '甘肃', '青海', '台湾', '内蒙古', '广西',
  '西藏', '宁夏', '新疆', '香港', '澳门', '深圳', '广州', '杭州', '南京', '苏州', '成都', '武汉', '西安', '厦门', '青岛',
  '宁波', '大连', '沈阳', '长沙', '郑州', '济南', '合肥', '福州', '无锡', '东莞', '佛山', '珠海', '昆明', '哈尔滨', '长春',
  '石家庄', '太原', '南昌', '南宁', '贵阳', '兰州', '海口', '乌鲁木齐', '呼和浩特', '温州', '常州', '绍兴', '烟台', '中山',
  'china', 'beijing', 'shanghai', 'tianjin', 'chongqing', 'shenzhen', 'guangzhou', 'hangzhou', 'nanjing', 'suzhou',
  'chengdu', 'wuhan', "xi'an", 'xian', 'xiamen', 'qingdao', 'hong kong', 'hongkong', 'macau', 'taiwan', 'asia', 'asia pacific',
].sort((a, b) => b.length - a.length);
const ADMIN_SUFFIX = /^(?:省|市|自治区|特别行政区|区|县)/u;

const BRACKETS = /[(\[（【〔]([^()\[\]（）【】〔〕]*)[)\]）】〕]/gu;
const STRIP = /[\s\p{P}\p{S}]+/gu;

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

function isRegion(s: string): boolean {
  const t = s.trim().replace(/(?:省|市|自治区|特别行政区)$/u, '');
  return REGIONS.includes(t);
}

function stripLeadingRegion(s: string): string {
  for (const region of REGIONS) {
    if (!s.startsWith(region)) continue;
    let rest = s.slice(region.length);
    const admin = ADMIN_SUFFIX.exec(rest);
    if (admin) rest = rest.slice(admin[0].length);
    rest = rest.replace(/^[\s,.-]+/u, '');
    // "北京银行" stays whole: stripping would leave a generic word that many companies share.
    const core = rest.replace(STRIP, '');
    if ((admin && core.length >= 2) || core.length >= 3) return rest;
    return s;
  }
  return s;
}

export interface NormalisedName {
  /** The comparison key: equal keys = the same company. Empty = nothing left. */
  key: string;
  /** Pinyin of the key without tones ("huaweijishu"); the key itself for Latin names. */
  pinyin: string;
  /** Pinyin initials ("hwjs"). */
  initials: string;
}

export function normaliseCompanyName(raw: string): NormalisedName {
  let s = toSimplified(raw.normalize('NFKC')).toLowerCase();
  // Bracketed regions go; other bracketed words stay, without the brackets.
  s = s.replace(BRACKETS, (_m, inner: string) => (isRegion(inner) || LEGAL_FORMS.includes(inner.trim()) ? ' ' : ` ${inner} `));
  s = s.replace(/\s+/gu, ' ').trim();
  s = stripLegalForms(s);
  s = stripLeadingRegion(s);
  s = stripLegalForms(s);
  const key = s.replace(STRIP, '');
  return { key, ...pinyinOf(key) };
}

export function pinyinOf(key: string): { pinyin: string; initials: string } {
  if (!/\p{Script=Han}/u.test(key)) return { pinyin: key, initials: key };
  const full = pinyin(key, { toneType: 'none', type: 'array', nonZh: 'consecutive' }) as string[];
  const initials = pinyin(key, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' }) as string[];
  return { pinyin: full.join('').toLowerCase(), initials: initials.join('').toLowerCase() };
}
