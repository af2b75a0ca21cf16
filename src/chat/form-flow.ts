// How commands use forms (form.ts): a command typed without its arguments answers with its
// form; a one-line form (`claim 华为 city:深圳`) is submitted when it is complete and valid,
// answered with the form pre-filled when a required field is missing, and with the field
// errors when a value is wrong — the same validation as the form itself on every front end.
import { findCustomers } from '../core/customers/find-customer.ts';
import type { Locale } from '../core/org/org.ts';
import type { ChatForm, CommandContext, Services } from './command.ts';
import { FORMS, type FormName } from './commands/index.ts';
import { missingFields, parseOneLine, validateForm, type FormRequest, type FormSpec, type TRawFormValues } from './form.ts';
import { t } from './i18n.ts';
import { errorReply, reply, type Reply } from './reply.ts';
import { InputError } from './validation.ts';

export const formNamed = (name: string): ChatForm | undefined => (Object.hasOwn(FORMS, name) ? FORMS[name as FormName] : undefined);

/** The reply that opens a form: a sentence naming it (what a front end shows if it cannot open it) and the form. */
export function formReply(ctx: CommandContext, request: FormRequest): Reply {
  const spec = FORMS[request.name].spec(ctx, request.context);
  const text = t(ctx.locale, 'form.opened', { title: spec.title[ctx.locale] });
  return { ...reply(text), form: request };
}

/**
 * A command's one-line form: the form when nothing was typed, the form pre-filled when a
 * required field is missing, the errors when a value is wrong, else the form's submission.
 */
export async function runOneLine(ctx: CommandContext, name: FormName, args: string, context: Record<string, string>, usage: string): Promise<Reply> {
  const spec = FORMS[name].spec(ctx, context);
  const { values, extra } = parseOneLine(spec, args);
  if (extra.length) throw new InputError(t(ctx.locale, 'err.invalid', { problem: t(ctx.locale, 'err.badArgs'), usage }));
  if (args.trim() === '') return formReply(ctx, { name, context, values });
  return completeOneLine(ctx, name, values, context, usage);
}

/** The values of a one-line form, already read: the form pre-filled when one is missing, the errors, or the submission. */
export async function completeOneLine(ctx: CommandContext, name: FormName, values: TRawFormValues, context: Record<string, string>, usage: string): Promise<Reply> {
  const form = FORMS[name];
  const spec = form.spec(ctx, context);
  if (missingFields(spec, values).length) return formReply(ctx, { name, context, values });
  const check = validateForm(spec, values, ctx.locale, ctx.directory);
  if (!check.ok) return errorReply(Object.values(check.errors).join('\n'), t(ctx.locale, 'help.usage', { usage }));
  return form.submit(ctx, check.values, context);
}

export type FormOutcome =
  /** Wrong values: show the form again with these errors beside the fields, the input kept. */
  | { kind: 'invalid'; spec: FormSpec; errors: Record<string, string>; values: TRawFormValues; refused?: boolean }
  /** Submitted (or refused by the use case: the reply says so). */
  | { kind: 'done'; reply: Reply };

/** Validates a submission against its form and submits it; refusals are a reply, never a throw. */
export async function submitForm(ctx: CommandContext, request: FormRequest, raw: TRawFormValues): Promise<FormOutcome> {
  const form = FORMS[request.name];
  const spec = form.spec(ctx, request.context);
  const check = validateForm(spec, raw, ctx.locale, ctx.directory);
  if (!check.ok) return { kind: 'invalid', spec, errors: check.errors, values: raw };
  return { kind: 'done', reply: await form.submit(ctx, check.values, request.context) };
}

/**
 * A submission the rules refused (phone or email, a cooldown, …; nothing was written): the
 * form stays open with the input and the sentence beside its first field.
 */
export function keepFormOnRefusal(outcome: FormOutcome, spec: FormSpec, raw: TRawFormValues): FormOutcome {
  const first = spec.fields[0];
  if (outcome.kind !== 'done' || outcome.reply.tone !== 'error' || !first) return outcome;
  // `refused`: no one field is wrong, the whole answer was (a shell walks through every field again).
  return { kind: 'invalid', spec, errors: { [first.name]: outcome.reply.summary }, values: raw, refused: true };
}

/**
 * A form reply for a front end that cannot open the form now (a Slack DM has no trigger, a
 * trigger expired): the reply with an "Open the form" button that carries the request.
 */
export function withOpenButton(locale: Locale, r: Reply): Reply {
  if (!r.form) return r;
  const values = JSON.stringify(r.form.values);
  // A button's value holds 2,000 characters on Slack: a long prefill is dropped, not the button.
  const value = { form: r.form.name, context: JSON.stringify(r.form.context), ...(values.length <= 1500 ? { values } : {}) };
  const { form: _form, ...rest } = r;
  return { ...rest, blocks: [...r.blocks, { kind: 'actions', buttons: [{ label: t(locale, 'form.open'), action: 'form.open', value, style: 'primary' }] }] };
}

/** Customer names for a customer field's search box (name, pinyin or initials, as `who`). */
export async function suggestCustomers(services: Services, query: string, limit = 20): Promise<string[]> {
  if (query.trim() === '') return [];
  return (await findCustomers({ store: services.customers, query, limit })).map((c) => c.name);
}

/**
 * A customer field's choices where nothing searches as one types (a Lark card: its
 * select_static holds what the card was sent with): the matches of what was typed last
 * (a refused "several match"), else the person's own customers, latest stage first.
 */
export async function customerChoices(services: Services, personId: string, typed: string | undefined, limit: number): Promise<string[]> {
  const found = typed ? await suggestCustomers(services, typed, limit) : [];
  if (found.length) return found;
  return (await services.customers.listByOwner(personId, { offset: 0, limit })).items.map((c) => c.name);
}
