import { describe, expect, it } from 'vitest';
import { checkCreditCode, creditCodeCheckChar } from '../../src/core/customers/credit-code.ts';
import { normaliseCompanyName } from '../../src/core/customers/normalise-name.ts';

const key = (s: string) => normaliseCompanyName(s).key;

describe('company name normalisation', () => {
  it.each([
    ['华为技术有限公司', '华为技术'],
    ['華為技術有限公司', '华为技术'],
    ['华为技术（深圳）有限公司', '华为技术'],
    ['华为技术(深圳)有限公司', '华为技术'],
    ['深圳市华为技术有限公司', '华为技术'],
    ['ＨＵＡＷＥＩ　Technologies Co., Ltd.', 'huaweitechnologies'],
    ['Huawei Technologies Co.,Ltd', 'huaweitechnologies'],
    ['HUAWEI TECHNOLOGIES INC.', 'huaweitechnologies'],
    ['Siemens (China) GmbH', 'siemens'],
    ['Acme (Shanghai) Trading LLC', 'acmetrading'],
    ['北京字节跳动科技有限公司', '字节跳动科技'],
    ['字节跳动科技股份有限公司', '字节跳动科技'],
    ['阿里巴巴集团控股有限公司', '阿里巴巴'],
    ['腾讯控股', '腾讯'],
    ['“小米”科技有限责任公司', '小米科技'],
  ])('%s → %s', (raw, expected) => {
    expect(key(raw)).toBe(expected);
  });

  it('keeps a generic remainder whole instead of merging different companies', () => {
    expect(key('北京银行')).toBe('北京银行');
    expect(key('上海银行股份有限公司')).toBe('上海银行');
    expect(key('北京银行')).not.toBe(key('上海银行'));
  });

  it('does not eat word endings that only look like a suffix', () => {
    expect(key('Taco Inc')).toBe('taco');
    expect(key('Alco')).toBe('alco');
  });

  it('normalises names made only of legal forms to nothing', () => {
    expect(key('有限公司')).toBe('');
    expect(key('  Co., Ltd. ')).toBe('');
    expect(key('（北京）')).toBe('');
  });

  it('gives pinyin and initials for search', () => {
    expect(normaliseCompanyName('华为技术有限公司')).toEqual({ key: '华为技术', pinyin: 'huaweijishu', initials: 'hwjs' });
    expect(normaliseCompanyName('重庆银行').pinyin).toBe('chongqingyinhang');
    expect(normaliseCompanyName('Acme Ltd').initials).toBe('acme');
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
