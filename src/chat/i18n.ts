// Every sentence the bot says, in zh-CN and en side by side per key. Each capability keeps
// its sentences in chat/messages/<capability>.messages.ts and is merged here with one line;
// a sentence missing a language, or called with the wrong parameters, does not compile.
// Pick the language with OrgDirectory.localeOf(person).
import type { AppErrorParams, ReasonDetails } from '../core/errors.ts';
import type { Locale, Role } from '../core/org/org.ts';
import { COMMON_MESSAGES } from './messages/common.messages.ts';
import { CUSTOMER_MESSAGES, CUSTOMER_REASON_SENTENCES } from './messages/customer.messages.ts';
import { FORM_MESSAGES } from './messages/form.messages.ts';
import { DIGEST_MESSAGES } from './messages/digest.messages.ts';
import { VISITOR_MESSAGES, VISITOR_REASON_SENTENCES } from './messages/visitor.messages.ts';
import { REQUEST_MESSAGES, REQUEST_REASON_SENTENCES } from './messages/request.messages.ts';
import { HANDOVER_MESSAGES, HANDOVER_REASON_SENTENCES } from './messages/handover.messages.ts';

/** One sentence in every language. */
export type Sentence = Record<Locale, string>;
/** A key's sentence: fixed, or built from its parameters (the same ones in every language). */
export type MessageEntry = Sentence | ((params: never) => Sentence);
export type Messages = Record<string, MessageEntry>;

/** The keys of `M` whose sentence needs nothing beyond `Params`. */
export type MessageKeyTaking<M extends Messages, Params> = {
  [K in keyof M]: M[K] extends (p: infer P) => Sentence ? (Params extends P ? K : never) : K;
}[keyof M];

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** One dictionary from the capabilities' ones; a key defined twice is a start-up error. */
function mergeMessages<const Parts extends readonly Messages[]>(...parts: Parts): UnionToIntersection<Parts[number]> {
  const merged: Messages = {};
  for (const part of parts) {
    for (const key of Object.keys(part)) {
      if (Object.hasOwn(merged, key)) throw new Error(`message "${key}" is defined twice`);
      merged[key] = part[key]!;
    }
  }
  return merged as UnionToIntersection<Parts[number]>;
}

const MESSAGES = mergeMessages(
  COMMON_MESSAGES,
  CUSTOMER_MESSAGES,
  FORM_MESSAGES,
  DIGEST_MESSAGES,
  VISITOR_MESSAGES,
  REQUEST_MESSAGES,
  HANDOVER_MESSAGES,
);

type Dictionary = typeof MESSAGES;

/** The sentence of every AppError reason, quoting what the reason carries: one line per capability. */
const REASON_SENTENCES: { [R in keyof AppErrorParams]: MessageKeyTaking<Dictionary, AppErrorParams[R]> } = {
  ...CUSTOMER_REASON_SENTENCES,
  ...VISITOR_REASON_SENTENCES,
  ...HANDOVER_REASON_SENTENCES,
  ...REQUEST_REASON_SENTENCES,
};

export type MessageKey = keyof Dictionary & string;
type ParamsOf<K extends MessageKey> = Dictionary[K] extends (p: infer P) => Sentence ? [P] : [];

function sentence(key: MessageKey, params: unknown): Sentence {
  const entry = MESSAGES[key] as MessageEntry;
  return typeof entry === 'function' ? (entry as (p: unknown) => Sentence)(params) : entry;
}

/** The sentence for `key` in `locale`. */
export function t<K extends MessageKey>(locale: Locale, key: K, ...params: ParamsOf<K>): string {
  return sentence(key, params[0])[locale];
}

export function roleNames(locale: Locale, roles: Iterable<Role>): string {
  const names = [...roles].map((r) => t(locale, `role.${r}`));
  return names.length ? names.join(locale === 'en' ? ', ' : '、') : t(locale, 'none');
}

export function listJoin(locale: Locale, items: string[]): string {
  return items.join(locale === 'en' ? ', ' : '、');
}

export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(MESSAGES, key);
}

/** For keys chosen at run time (a follow-up kind, a zod issue): the sentence with `params`. */
export function messageFor(locale: Locale, key: MessageKey, params: Record<string, string | number | undefined>): string {
  return sentence(key, params)[locale];
}

/** The sentence of an AppError reason, with the error's details as its parameters. */
export function reasonSentence(locale: Locale, details: ReasonDetails): string {
  return messageFor(locale, REASON_SENTENCES[details.reason], details);
}
