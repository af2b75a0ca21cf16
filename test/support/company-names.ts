// Realistic, diverse company names for the import tests and the claims benchmark: Chinese
// names (region + brand + trade + legal form, e.g. 深圳市云杉智联电子有限公司) and Latin ones
// (Kalomi Robotics Co., Ltd.), built from syllable lists by a seeded generator, each with
// the key, pinyin and initials normaliseCompanyName gives it — known by construction,
// because running the real normaliser a million times would take minutes (a test checks
// that the two agree). Also valid unified social credit codes.
import { creditCodeCheckChar } from '../../src/core/customers/credit-code.ts';
import { leadingChineseRegion, trailingChineseRegion } from '../../src/core/customers/regions.ts';

/** mulberry32: small, fast, seeded; the same seed gives the same book. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Brand characters with their toneless pinyin. None starts a region name (the normaliser
// would strip it) and none has a second common reading.
const HAN = (
  '云yun 杉shan 智zhi 联lian 锐rui 达da 恒heng 信xin 鼎ding 盛sheng 华hua 泰tai 瑞rui 丰feng 博bo 宇yu 腾teng 飞fei 凯kai 鑫xin ' +
  '诚cheng 嘉jia 昊hao 晟sheng 德de 佳jia 源yuan 汇hui 通tong 星xing 辰chen 启qi 航hang 卓zhuo 越yue 峰feng 森sen 林lin 益yi 康kang ' +
  '美mei 宏hong 创chuang 新xin 奥ao 拓tuo 展zhan 维wei 捷jie 耀yao 灵ling 睿rui 图tu 朗lang 雅ya 悦yue 尚shang 品pin 优you ' +
  '盈ying 聚ju 万wan 千qian 百bai 金jin 银yin 铭ming 科ke 讯xun 微wei 易yi 光guang 明ming 阳yang 晨chen 露lu 雪xue 松song ' +
  '竹zhu 梅mei 兰lan 菊ju 荣rong 富fu 贵gui 祥xiang 吉ji 顺shun 和he 宜yi 安an 家jia 恩en 惠hui 仁ren 义yi ' +
  '远yuan 志zhi 鸿hong 鹏peng 骏jun 驰chi 力li 能neng 坤kun 伟wei 豪hao 毅yi 俊jun 杰jie 英ying 才cai 哲zhe 思si 文wen'
)
  .split(' ')
  .map((s) => ({ han: s.slice(0, 1), pinyin: s.slice(1) }));
const SAFE_FIRST = HAN.filter((c) => !'长重南大安东和成石常西新内福吉合宁贵'.includes(c.han));
const TRADES = [
  ['科技', 'keji'], ['贸易', 'maoyi'], ['电子', 'dianzi'], ['医药', 'yiyao'], ['物流', 'wuliu'], ['建材', 'jiancai'],
  ['食品', 'shipin'], ['机械', 'jixie'], ['化工', 'huagong'], ['信息技术', 'xinxijishu'], ['网络', 'wangluo'], ['软件', 'ruanjian'],
  ['实业', 'shiye'], ['能源', 'nengyuan'], ['环保', 'huanbao'], ['文化', 'wenhua'], ['咨询', 'zixun'], ['服饰', 'fushi'],
  ['家居', 'jiaju'], ['汽配', 'qipei'], ['', ''],
] as const;
// Each with the code its key carries (regions are part of identity: normalise-name.ts).
const REGIONS = [['深圳市', '@CN4403'], ['北京', '@CN11'], ['上海', '@CN31'], ['广州市', '@CN4401'], ['杭州', '@CN3301'], ['成都市', '@CN5101'], ['（苏州）', '@CN3205'], ['', ''], ['', ''], ['', '']] as const;
const HAN_FORMS = ['有限公司', '股份有限公司', '有限责任公司', '集团有限公司', '公司'];

const SYLLABLES = ['ka', 'lo', 'mi', 'ze', 'tor', 'vi', 'ra', 'no', 'be', 'lu', 'sa', 'pe', 'do', 'fi', 'gu', 'je', 'ko', 'ma', 'ne', 'ri', 'su', 'ta', 'vo', 'lix', 'mor', 'quin', 'del', 'tek', 'zor', 'bal'];
const LATIN_TRADES = ['tech', 'systems', 'trading', 'labs', 'foods', 'logistics', 'software', 'energy', 'media', 'robotics', 'networks', 'pharma', ''];
const LATIN_FORMS = ['Co., Ltd.', 'Inc.', 'GmbH', 'Limited', 'LLC', 'Corp.', 'Pte. Ltd.'];

export interface GeneratedCompany {
  name: string;
  nameKey: string;
  pinyin: string;
  initials: string;
}

/** One company name; about 70% Chinese. Keys may repeat: callers keep a set if they need unique ones. */
export function randomCompany(random: () => number): GeneratedCompany {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  if (random() < 0.7) {
    const [trade, tradePinyin] = pick(TRADES);
    const length = (trade ? 2 : 3) + Math.floor(random() * 3);
    const chars = [pick(SAFE_FIRST), ...Array.from({ length: length - 1 }, () => pick(HAN))];
    const key = chars.map((c) => c.han).join('') + trade;
    // A brand that starts or ends like a place (雅安…, …吉林) would lose it to the region rules.
    if (leadingChineseRegion(key) || trailingChineseRegion(key)) return randomCompany(random);
    const tradeSyllables = tradePinyin.match(/[^aeiou]*[aeiou]+(?:ng|n(?![aeiou])|r(?![aeiou]))?/g) ?? [];
    const [region, code] = pick(REGIONS);
    return {
      name: `${region}${key}${pick(HAN_FORMS)}`,
      nameKey: key + code,
      pinyin: chars.map((c) => c.pinyin).join('') + tradePinyin,
      initials: chars.map((c) => c.pinyin[0]).join('') + tradeSyllables.map((s) => s[0]).join(''),
    };
  }
  const brand = Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(SYLLABLES)).join('');
  const trade = pick(LATIN_TRADES);
  const display = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  const key = brand + trade;
  return { name: `${display(brand)}${trade ? ` ${display(trade)}` : ''} ${pick(LATIN_FORMS)}`, nameKey: key, pinyin: key, initials: key };
}

const CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A unified social credit code with a correct check character. */
export function randomCreditCode(random: () => number): string {
  let first = '91';
  for (let i = 0; i < 15; i++) first += CODE_ALPHABET[Math.floor(random() * CODE_ALPHABET.length)];
  return first + creditCodeCheckChar(first);
}

/**
 * Rows of a customer book in the import format (English header), `count` customers with
 * distinct keys and credit codes, owned by `ownerEmails` in turn, claimed in 2024–2025.
 */
export function* customerBookRows(count: number, ownerEmails: readonly string[], seed = 1): Generator<string[]> {
  const random = seededRandom(seed);
  const keys = new Set<string>();
  const codes = new Set<string>();
  yield ['name', 'credit_code', 'owner_email', 'stage', 'claimed_at', 'last_follow_up'];
  const stages = ['0', '25', '50', '75', '100'];
  for (let i = 0; i < count; ) {
    const c = randomCompany(random);
    if (keys.has(c.nameKey)) continue;
    keys.add(c.nameKey);
    let code = '';
    if (random() < 0.5) {
      code = randomCreditCode(random);
      if (codes.has(code)) continue;
      codes.add(code);
    }
    const claimed = Date.UTC(2024, 0, 1) + Math.floor(random() * 700) * 86_400_000 + Math.floor(random() * 36_000) * 1000;
    const followUp = random() < 0.6 ? new Date(claimed + Math.floor(random() * 30) * 86_400_000).toISOString() : '';
    yield [c.name, code, ownerEmails[i % ownerEmails.length]!, stages[Math.floor(random() * stages.length)]!, new Date(claimed).toISOString(), followUp];
    i++;
  }
}
