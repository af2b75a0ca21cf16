// A form kehu sent, sealed: what it is (its request), whom it was opened for and when,
// signed with a secret only kehu knows (HMAC-SHA256). It travels in Slack's
// private_metadata and a Lark submit button's value, so a submission of a view or card
// kehu did not send, or one whose form name, context or person was changed on the way, or
// one past its lifetime, is refused before anything is read from it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { FormRequest } from './form.ts';
import { safeParseJson } from './json.ts';

/** A form older than this is stale (Slack keeps a modal open for hours; a Lark card lasts 14 days). */
export const FORM_LIFETIME_MS = 24 * 3600_000;

export interface SealedForm {
  request: Pick<FormRequest, 'name' | 'context'>;
  /** The org person the form was opened for. */
  openedFor: string;
  issuedAt: number;
}

const ZSealedFormSchema = z.object({
  n: z.string().min(1).max(60),
  c: z.record(z.string(), z.string().max(1000)),
  p: z.string().min(1).max(200),
  t: z.number().int().nonnegative(),
});

const mac = (secret: string, data: string) => createHmac('sha256', `kehu-form:${secret}`).update(data).digest('base64url');

export function sealForm(secret: string, form: SealedForm): string {
  const data = Buffer.from(JSON.stringify({ n: form.request.name, c: form.request.context, p: form.openedFor, t: form.issuedAt })).toString('base64url');
  return `${data}.${mac(secret, data)}`;
}

export type OpenedSeal = { ok: true; form: SealedForm } | { ok: false; reason: 'forged' | 'stale' };

export function openSeal(secret: string, token: unknown, now: Date): OpenedSeal {
  if (typeof token !== 'string' || token.length > 3000) return { ok: false, reason: 'forged' };
  const [data, signature, ...rest] = token.split('.');
  if (!data || !signature || rest.length) return { ok: false, reason: 'forged' };
  const expected = Buffer.from(mac(secret, data));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'forged' };
  const parsed = ZSealedFormSchema.safeParse(safeParseJson(Buffer.from(data, 'base64url').toString('utf8')));
  if (!parsed.success) return { ok: false, reason: 'forged' };
  const { n, c, p, t } = parsed.data;
  if (now.getTime() - t > FORM_LIFETIME_MS || t - now.getTime() > 5 * 60_000) return { ok: false, reason: 'stale' };
  return { ok: true, form: { request: { name: n as FormRequest['name'], context: c }, openedFor: p, issuedAt: t } };
}
