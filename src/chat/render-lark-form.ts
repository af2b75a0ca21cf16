// Renders a form (form.ts) as a Lark card JSON 2.0 with a `form` container, and reads a
// card.action.trigger's `form_value` back into the form's neutral values. Pure: no I/O.
// Each field is a bold label, its input (named after the field: `input`, `select_static`,
// `multi_select_static`, `select_person`, `date_picker`, `picker_datetime`, `checker`) and,
// when the last submission got it wrong, the error beside it; the submit button carries the
// sealed request (form-seal.ts) in its callback value. A customer field is searched the way
// a Lark card allows (it has no options served as one types, like Slack's external_select):
// a select_static of the adapter's choices (the person's customers, or the matches of what
// they typed last) beside an input for any other name, pinyin or initials, searched like
// `who` on submit; several matches come back as the choices, with the error.
import type { Locale } from '../core/org/org.ts';
import { fitText, LARK_LIMITS } from './fit.ts';
import { maxLengthOf, type FormField, type FormSpec, type TRawFormValues } from './form.ts';
import { t } from './i18n.ts';
import { escapeLarkMarkdown, type LarkCard } from './render-lark.ts';

/** The form container's name, and the key of the sealed request in the submit button's value. */
export const LARK_FORM_NAME = 'kehu_form';
export const LARK_FORM_TOKEN = 'kehu_form';

export interface LarkFormOptions {
  locale: Locale;
  values: TRawFormValues;
  /** The sealed request (form-seal.ts). */
  token: string;
  /** Field name → sentence, from the last submission. */
  errors?: Record<string, string>;
  /** Person fields: the Lark open_id of each value (org id → open_id), known to the adapter. */
  larkUserOf?: (personId: string) => string | undefined;
  /** Customer fields: the names to choose from (field name → names), found by the adapter. */
  customerChoices?: Record<string, readonly string[]>;
}

/** How many customers a card offers to choose from (a card is at most 30 KB). */
export const LARK_CUSTOMER_CHOICES = 50;
/** The input beside a customer field's choices: `<field>__typed`. */
export const typedName = (field: string) => `${field}__typed`;

const plain = (content: string) => ({ tag: 'plain_text', content });

export function renderLarkForm(spec: FormSpec, o: LarkFormOptions): LarkCard {
  const { locale } = o;
  const title = spec.title[locale];
  const errors = o.errors ?? {};
  const top: Record<string, unknown>[] = [];
  if (spec.intro) top.push({ tag: 'markdown', content: escapeLarkMarkdown(spec.intro[locale]) });
  if (Object.keys(errors).length) top.push({ tag: 'markdown', content: `<font color='red'>${escapeLarkMarkdown(t(locale, 'form.fix'))}</font>` });
  const inputs: Record<string, unknown>[] = [];
  for (const f of spec.fields) {
    const label = `**${escapeLarkMarkdown(f.label[locale])}**${f.required ? " <font color='red'>*</font>" : ''}${f.hint ? ` <font color='grey'>${escapeLarkMarkdown(f.hint[locale])}</font>` : ''}`;
    if (f.kind !== 'yesNo') inputs.push({ tag: 'markdown', content: label });
    inputs.push(...elements(f, o));
    if (errors[f.name]) inputs.push({ tag: 'markdown', content: `<font color='red'>${escapeLarkMarkdown(errors[f.name]!)}</font>`, text_size: 'notation' });
  }
  inputs.push({
    tag: 'button',
    name: 'kehu_submit',
    text: plain(fitText(spec.submit[locale], LARK_LIMITS.buttonText)),
    type: 'primary',
    form_action_type: 'submit',
    behaviors: [{ type: 'callback', value: { [LARK_FORM_TOKEN]: o.token } }],
  });
  return {
    schema: '2.0',
    config: { update_multi: true, summary: { content: fitText(title, LARK_LIMITS.summary) } },
    header: { title: { tag: 'plain_text', content: fitText(title, LARK_LIMITS.headerTitle) }, template: Object.keys(errors).length ? 'red' : 'blue' },
    body: { elements: [...top, { tag: 'form', name: LARK_FORM_NAME, elements: inputs }] },
  };
}

/** A field's inputs: one, or for a customer field with choices, the choices and a search input. */
function elements(f: FormField, o: LarkFormOptions): Record<string, unknown>[] {
  const choices = f.kind === 'customer' ? (o.customerChoices?.[f.name] ?? []).slice(0, LARK_CUSTOMER_CHOICES) : [];
  if (!choices.length) return [{ name: f.name, ...element(f, o) }];
  const v = o.values[f.name];
  const s = typeof v === 'string' && v !== '' ? v : undefined;
  const options = [...new Set(choices)].map((name) => ({ text: plain(fitText(name, LARK_LIMITS.optionText)), value: name }));
  // Neither is required by the client: either answers; the form's schema checks there is one.
  return [
    { tag: 'select_static', name: f.name, required: false, placeholder: plain(t(o.locale, 'form.customerPick')), options, ...(s && choices.includes(s) ? { initial_option: s } : {}) },
    { tag: 'input', name: typedName(f.name), required: false, placeholder: plain(t(o.locale, 'form.customerType')), max_length: Math.min(maxLengthOf(f), 1000), ...(s && !choices.includes(s) ? { default_value: s } : {}) },
  ];
}

function element(f: FormField, o: LarkFormOptions): Record<string, unknown> {
  const v = o.values[f.name];
  const s = typeof v === 'string' && v !== '' ? v : undefined;
  const required = f.required === true;
  const placeholder = plain(f.hint?.[o.locale] ?? f.label[o.locale]);
  const options = () => (f.choices ?? []).map((c) => ({ text: plain(c.label[o.locale]), value: c.value }));
  switch (f.kind) {
    case 'text':
    case 'longText':
    case 'number':
    case 'customer':
      return {
        tag: 'input',
        required,
        placeholder,
        max_length: Math.min(maxLengthOf(f), 1000),
        ...(f.kind === 'longText' ? { input_type: 'multiline_text', rows: 3 } : {}),
        ...(s ? { default_value: s } : {}),
      };
    case 'date':
      return { tag: 'date_picker', required, placeholder, ...(s && /^\d{4}-\d{2}-\d{2}$/.test(s) ? { initial_date: s } : {}) };
    case 'dateTime':
      return { tag: 'picker_datetime', required, placeholder, ...(s ? { initial_datetime: s } : {}) };
    case 'choice':
      return { tag: 'select_static', required, placeholder, options: options(), ...(s && f.choices?.some((c) => c.value === s) ? { initial_option: s } : {}) };
    case 'multiChoice': {
      const chosen = (Array.isArray(v) ? v : []).filter((x) => f.choices?.some((c) => c.value === x));
      return { tag: 'multi_select_static', required, placeholder, options: options(), ...(chosen.length ? { selected_values: chosen } : {}) };
    }
    case 'person': {
      const user = s ? o.larkUserOf?.(s) : undefined;
      return { tag: 'select_person', required, placeholder, ...(user ? { initial_option: user } : {}) };
    }
    case 'yesNo':
      return { tag: 'checker', checked: v === true, text: plain(f.label[o.locale]) };
  }
}

/**
 * The submitted `form_value` in the form's neutral shape: dates lose Lark's zone suffix
 * ("2024-04-01 +0800" → "2024-04-01"); person fields stay open_ids for the adapter to map.
 */
export function readLarkFormValue(spec: FormSpec, formValue: Record<string, unknown>): TRawFormValues {
  const values: TRawFormValues = {};
  for (const f of spec.fields) {
    // A customer typed beside the choices wins over the choice (which may be a default).
    const typed = f.kind === 'customer' && Object.hasOwn(formValue, typedName(f.name)) ? formValue[typedName(f.name)] : undefined;
    if (typeof typed === 'string' && typed.trim() !== '') {
      values[f.name] = typed;
      continue;
    }
    if (!Object.hasOwn(formValue, f.name)) continue;
    const v = formValue[f.name];
    if (typeof v === 'boolean' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))) values[f.name] = v as boolean | string[];
    else if (typeof v === 'string') values[f.name] = f.kind === 'date' || f.kind === 'dateTime' ? v.replace(/\s+[+-]\d{4}$/, '') : v;
    // Anything else (a number, an object) is not what Lark sends: kept as is, the form's schema refuses it.
    else values[f.name] = v as never;
  }
  return values;
}
