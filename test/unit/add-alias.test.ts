// The pure check of another name (alias) of a customer, shared by `alias` and the import.
import { describe, expect, it } from 'vitest';
import { checkAlias } from '../../src/core/customers/add-alias.ts';
import { normaliseCompanyName } from '../../src/core/customers/normalise-name.ts';

const key = (name: string) => normaliseCompanyName(name).key;

describe('checkAlias', () => {
  const pufa = key('上海浦东发展银行股份有限公司');

  it('accepts a short, former or English name, cleaned as a stored name', () => {
    expect(checkAlias('浦发银行', pufa)).toMatchObject({ ok: true, name: '浦发银行', normalised: { key: '浦发银行' } });
    expect(checkAlias('  SPD\u200b  Bank ', pufa)).toMatchObject({ ok: true, name: 'SPD Bank' });
    expect(checkAlias('Huawei', key('华为技术有限公司'))).toMatchObject({ ok: true, normalised: { key: 'huawei' } });
  });

  it.each([
    ['empty', '', 'empty'],
    ['only a legal form', '有限公司', 'empty'],
    ['only format characters', '\u200b\u200d\u202e\ufeff', 'onlyFormat'],
    ['a control character', '浦发\u0007银行', 'control'],
    ['the import column’s separator', '浦发银行|SPD Bank', 'separator'],
    ['over 200 characters', '浦'.repeat(201), 'tooLong'],
    ['the company’s own name', '上海浦东发展银行股份有限公司', 'ownName'],
    ['its own key in another spelling', '上海浦東發展銀行', 'ownName'],
  ])('refuses %s', (_what, raw, problem) => {
    expect(checkAlias(raw, pufa)).toEqual({ ok: false, problem });
  });

  it('refuses the same company by the region rules as its own name', () => {
    expect(checkAlias('广东省深圳市大疆创新科技有限公司', key('深圳市大疆创新科技有限公司'))).toEqual({ ok: false, problem: 'ownName' });
    expect(checkAlias('浦'.repeat(200), pufa)).toMatchObject({ ok: true });
  });
});
