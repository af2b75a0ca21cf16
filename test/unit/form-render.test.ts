// Every field kind rendered as a Slack modal and a Lark card form, and read back from what
// each platform submits. Pure: no I/O.
import { describe, expect, it } from 'vitest';
import type { FormSpec } from '../../src/chat/form.ts';
import { readLarkFormValue, renderLarkForm } from '../../src/chat/render-lark-form.ts';
import { readSlackState, renderSlackModal } from '../../src/chat/render-slack-form.ts';

const s = (en: string, zh: string) => ({ en, 'zh-CN': zh });
const SPEC: FormSpec = {
  title: s('A form with a rather long title indeed', '表单'),
  intro: s('Read *this* first', '先读这个'),
  submit: s('Send', '提交'),
  fields: [
    { name: 'short', kind: 'text', label: s('Short', '短'), required: true, maxLength: 20 },
    { name: 'long', kind: 'longText', label: s('Long', '长') },
    { name: 'n', kind: 'number', label: s('N', '数'), min: 0, max: 9 },
    { name: 'day', kind: 'date', label: s('Day', '日') },
    { name: 'at', kind: 'dateTime', label: s('At', '时') },
    { name: 'one', kind: 'choice', label: s('One', '单'), choices: [{ value: 'a', label: s('A', '甲') }, { value: 'b', label: s('B', '乙') }] },
    { name: 'many', kind: 'multiChoice', label: s('Many', '多'), choices: [{ value: 'a', label: s('A', '甲') }, { value: 'b', label: s('B', '乙') }] },
    { name: 'who', kind: 'person', label: s('Who', '谁') },
    { name: 'company', kind: 'customer', label: s('Company', '公司') },
    { name: 'ok', kind: 'yesNo', label: s('OK?', '好吗') },
  ],
};
const values = { short: 'hi', long: 'a\nb', n: '3', day: '2026-12-01', at: '2026-12-01 09:30', one: 'b', many: ['a', 'b'], who: 'tom.reed', company: '华为', ok: true };

describe('Slack modal', () => {
  const view = renderSlackModal(SPEC, { locale: 'en', values, privateMetadata: 'sealed', timezone: 'Asia/Shanghai', slackUserOf: (id) => (id === 'tom.reed' ? 'U0TOMREED' : undefined) }) as {
    title: { text: string };
    private_metadata: string;
    blocks: { type: string; block_id?: string; optional?: boolean; element?: Record<string, unknown> }[];
  };
  const el = (name: string) => view.blocks.find((b) => b.block_id === name)!.element!;

  it('renders each kind as its Block Kit element, with initial values, fitted titles', () => {
    expect(view.title.text).toHaveLength(24);
    expect(view.private_metadata).toBe('sealed');
    expect(view.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'Read \u200b*\u200bthis\u200b*\u200b first' } });
    expect(SPEC.fields.map((f) => el(f.name).type)).toEqual([
      'plain_text_input', 'plain_text_input', 'number_input', 'datepicker', 'datetimepicker', 'static_select', 'multi_static_select', 'users_select', 'external_select', 'checkboxes',
    ]);
    expect(el('short')).toMatchObject({ action_id: 'short', max_length: 20, initial_value: 'hi', multiline: false });
    expect(el('long')).toMatchObject({ multiline: true, initial_value: 'a\nb' });
    expect(el('n')).toMatchObject({ min_value: '0', max_value: '9', initial_value: '3' });
    expect(el('day').initial_date).toBe('2026-12-01');
    expect(el('at').initial_date_time).toBe(Date.UTC(2026, 11, 1, 1, 30) / 1000);
    expect((el('one').initial_option as { value: string }).value).toBe('b');
    expect((el('many').initial_options as unknown[]).length).toBe(2);
    expect(el('who').initial_user).toBe('U0TOMREED');
    expect(el('company').initial_option).toMatchObject({ value: '华为' });
    expect(el('ok').initial_options).toBeDefined();
    expect(view.blocks.find((b) => b.block_id === 'short')!.optional).toBe(false);
  });

  it('reads a view_submission state back into neutral values', () => {
    const state = {
      short: { short: { type: 'plain_text_input', value: 'hi' } },
      n: { n: { type: 'number_input', value: '3' } },
      day: { day: { type: 'datepicker', selected_date: '2026-12-01' } },
      at: { at: { type: 'datetimepicker', selected_date_time: Date.UTC(2026, 11, 1, 1, 30) / 1000 } },
      one: { one: { type: 'static_select', selected_option: { value: 'b' } } },
      many: { many: { type: 'multi_static_select', selected_options: [{ value: 'a' }] } },
      who: { who: { type: 'users_select', selected_user: 'U0TOMREED' } },
      company: { company: { type: 'external_select', selected_option: { value: '华为' } } },
      ok: { ok: { type: 'checkboxes', selected_options: [] } },
    };
    expect(readSlackState(SPEC, state, 'Asia/Shanghai')).toEqual({ short: 'hi', n: '3', day: '2026-12-01', at: '2026-12-01 09:30', one: 'b', many: ['a'], who: 'U0TOMREED', company: '华为', ok: false });
  });
});

describe('Lark card form', () => {
  const card = renderLarkForm(SPEC, { locale: 'zh-CN', values, token: 'sealed', errors: { n: '数：不是数字' }, larkUserOf: () => 'ou_tomreed' });
  const form = card.body.elements.find((e) => e.tag === 'form') as { elements: Record<string, unknown>[] };
  const el = (name: string) => form.elements.find((e) => e.name === name)!;

  it('renders each kind as its card 2.0 input inside one form container, errors beside the fields', () => {
    expect(SPEC.fields.map((f) => el(f.name).tag)).toEqual(['input', 'input', 'input', 'date_picker', 'picker_datetime', 'select_static', 'multi_select_static', 'select_person', 'input', 'checker']);
    expect(el('short')).toMatchObject({ required: true, default_value: 'hi', max_length: 20 });
    expect(el('long')).toMatchObject({ input_type: 'multiline_text' });
    expect(el('day').initial_date).toBe('2026-12-01');
    expect(el('at').initial_datetime).toBe('2026-12-01 09:30');
    expect(el('one').initial_option).toBe('b');
    expect(el('many').selected_values).toEqual(['a', 'b']);
    expect(el('who').initial_option).toBe('ou_tomreed');
    expect(el('ok').checked).toBe(true);
    const i = form.elements.indexOf(el('n'));
    expect(form.elements[i + 1]).toMatchObject({ tag: 'markdown', content: "<font color='red'>数：不是数字</font>" });
    expect(form.elements.at(-1)).toMatchObject({ tag: 'button', form_action_type: 'submit', behaviors: [{ type: 'callback', value: { kehu_form: 'sealed' } }] });
    expect(card.header?.template).toBe('red');
  });

  it('reads form_value back: dates without their zone, lists and booleans as sent', () => {
    expect(readLarkFormValue(SPEC, { short: 'hi', day: '2026-12-01 +0800', at: '2026-12-01 09:30 +0800', many: ['a'], who: 'ou_tomreed', ok: false, stray: 'x' })).toEqual({
      short: 'hi', day: '2026-12-01', at: '2026-12-01 09:30', many: ['a'], who: 'ou_tomreed', ok: false,
    });
  });

  it('offers a customer field with choices as a select_static beside a search input; what was typed wins', () => {
    const withChoices = renderLarkForm(SPEC, { locale: 'en', values: { company: '华为' }, token: 't', customerChoices: { company: ['华为技术有限公司', '华为终端有限公司'] } });
    const els = (withChoices.body.elements.find((e) => e.tag === 'form') as { elements: Record<string, unknown>[] }).elements;
    const pick = els.find((e) => e.name === 'company')!;
    expect(pick).toMatchObject({ tag: 'select_static', required: false, options: [{ value: '华为技术有限公司' }, { value: '华为终端有限公司' }] });
    expect(pick.initial_option).toBeUndefined();
    // What was typed (not one of the choices) stays in the search input.
    expect(els.find((e) => e.name === 'company__typed')).toMatchObject({ tag: 'input', default_value: '华为' });
    expect(readLarkFormValue(SPEC, { company: '华为终端有限公司', company__typed: '' })).toEqual({ company: '华为终端有限公司' });
    expect(readLarkFormValue(SPEC, { company: '华为终端有限公司', company__typed: 'hwjs' })).toEqual({ company: 'hwjs' });
    // A value among the choices is chosen in the list.
    const chosen = renderLarkForm(SPEC, { locale: 'en', values: { company: '华为终端有限公司' }, token: 't', customerChoices: { company: ['华为技术有限公司', '华为终端有限公司'] } });
    expect(JSON.stringify(chosen)).toContain('"initial_option":"华为终端有限公司"');
  });
});
