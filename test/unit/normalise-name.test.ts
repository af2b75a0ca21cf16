import { describe, expect, it } from 'vitest';
import { checkCreditCode, creditCodeCheckChar } from '../../src/core/customers/credit-code.ts';
import { cleanCompanyName, normaliseCompanyName, splitKey } from '../../src/core/customers/normalise-name.ts';
import { regionContains, regionsCompatible } from '../../src/core/customers/regions.ts';

const key = (s: string) => normaliseCompanyName(s).key;

describe('company name normalisation', () => {
  it.each([
    ['华为技术有限公司', '华为技术'],
    ['華為技術有限公司', '华为技术'],
    ['ＨＵＡＷＥＩ　Technologies Co., Ltd.', 'huaweitechnologies'],
    ['Huawei Technologies Co.,Ltd', 'huaweitechnologies'],
    ['HUAWEI TECHNOLOGIES INC.', 'huaweitechnologies'],
    ['字节跳动科技股份有限公司', '字节跳动科技'],
    ['阿里巴巴集团控股有限公司', '阿里巴巴'],
    ['腾讯控股', '腾讯'],
    ['“小米”科技有限责任公司', '小米科技'],
    ['华润（集团）有限公司', '华润'],
  ])('%s → %s', (raw, expected) => {
    expect(key(raw)).toBe(expected);
  });

  it.each([
    // leading, repeated, bracketed in any bracket style, trailing; Chinese and Latin
    ['深圳市华为技术有限公司', '华为技术@CN4403'],
    ['华为技术（深圳）有限公司', '华为技术@CN4403'],
    ['华为技术(深圳)有限公司', '华为技术@CN4403'],
    ['华为技术【深圳】有限公司', '华为技术@CN4403'],
    ['华为技术〔深圳市〕有限公司', '华为技术@CN4403'],
    ['华为技术有限公司深圳分公司', '华为技术@CN4403'],
    ['深圳市大疆创新科技有限公司', '大疆创新科技@CN4403'],
    ['广东省深圳市大疆创新科技有限公司', '大疆创新科技@CN4403'],
    ['深圳市南山区华为技术有限公司', '华为技术@CN440305'],
    ['浙江吉利控股集团有限公司', '吉利@CN33'],
    ['北京字节跳动科技有限公司', '字节跳动科技@CN11'],
    ['上海农村商业银行股份有限公司', '农村商业银行@CN31'],
    ['北京航空航天大学', '航空航天大学@CN11'],
    ['南京航空航天大学', '航空航天大学@CN3201'],
    ['三星电子（韩国）有限公司', '三星电子@KR'],
    ['Siemens (China) GmbH', 'siemens@CN'],
    ['Siemens Germany GmbH', 'siemens@DE'],
    ['Acme (Shanghai) Trading LLC', 'acmetrading@CN31'],
    ['Acme Trading Shanghai Co., Ltd.', 'acmetrading@CN31'],
    ['Samsung Electronics (Korea)', 'samsungelectronics@KR'],
    ['Hong Kong Telecom', 'telecom@CN81'],
  ])('region: %s → %s', (raw, expected) => {
    expect(key(raw)).toBe(expected);
  });

  it('keeps a region plus a generic word whole: the region is the name itself', () => {
    expect(key('北京银行')).toBe('北京银行');
    expect(key('上海银行股份有限公司')).toBe('上海银行');
    expect(key('上海大学')).toBe('上海大学');
    expect(key('中山大学')).toBe('中山大学');
    expect(key('深圳航空有限责任公司')).toBe('深圳航空');
    expect(key('Bank of Beijing')).toBe('bankofbeijing');
    expect(key('Shenzhen Airlines Co., Ltd.')).toBe('shenzhenairlines');
    expect(key('北京银行')).not.toBe(key('上海银行'));
  });

  it('does not take words for regions (a county only by its full name)', () => {
    expect(key('吉利控股集团有限公司')).toBe('吉利');
    expect(key('长安汽车')).toBe('长安汽车');
    expect(key('东方航空')).toBe('东方航空');
  });

  it('does not eat word endings that only look like a suffix', () => {
    expect(key('Taco Inc')).toBe('taco');
    expect(key('Alco')).toBe('alco');
  });

  it('normalises names made only of legal forms, or only of format characters, to nothing', () => {
    expect(key('有限公司')).toBe('');
    expect(key('  Co., Ltd. ')).toBe('');
    expect(key('（北京）')).toBe('');
    expect(key('\u200b\u200d\ufeff')).toBe('');
  });

  it.each([
    ['zero-width space', '\u200b'],
    ['zero-width non-joiner', '\u200c'],
    ['zero-width joiner', '\u200d'],
    ['word joiner', '\u2060'],
    ['left-to-right mark', '\u200e'],
    ['right-to-left override', '\u202e'],
    ['left-to-right isolate', '\u2066'],
    ['byte-order mark', '\ufeff'],
    ['soft hyphen', '\u00ad'],
    ['variation selector', '\ufe0f'],
  ])('removes a %s from the key and the stored name', (_what, ch) => {
    expect(key(`华为${ch}技术有限公司`)).toBe('华为技术');
    expect(key(`Micro${ch}soft`)).toBe('microsoft');
    expect(cleanCompanyName(`${ch}华为${ch}技术有限公司${ch}`)).toBe('华为技术有限公司');
  });

  it('ignores trailing sentence punctuation', () => {
    expect(key('华为技术有限公司。')).toBe('华为技术');
    expect(key('华为技术.')).toBe('华为技术');
    expect(key('Acme Inc.')).toBe('acme');
    expect(key('Acme.')).toBe('acme');
  });

  it('gives pinyin and initials of the core for search', () => {
    expect(normaliseCompanyName('华为技术有限公司')).toEqual({ key: '华为技术', core: '华为技术', pinyin: 'huaweijishu', initials: 'hwjs' });
    expect(normaliseCompanyName('深圳市华为技术有限公司')).toMatchObject({ core: '华为技术', region: 'CN4403', pinyin: 'huaweijishu' });
    expect(normaliseCompanyName('重庆银行').pinyin).toBe('chongqingyinhang');
    expect(normaliseCompanyName('Acme Ltd').initials).toBe('acme');
  });

  it('splits a key into its core and region', () => {
    expect(splitKey('大疆创新科技@CN4403')).toEqual({ core: '大疆创新科技', region: 'CN4403' });
    expect(splitKey('华为技术')).toEqual({ core: '华为技术' });
  });
});

describe('regions (GB/T 2260 and ISO 3166)', () => {
  it('knows which contains which', () => {
    expect(regionContains('CN44', 'CN4403')).toBe(true);
    expect(regionContains('CN', 'CN440305')).toBe(true);
    expect(regionContains('CN4403', 'CN44')).toBe(false);
    expect(regionsCompatible('CN4403', 'CN44')).toBe(true);
    expect(regionsCompatible('CN31', 'CN11')).toBe(false);
    expect(regionsCompatible('CN4403', 'CN4401')).toBe(false);
    expect(regionsCompatible('DE', 'CN')).toBe(false);
  });
});

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts a valid code, in any case and with spaces', () => {
    expect(checkCreditCode('91350100M000100Y43')).toEqual({ ok: true, code: '91350100M000100Y43' });
    expect(checkCreditCode(' 91350100m000100y43 ')).toEqual({ ok: true, code: '91350100M000100Y43' });
  });

  it('computes the check character', () => {
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
  });

  it('refuses wrong length, letters outside the alphabet and a wrong checksum', () => {
    expect(checkCreditCode('91350100M000100Y4')).toEqual({ ok: false, problem: 'length' });
    expect(checkCreditCode('91350100M000100YI3')).toEqual({ ok: false, problem: 'characters' });
    expect(checkCreditCode('91350100M000100Y44')).toEqual({ ok: false, problem: 'checksum' });
  });
});
