// Shared zod pieces for command arguments and payloads, and the one place that turns a
// zod failure into a short sentence in the person's language.
import { z } from 'zod';
import type { Locale } from '../core/org/org.ts';
import { hasMessage, messageFor, t } from './i18n.ts';

// Issue messages are message keys (optionally "key:param"); parseWith localises them.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/u;

export function ZPlainTextSchema(max: number) {
  return z
    .string()
    .trim()
    .refine((s) => !CONTROL.test(s), { message: 'err.controlChars' })
    .refine((s) => [...s].length <= max, { message: `err.tooLong:${max}` });
}

export const MAX_NAME_LENGTH = 200;

/** A company name as typed: plain text, at most 200 characters, not empty. */
export const ZCompanyNameSchema = ZPlainTextSchema(MAX_NAME_LENGTH).pipe(z.string().min(1, 'reason.nameEmpty'));

export const ZCommandWordSchema = ZPlainTextSchema(40).pipe(z.string().regex(/^\S+$/u));

export class InputError extends Error {
  override name = 'InputError';
  constructor(readonly sentence: string) {
    super(sentence);
  }
}

/** Parses `input` or throws InputError with a localised sentence naming what is wrong. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown, locale: Locale, usage: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const [key, param] = issue.message.split(':') as [string, string | undefined];
  let problem: string;
  if (key === 'err.tooLong') problem = t(locale, 'err.tooLong', { max: Number(param) });
  else if (hasMessage(key)) problem = messageFor(locale, key, {});
  // zod's own wording is English and technical: say it plainly instead.
  else problem = t(locale, 'err.badArgs');
  throw new InputError(t(locale, 'err.invalid', { problem, usage }));
}
