// Renders a form (form.ts) as a Slack modal, and reads a view_submission's state back into
// the form's neutral values. Pure: no I/O. Each field is an `input` block whose block_id and
// action_id are the field's name, so `response_action: errors` can name it and Slack keeps
// what the person typed. Person fields are users_select (the adapter maps Slack users to the
// org both ways), choices static_select, dates datepicker, customers an external_select
// served on block_suggestion.
import { instantsOf, wallClock } from '../core/time/wall-clock.ts';
import type { Locale } from '../core/org/org.ts';
import { fitText } from './fit.ts';
import { maxLengthOf, normaliseDateTime, type FormField, type FormSpec, type TRawFormValues } from './form.ts';
import { t } from './i18n.ts';
import { escapeMrkdwn } from './render-slack.ts';

/** Block Kit's limits for views (docs.slack.dev, reference/views and block elements). */
export const SLACK_VIEW_LIMITS = {
  title: 24,
  button: 24,
  label: 2000,
  hint: 2000,
  optionText: 75,
  optionValue: 150,
  options: 100,
  privateMetadata: 3000,
  textInput: 3000,
} as const;

/** The callback_id of every kehu form; what it is travels sealed in private_metadata. */
export const SLACK_FORM_CALLBACK = 'kehu:form';

type Block = Record<string, unknown>;

export interface SlackModalOptions {
  locale: Locale;
  values: TRawFormValues;
  /** The sealed request (form-seal.ts). */
  privateMetadata: string;
  timezone: string;
  /** Person fields: the Slack user of each value (org id → Slack user id), known to the adapter. */
  slackUserOf?: (personId: string) => string | undefined;
}

const plain = (text: string, max: number) => ({ type: 'plain_text', text: fitText(text, max), emoji: true });

export function renderSlackModal(spec: FormSpec, o: SlackModalOptions): Record<string, unknown> {
  const { locale } = o;
  const blocks: Block[] = [];
  if (spec.intro) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: fitText(escapeMrkdwn(spec.intro[locale]), 3000) } });
  for (const f of spec.fields) {
    blocks.push({
      type: 'input',
      block_id: f.name,
      optional: !f.required,
      label: plain(f.label[locale], SLACK_VIEW_LIMITS.label),
      ...(f.hint ? { hint: plain(f.hint[locale], SLACK_VIEW_LIMITS.hint) } : {}),
      element: { action_id: f.name, ...element(f, o) },
    });
  }
  return {
    type: 'modal',
    callback_id: SLACK_FORM_CALLBACK,
    private_metadata: o.privateMetadata,
    title: plain(spec.title[locale], SLACK_VIEW_LIMITS.title),
    submit: plain(spec.submit[locale], SLACK_VIEW_LIMITS.button),
    close: plain(t(locale, 'form.cancel'), SLACK_VIEW_LIMITS.button),
    blocks,
  };
}

const option = (f: FormField, value: string, locale: Locale) => {
  const c = f.choices?.find((x) => x.value === value);
  return { text: plain(c ? c.label[locale] : value, SLACK_VIEW_LIMITS.optionText), value: value.slice(0, SLACK_VIEW_LIMITS.optionValue) };
};

function element(f: FormField, o: SlackModalOptions): Record<string, unknown> {
  const v = o.values[f.name];
  const s = typeof v === 'string' && v !== '' ? v : undefined;
  const options = () => (f.choices ?? []).slice(0, SLACK_VIEW_LIMITS.options).map((c) => option(f, c.value, o.locale));
  switch (f.kind) {
    case 'text':
    case 'longText':
      return {
        type: 'plain_text_input',
        multiline: f.kind === 'longText',
        max_length: Math.min(maxLengthOf(f), SLACK_VIEW_LIMITS.textInput),
        ...(s ? { initial_value: s } : {}),
      };
    case 'number':
      return {
        type: 'number_input',
        is_decimal_allowed: true,
        ...(f.min !== undefined ? { min_value: String(f.min) } : {}),
        ...(f.max !== undefined ? { max_value: String(f.max) } : {}),
        ...(s ? { initial_value: s } : {}),
      };
    case 'date':
      return { type: 'datepicker', ...(s && /^\d{4}-\d{2}-\d{2}$/.test(s) ? { initial_date: s } : {}) };
    case 'dateTime': {
      const initial = s ? toUnixSeconds(s, o.timezone) : undefined;
      return { type: 'datetimepicker', ...(initial !== undefined ? { initial_date_time: initial } : {}) };
    }
    case 'choice':
      return { type: 'static_select', options: options(), ...(s && f.choices?.some((c) => c.value === s) ? { initial_option: option(f, s, o.locale) } : {}) };
    case 'multiChoice': {
      const chosen = (Array.isArray(v) ? v : []).filter((x) => f.choices?.some((c) => c.value === x));
      return { type: 'multi_static_select', options: options(), ...(chosen.length ? { initial_options: chosen.map((x) => option(f, x, o.locale)) } : {}) };
    }
    case 'person': {
      const user = s ? o.slackUserOf?.(s) : undefined;
      return { type: 'users_select', ...(user ? { initial_user: user } : {}) };
    }
    case 'customer':
      return { type: 'external_select', min_query_length: 1, ...(s ? { initial_option: { text: plain(s, SLACK_VIEW_LIMITS.optionText), value: s.slice(0, SLACK_VIEW_LIMITS.optionValue) } } : {}) };
    case 'yesNo': {
      const yes = { text: plain(f.label[o.locale], SLACK_VIEW_LIMITS.optionText), value: 'yes' };
      return { type: 'checkboxes', options: [yes], ...(v === true ? { initial_options: [yes] } : {}) };
    }
  }
}

function toUnixSeconds(s: string, timezone: string): number | undefined {
  const d = normaliseDateTime(s);
  if (!d) return undefined;
  const [date, time] = d.split(' ') as [string, string];
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const at = instantsOf({ year, month, day, hour, minute, second: 0 }, timezone)[0];
  return at === undefined ? undefined : Math.floor(at / 1000);
}

/** One element's state in a view_submission (`view.state.values[block_id][action_id]`). */
export interface SlackElementState {
  type?: string;
  value?: string | null;
  selected_option?: { value?: string } | null;
  selected_options?: { value?: string }[] | null;
  selected_user?: string | null;
  selected_date?: string | null;
  selected_date_time?: number | null;
}

/**
 * The submitted values in the form's neutral shape. Person fields come back as Slack user
 * ids, for the adapter to map to the org; a field the state lacks is absent.
 */
export function readSlackState(spec: FormSpec, state: Record<string, Record<string, SlackElementState>>, timezone: string): TRawFormValues {
  const values: TRawFormValues = {};
  for (const f of spec.fields) {
    const e = state[f.name]?.[f.name];
    if (!e) continue;
    switch (f.kind) {
      case 'choice':
      case 'customer':
        values[f.name] = e.selected_option?.value ?? undefined;
        break;
      case 'multiChoice':
        values[f.name] = (e.selected_options ?? []).map((x) => x.value ?? '');
        break;
      case 'person':
        values[f.name] = e.selected_user ?? undefined;
        break;
      case 'date':
        values[f.name] = e.selected_date ?? undefined;
        break;
      case 'dateTime': {
        const secs = e.selected_date_time;
        if (typeof secs === 'number') {
          const w = wallClock(secs * 1000, timezone);
          const p = (n: number) => String(n).padStart(2, '0');
          values[f.name] = `${w.year}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}`;
        }
        break;
      }
      case 'yesNo':
        values[f.name] = (e.selected_options ?? []).some((x) => x.value === 'yes');
        break;
      default:
        values[f.name] = e.value ?? undefined;
    }
  }
  return values;
}
