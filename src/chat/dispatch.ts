// The chat layer's entry: text or a button press from any front end → the right command
// or action → a Reply. Maps every failure to a sentence in the person's language; the
// only things that escape are FencedOut (an attempt that must end unanswered: db/effect-fence.ts)
// and, on Slack and Lark, a database that is away (db/transient-error.ts: the inbox row is run
// again later); a bug becomes "something went wrong, ref …".
import { isTransientDatabaseError } from '../db/transient-error.ts';
import { FencedOut, isAppError, type AppError } from '../core/errors.ts';
import type { Locale, OrgDirectory, Person } from '../core/org/org.ts';
import type { Logger } from '../observability/logger.ts';
import { mayUse, type ActionResult, type CommandContext, type Platform, type Services } from './command.ts';
import { actionNamed, COMMANDS, THREAD_REPLIES } from './commands/index.ts';
import { formNamed, keepFormOnRefusal, submitForm, type FormOutcome } from './form-flow.ts';
import type { FormRequest, FormSpec, TRawFormValues } from './form.ts';
import { parseInput } from './grammar.ts';
import { reasonSentence, t } from './i18n.ts';
import { errorReply, type Reply } from './reply.ts';
import { InputError } from './validation.ts';

export interface Inbound {
  directory: OrgDirectory;
  /** Undefined when the chat user matches nobody in the org file. */
  person?: Person;
  /** How to name the sender when they are not in the org (email or chat id). */
  who: string;
  platform: Platform;
  services: Services;
  requestId: string;
  logger: Logger;
}

function contextOf(inbound: Inbound): CommandContext | Reply {
  const locale = inbound.directory.localeOf(inbound.person);
  if (!inbound.person) return errorReply(t(locale, 'err.notInOrg', { who: inbound.who }));
  return { ...inbound, person: inbound.person, locale };
}

/** Slack's limit on a message's text; kehu holds every platform to it. */
export const MAX_COMMAND_CHARS = 4000;

export async function dispatchText(inbound: Inbound, text: string): Promise<Reply> {
  const ctx = contextOf(inbound);
  if (!('person' in ctx)) return ctx;
  // Answered in words rather than refused at the door: the front ends store and ack
  // whatever arrives, and the person learns why nothing happened.
  if (text.length > MAX_COMMAND_CHARS) return errorReply(t(ctx.locale, 'err.commandTooLong', { length: text.length, max: MAX_COMMAND_CHARS }));
  const parsed = parseInput(text, COMMANDS);
  const roles = ctx.directory.effectiveRoles(ctx.person);
  if (parsed.kind === 'empty') return run(ctx, () => COMMANDS.find((c) => c.name === 'help')!.run(ctx, ''));
  if (parsed.kind === 'unknown') {
    const suggestions = parsed.suggestions.filter((s) => mayUse(COMMANDS.find((c) => c.name === s)!, roles));
    const { locale } = ctx;
    return errorReply(
      [t(locale, 'err.unknownCommand', { input: parsed.input }), suggestions.length ? t(locale, 'err.didYouMean', { suggestions: suggestions.map((s) => `\`${s}\``).join(' / ') }) : '']
        .filter(Boolean)
        .join(' '),
      t(locale, 'err.seeHelp'),
    );
  }
  const command = COMMANDS.find((c) => c.name === parsed.name)!;
  if (!mayUse(command, roles)) {
    return errorReply(t(ctx.locale, 'err.forbidden', { action: `/kehu ${command.usage[ctx.locale]}` }), t(ctx.locale, 'err.seeHelp'));
  }
  return run(ctx, () => command.run(ctx, parsed.args));
}

export async function dispatchAction(inbound: Inbound, name: string, value: Record<string, string>): Promise<ActionResult> {
  const ctx = contextOf(inbound);
  if (!('person' in ctx)) return { notice: ctx };
  const action = actionNamed(name);
  if (!action) return { notice: errorReply(t(ctx.locale, 'err.unknownAction')) };
  try {
    return await action.run(ctx, value);
  } catch (e) {
    return { notice: failureReply(ctx, e) };
  }
}

/**
 * A reply typed in the thread of messages kehu sent (`threadKeys`: the keys those messages
 * were sent under, the thread's root first): what it means to the capability whose message
 * it answers (a comment on a request), or undefined when none of them is such a message —
 * the front end then treats it as it would any message.
 */
export async function dispatchThreadReply(inbound: Inbound, threadKeys: readonly string[], text: string): Promise<Reply | undefined> {
  for (const key of threadKeys) {
    for (const handler of THREAD_REPLIES) {
      const about = handler.about(key);
      if (about === undefined) continue;
      const ctx = contextOf(inbound);
      if (!('person' in ctx)) return ctx;
      if (text.length > MAX_COMMAND_CHARS) return errorReply(t(ctx.locale, 'err.commandTooLong', { length: text.length, max: MAX_COMMAND_CHARS }));
      return run(ctx, () => handler.run(ctx, about, text));
    }
  }
  return undefined;
}

/** What a form submission comes to: the form again with errors, the result, or a refusal (nothing written). */
export type FormAnswer = FormOutcome | { kind: 'refused'; reply: Reply };

/**
 * A submitted form (its request already proven to be one kehu sent: form-seal.ts): refused
 * when it was opened for somebody else or its command is no longer theirs, else validated
 * and submitted. Throws only FencedOut (the attempt ends unanswered).
 */
export async function dispatchForm(inbound: Inbound, submission: { request: FormRequest; openedFor: string }, raw: TRawFormValues): Promise<FormAnswer> {
  const ctx = contextOf(inbound);
  if (!('person' in ctx)) return { kind: 'refused', reply: ctx };
  if (submission.openedFor !== ctx.person.id) return { kind: 'refused', reply: errorReply(t(ctx.locale, 'form.notYours')) };
  const form = formNamed(submission.request.name);
  const command = form && COMMANDS.find((c) => c.name === form.command);
  if (!command) return { kind: 'refused', reply: errorReply(t(ctx.locale, 'form.forged')) };
  if (!mayUse(command, ctx.directory.effectiveRoles(ctx.person))) {
    return { kind: 'refused', reply: errorReply(t(ctx.locale, 'err.forbidden', { action: `/kehu ${command.usage[ctx.locale]}` })) };
  }
  let spec: FormSpec;
  try {
    spec = form.spec(ctx, submission.request.context);
  } catch {
    return { kind: 'refused', reply: errorReply(t(ctx.locale, 'form.forged')) };
  }
  let outcome: FormOutcome;
  try {
    outcome = await submitForm(ctx, submission.request, raw);
  } catch (e) {
    outcome = { kind: 'done', reply: failureReply(ctx, e) };
  }
  return keepFormOnRefusal(outcome, spec, raw);
}

/** The form a request names, in the person's language, for a front end to render; undefined when it is not one (refuse it). */
export function formSpecFor(inbound: Inbound, request: FormRequest): { spec: FormSpec; locale: Locale } | undefined {
  const ctx = contextOf(inbound);
  const form = formNamed(request.name);
  if (!('person' in ctx) || !form) return undefined;
  try {
    return { spec: form.spec(ctx, request.context), locale: ctx.locale };
  } catch {
    // A context that does not fit its form (tampered, or from an older version).
    return undefined;
  }
}

async function run(ctx: CommandContext, fn: () => Promise<Reply>): Promise<Reply> {
  try {
    return await fn();
  } catch (e) {
    return failureReply(ctx, e);
  }
}

function failureReply(ctx: CommandContext, e: unknown): Reply {
  // Not for the person: this attempt must end unanswered (db/effect-fence.ts).
  if (e instanceof FencedOut) throw e;
  if (isTransientDatabaseError(e)) {
    // Slack and Lark requests are inbox rows: this attempt fails and the row runs again once the
    // database is back (its back-off outlives an outage of about half an hour), answered then.
    // The shell has no inbox: it says so, and nothing was written (the transaction rolled back).
    if (ctx.platform !== 'shell') throw e;
    return errorReply(t(ctx.locale, 'err.databaseAway'));
  }
  if (e instanceof InputError) return errorReply(e.sentence);
  if (isAppError(e)) return errorReply(appErrorSentence(ctx.locale, e));
  ctx.logger.error({ err: e, requestId: ctx.requestId }, 'command failed');
  return errorReply(t(ctx.locale, 'err.internal', { ref: ctx.requestId }));
}

export function appErrorSentence(locale: Locale, e: AppError): string {
  // Errors that carry a reason have their own sentence (every reason has one: chat/i18n.ts).
  if (e.details.reason) return reasonSentence(locale, e.details);
  const d = e.details;
  switch (e.code) {
    case 'FORBIDDEN':
      return t(locale, 'err.forbidden', { action: String(d.action ?? e.message) });
    case 'NOT_FOUND':
      return t(locale, 'err.notFound', { what: String(d.what ?? e.message) });
    case 'CONFLICT':
      return t(locale, 'err.conflict', { what: String(d.what ?? e.message) });
    case 'ALREADY_DONE':
      return t(locale, 'err.alreadyDone');
    case 'NOT_IN_ORG':
      return t(locale, 'err.notInOrg', { who: String(d.who ?? '') });
    case 'INVALID_INPUT':
      return String(d[locale] ?? e.message);
    case 'INTERNAL':
      return t(locale, 'err.internal', { ref: String(d.ref ?? '') });
  }
}
