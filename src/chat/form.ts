// The neutral form model: what kehu asks a person to fill in, independent of where. A form
// is pure data (title, intro, fields, submit label; every text in both languages), rendered
// by pure functions into a Slack modal (render-slack-form.ts), a Lark card form
// (render-lark-form.ts) or questions in the shell, and validated by one zod schema built
// from its fields: a failure names the field and says what is wrong, in the person's
// language. Every front end hands in the submitted values in one neutral shape (below),
// after mapping its own (a Slack user id or a Lark open_id to the org person, a Lark date
// "2024-04-01 +0800" to "2024-04-01").
import { z } from 'zod';
import type { Locale, OrgDirectory } from '../core/org/org.ts';
import type { FormName } from './commands/index.ts';
import { t, type Sentence } from './i18n.ts';
import { splitOptions } from './options.ts';

export type FieldKind = 'text' | 'longText' | 'number' | 'date' | 'dateTime' | 'choice' | 'multiChoice' | 'person' | 'customer' | 'yesNo';

export interface FieldChoice {
  value: string;
  label: Sentence;
}

export interface FormField {
  /** Unique in the form: the key of its value, Slack's block_id, Lark's input name, the one-line key. */
  name: string;
  kind: FieldKind;
  label: Sentence;
  /** More one-line keys (Chinese, short forms) besides `name`. */
  keys?: readonly string[];
  required?: boolean;
  hint?: Sentence;
  /** Text fields: at most this many characters (default 200 short, 2000 long). */
  maxLength?: number;
  /** Number fields: the bounds. */
  min?: number;
  max?: number;
  /** choice / multiChoice. */
  choices?: readonly FieldChoice[];
  /** One-line forms: the words before the first `key:value` fill this field. */
  positional?: boolean;
}

export interface FormSpec {
  title: Sentence;
  /** Stated up front (a service's prerequisites, what a stage means). */
  intro?: Sentence;
  fields: readonly FormField[];
  submit: Sentence;
}

/**
 * Values as the front ends hand them in: text, number, date ("YYYY-MM-DD"), date-time
 * ("YYYY-MM-DD HH:mm", org time), choice, person (org id, email or name), customer (a name)
 * as strings; multiple choice as a list (or one comma-separated string); yes/no as a
 * boolean (or yes/no/是/否). Absent or empty: not given.
 */
/**
 * A form a reply asks the front end to open: which registered form (FORMS in
 * commands/index.ts), what it is about (a customer's name, the stage it moves to), and what
 * is filled in already (a one-line form's values). Small strings only: it travels inside
 * Slack's private_metadata and a Lark button's value (sealed, form-seal.ts).
 */
export interface FormRequest {
  name: FormName;
  context: Record<string, string>;
  values: TRawFormValues;
}

export type TRawFormValue = string | readonly string[] | boolean | undefined;
export type TRawFormValues = Record<string, TRawFormValue>;

/** What a valid form yields: person fields as org ids, numbers as numbers, yes/no as booleans. */
export type TFormValue = string | number | boolean | string[];
export type TFormValues = Record<string, TFormValue>;

export const MAX_SHORT_TEXT = 200;
export const MAX_LONG_TEXT = 2000;

export const maxLengthOf = (f: FormField) => f.maxLength ?? (f.kind === 'longText' ? MAX_LONG_TEXT : MAX_SHORT_TEXT);

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/u;
const CONTROL_SINGLE_LINE = /[\u0000-\u001f\u007f]/u;

const YES = new Set(['yes', 'y', 'true', '1', '是', '对', '要', 'on']);
const NO = new Set(['no', 'n', 'false', '0', '否', '不', '不要', 'off']);

/** Issue messages are "problem" or "problem:param"; validateForm turns them into sentences. */
type Problem = 'required' | 'tooLong' | 'controlChars' | 'notNumber' | 'range' | 'notDate' | 'notDateTime' | 'unknownChoice' | 'unknownPerson' | 'notYesNo' | 'notText';

type Report = (problem: Problem, param?: string | number) => void;

const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

function validDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** "2026-12-01 09:30" (a T works too): a valid calendar day and a time of day. */
export function normaliseDateTime(s: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})$/.exec(s.trim());
  if (!m || !validDate(m[1]!) || Number(m[2]) > 23 || Number(m[3]) > 59) return undefined;
  return `${m[1]} ${m[2]!.padStart(2, '0')}:${m[3]}`;
}

/** A person by org id, email or name (the org file's), or undefined. */
export function findPerson(directory: OrgDirectory, raw: string): string | undefined {
  const s = raw.trim().replace(/^@/, '');
  const p = directory.person(s) ?? directory.personByEmail(s) ?? directory.people.find((x) => x.name === s || x.name.toLowerCase() === s.toLowerCase());
  return p?.id;
}

/** One field's rule: its value, or undefined (not given, or wrong: then `issue` was told). */
function checkField(f: FormField, v: unknown, issue: Report, directory: OrgDirectory): TFormValue | undefined {
  {
    if (isEmpty(v)) {
      if (f.kind === 'yesNo' && !f.required) return false;
      if (f.required) issue('required');
      return undefined;
    }
    const text = (): string | undefined => {
      if (typeof v !== 'string') return void issue('notText');
      return v.trim();
    };
    switch (f.kind) {
      case 'text':
      case 'longText':
      case 'customer': {
        const s = text();
        if (s === undefined) return undefined;
        if ((f.kind === 'longText' ? CONTROL : CONTROL_SINGLE_LINE).test(s)) return void issue('controlChars');
        if ([...s].length > maxLengthOf(f)) return void issue('tooLong', maxLengthOf(f));
        return s;
      }
      case 'number': {
        const s = text();
        if (s === undefined) return undefined;
        const n = Number(s.replace(/[,，_]/g, ''));
        if (!/^[-+]?[\d,，_]*\.?\d+$/.test(s) || !Number.isFinite(n)) return void issue('notNumber');
        if ((f.min !== undefined && n < f.min) || (f.max !== undefined && n > f.max)) return void issue('range', `${f.min ?? ''}…${f.max ?? ''}`);
        return n;
      }
      case 'date': {
        const s = text();
        if (s === undefined) return undefined;
        const d = s.replace(/\//g, '-');
        if (!validDate(d)) return void issue('notDate');
        return d;
      }
      case 'dateTime': {
        const s = text();
        if (s === undefined) return undefined;
        const d = normaliseDateTime(s.replace(/\//g, '-'));
        if (!d) return void issue('notDateTime');
        return d;
      }
      case 'choice': {
        const s = text();
        if (s === undefined) return undefined;
        const c = choiceOf(f, s);
        if (!c) return void issue('unknownChoice', s);
        return c;
      }
      case 'multiChoice': {
        const list = typeof v === 'string' ? v.split(/[,，、]/u) : Array.isArray(v) ? v : undefined;
        if (!list || list.some((x) => typeof x !== 'string')) return void issue('notText');
        const out: string[] = [];
        for (const raw of (list as string[]).map((x) => x.trim()).filter(Boolean)) {
          const c = choiceOf(f, raw);
          if (!c) return void issue('unknownChoice', raw);
          if (!out.includes(c)) out.push(c);
        }
        if (out.length === 0 && f.required) return void issue('required');
        return out;
      }
      case 'person': {
        const s = text();
        if (s === undefined) return undefined;
        const id = findPerson(directory, s);
        if (!id) return void issue('unknownPerson', s);
        return id;
      }
      case 'yesNo': {
        if (typeof v === 'boolean') return v;
        const s = text()?.toLowerCase();
        if (s === undefined) return undefined;
        if (YES.has(s)) return true;
        if (NO.has(s)) return false;
        return void issue('notYesNo');
      }
    }
  }
}

/** A choice by its value or its label in either language (case-insensitive), or by its number ("2"). */
export function choiceOf(f: FormField, raw: string): string | undefined {
  const s = raw.trim().toLowerCase();
  const choices = f.choices ?? [];
  const hit = choices.find((c) => c.value.toLowerCase() === s || c.label.en.toLowerCase() === s || c.label['zh-CN'] === raw.trim());
  return hit?.value;
}

/** The one zod schema of a form: every field's rule, unknown keys dropped. */
export function formSchema(spec: FormSpec, directory: OrgDirectory): z.ZodType<TFormValues> {
  return z.record(z.string(), z.unknown()).transform((o, ctx) => {
    const values: TFormValues = {};
    for (const f of spec.fields) {
      const issue: Report = (problem, param) => ctx.addIssue({ code: 'custom', path: [f.name], message: param === undefined ? problem : `${problem}:${param}` });
      const v = checkField(f, Object.hasOwn(o, f.name) ? o[f.name] : undefined, issue, directory);
      if (v !== undefined) values[f.name] = v;
    }
    return values;
  });
}

export type FormCheck = { ok: true; values: TFormValues } | { ok: false; errors: Record<string, string> };

/** Validates what was submitted: the values, or one sentence per wrong field ("City: at most 50 characters"). */
export function validateForm(spec: FormSpec, raw: TRawFormValues, locale: Locale, directory: OrgDirectory): FormCheck {
  const result = formSchema(spec, directory).safeParse(raw);
  if (result.success) return { ok: true, values: result.data };
  const errors: Record<string, string> = {};
  for (const i of result.error.issues) {
    const name = String(i.path[0] ?? '');
    const field = spec.fields.find((f) => f.name === name);
    if (!field || errors[name]) continue;
    errors[name] = t(locale, 'form.fieldError', { label: field.label[locale], problem: problemSentence(locale, i.message) });
  }
  return { ok: false, errors };
}

/** Checks one field alone (the shell asks field by field): the value, or the sentence. */
export function validateField(spec: FormSpec, name: string, raw: TRawFormValue, locale: Locale, directory: OrgDirectory): { ok: true; value: TFormValue | undefined } | { ok: false; error: string } {
  const field = spec.fields.find((f) => f.name === name)!;
  const r = validateForm({ ...spec, fields: [field] }, { [name]: raw }, locale, directory);
  return r.ok ? { ok: true, value: r.values[name] } : { ok: false, error: r.errors[name]! };
}

function problemSentence(locale: Locale, message: string): string {
  const [problem, ...rest] = message.split(':');
  const param = rest.join(':');
  switch (problem as Problem) {
    case 'required':
      return t(locale, 'form.required');
    case 'tooLong':
      return t(locale, 'form.tooLong', { max: Number(param) });
    case 'controlChars':
      return t(locale, 'form.controlChars');
    case 'notNumber':
      return t(locale, 'form.notNumber');
    case 'range':
      return t(locale, 'form.range', { range: param });
    case 'notDate':
      return t(locale, 'form.notDate');
    case 'notDateTime':
      return t(locale, 'form.notDateTime');
    case 'unknownChoice':
      return t(locale, 'form.unknownChoice', { value: param });
    case 'unknownPerson':
      return t(locale, 'form.unknownPerson', { value: param });
    case 'notYesNo':
      return t(locale, 'form.notYesNo');
    default:
      return t(locale, 'form.notText');
  }
}

/** Required fields without a value: what a one-line form still needs. */
export function missingFields(spec: FormSpec, raw: TRawFormValues): FormField[] {
  return spec.fields.filter((f) => f.required && isEmpty(raw[f.name]));
}

/**
 * A one-line form: `claim 华为 city:深圳 contact:"Wang Fang"`. Keys are the field names and
 * their aliases (English or Chinese), values with spaces in quotes (or running on until the
 * next key); the words before the first key fill the positional field. Unknown keys stay
 * text of the value before them, as the commands always read them.
 */
export function parseOneLine(spec: FormSpec, args: string): { values: TRawFormValues; extra: string[] } {
  const keys = Object.fromEntries(spec.fields.map((f) => [f.name, f.keys ?? []]));
  const { positional, options } = splitOptions(args, keys);
  const values: Record<string, string> = { ...options };
  const target = spec.fields.find((f) => f.positional);
  const extra: string[] = [];
  if (positional.length) {
    if (target && values[target.name] === undefined) values[target.name] = positional.join(' ');
    else extra.push(...positional);
  }
  return { values, extra };
}

/** The field's value as text (a default in the shell, an initial value in a text input). */
export function valueText(f: FormField, v: TRawFormValue, locale: Locale, directory?: OrgDirectory): string {
  if (v === undefined) return '';
  if (typeof v === 'boolean') return t(locale, v ? 'form.yes' : 'form.no');
  if (Array.isArray(v)) return v.map((x) => choiceLabel(f, x, locale)).join(', ');
  const s = v as string;
  if (f.kind === 'choice') return choiceLabel(f, s, locale);
  if (f.kind === 'person') return directory?.person(s)?.name ?? s;
  return s;
}

const choiceLabel = (f: FormField, v: string, locale: Locale) => f.choices?.find((c) => c.value === v)?.label[locale] ?? v;
