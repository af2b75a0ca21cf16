// The form model: one zod schema per form, errors naming the field in the person's
// language, one-line forms. Pure: no I/O.
import { describe, expect, it } from 'vitest';
import { loadOrgFile } from '../../src/config/org-file.ts';
import { missingFields, parseOneLine, validateField, validateForm, type FormSpec } from '../../src/chat/form.ts';
import { ShellForm } from '../../src/platforms/shell/shell-form.ts';
import { TEST_ORG_FILE } from '../support/test-org.ts';

const directory = loadOrgFile(TEST_ORG_FILE);
const s = (en: string, zh: string) => ({ en, 'zh-CN': zh });

const EVERY_KIND: FormSpec = {
  title: s('Every kind', '所有类型'),
  submit: s('Send', '提交'),
  fields: [
    { name: 'name', kind: 'text', label: s('Name', '名称'), required: true, positional: true, maxLength: 10, keys: ['名称'] },
    { name: 'notes', kind: 'longText', label: s('Notes', '备注') },
    { name: 'amount', kind: 'number', label: s('Amount', '金额'), min: 0, max: 100, keys: ['金额'] },
    { name: 'day', kind: 'date', label: s('Day', '日期') },
    { name: 'at', kind: 'dateTime', label: s('At', '时间') },
    { name: 'kind', kind: 'choice', label: s('Kind', '类型'), choices: [{ value: 'call', label: s('Call', '电话') }, { value: 'visit', label: s('Visit', '拜访') }] },
    { name: 'tags', kind: 'multiChoice', label: s('Tags', '标签'), choices: [{ value: 'a', label: s('Alpha', '甲') }, { value: 'b', label: s('Beta', '乙') }] },
    { name: 'host', kind: 'person', label: s('Host', '接待人') },
    { name: 'company', kind: 'customer', label: s('Company', '公司') },
    { name: 'urgent', kind: 'yesNo', label: s('Urgent', '紧急') },
  ],
};

describe('validateForm', () => {
  it('accepts every field kind and returns neutral values', () => {
    const r = validateForm(
      EVERY_KIND,
      { name: ' Acme ', notes: 'line 1\nline 2', amount: '42.5', day: '2026/12/01', at: '2026-12-01T9:30', kind: '拜访', tags: 'Alpha, b', host: 'Tom Reed', company: '华为', urgent: '是', extra: 'ignored' },
      'en',
      directory,
    );
    expect(r).toEqual({
      ok: true,
      values: { name: 'Acme', notes: 'line 1\nline 2', amount: 42.5, day: '2026-12-01', at: '2026-12-01 09:30', kind: 'visit', tags: ['a', 'b'], host: 'tom.reed', company: '华为', urgent: true },
    });
  });

  it('takes lists and booleans as the platforms send them; an absent yes/no is no', () => {
    const r = validateForm(EVERY_KIND, { name: 'x', tags: ['b'], host: 'mei.lin@kehu.test' }, 'en', directory);
    expect(r).toEqual({ ok: true, values: { name: 'x', tags: ['b'], host: 'mei.lin', urgent: false } });
  });

  it('names each wrong field and what is wrong, in the person’s language', () => {
    const bad = { name: 'much too long a name', amount: 'lots', day: '2026-02-30', at: 'tomorrow', kind: 'fax', tags: ['a', 'zzz'], host: 'nobody', urgent: 'maybe', notes: 'a\u0007b' };
    const en = validateForm(EVERY_KIND, bad, 'en', directory);
    expect(en).toEqual({
      ok: false,
      errors: {
        name: 'Name: at most 10 characters',
        notes: 'Notes: contains control characters; type it as plain text',
        amount: 'Amount: not a number',
        day: 'Day: not a date (YYYY-MM-DD)',
        at: 'At: not a date and time (YYYY-MM-DD HH:mm)',
        kind: 'Kind: “fax” is not one of the choices',
        tags: 'Tags: “zzz” is not one of the choices',
        host: 'Host: nobody in the org is “nobody”',
        urgent: 'Urgent: answer yes or no',
      },
    });
    const zh = validateForm(EVERY_KIND, { amount: '500' }, 'zh-CN', directory);
    expect(zh).toEqual({ ok: false, errors: { name: '名称：必填', amount: '金额：必须在 0…100 之间' } });
  });

  it('refuses values of the wrong type (a tampered payload) with a sentence, never a throw', () => {
    const r = validateForm(EVERY_KIND, { name: ['x'] as never, urgent: 3 as never, tags: [1] as never }, 'en', directory);
    expect(r.ok).toBe(false);
    expect(Object.keys((r as { errors: object }).errors).sort()).toEqual(['name', 'tags', 'urgent']);
  });

  it('checks one field alone', () => {
    expect(validateField(EVERY_KIND, 'amount', '7', 'en', directory)).toEqual({ ok: true, value: 7 });
    expect(validateField(EVERY_KIND, 'name', '', 'zh-CN', directory)).toEqual({ ok: false, error: '名称：必填' });
  });
});

describe('one-line forms', () => {
  it('reads positional words, keys in both languages and quoted values with spaces', () => {
    expect(parseOneLine(EVERY_KIND, 'Acme Ltd notes:"call back soon" 金额:12 host:tom.reed')).toEqual({
      values: { name: 'Acme Ltd', notes: 'call back soon', amount: '12', host: 'tom.reed' },
      extra: [],
    });
    expect(parseOneLine(EVERY_KIND, '名称:华为 kind:call notes:a long note').values).toEqual({ name: '华为', kind: 'call', notes: 'a long note' });
  });

  it('lists the required fields still missing', () => {
    expect(missingFields(EVERY_KIND, parseOneLine(EVERY_KIND, 'notes:x').values).map((f) => f.name)).toEqual(['name']);
    expect(missingFields(EVERY_KIND, parseOneLine(EVERY_KIND, 'Acme').values)).toEqual([]);
  });
});

describe('ShellForm after a refused submission', () => {
  const SPEC: FormSpec = {
    title: s('Visit', '拜访'),
    submit: s('Send', '提交'),
    fields: [
      { name: 'company', kind: 'text', label: s('Company', '公司'), required: true },
      { name: 'city', kind: 'text', label: s('City', '城市') },
      { name: 'host', kind: 'person', label: s('Host', '接待人') },
    ],
  };
  const filled = () => {
    const form = new ShellForm(SPEC, 'en', directory, {});
    form.start();
    form.answer('Acme');
    form.answer('Shenzhen');
    const done = form.answer('Tom Reed');
    expect(done).toEqual({ kind: 'done', values: { company: 'Acme', city: 'Shenzhen', host: 'tom.reed' } });
    return form;
  };

  it('asks again only the fields named, each after its sentence, keeping every other answer', () => {
    const form = filled();
    const again = form.reask({ city: 'City: not served here' });
    expect(again).toEqual({ kind: 'ask', text: '✗ City: not served here\nCity (optional) [Shenzhen]: ' });
    expect(form.answer('Beijing')).toEqual({ kind: 'done', values: { company: 'Acme', city: 'Beijing', host: 'tom.reed' } });
  });

  it('walks through every field again when the rules refused the whole answer, Enter keeping each', () => {
    const form = filled();
    expect(form.reask({ company: 'Acme is Sara Ng’s customer already' }, true)).toEqual({ kind: 'ask', text: '✗ Acme is Sara Ng’s customer already\nCompany [Acme]: ' });
    expect(form.answer('Acme Two')).toEqual({ kind: 'ask', text: 'City (optional) [Shenzhen]: ' });
    expect(form.answer('')).toEqual({ kind: 'ask', text: 'Host (optional) [Tom Reed]: ' });
    expect(form.answer('')).toEqual({ kind: 'done', values: { company: 'Acme Two', city: 'Shenzhen', host: 'tom.reed' } });
  });
});
