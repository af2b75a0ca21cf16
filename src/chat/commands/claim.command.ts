// `claim <company> [code:<credit code>] [city:<city>] [contact:<who>]` / 认领: register a
// company as the person's customer; typed without the company, the claim form. Also the
// "Different company → claim anyway" button.
import { z } from 'zod';
import { claimCustomer, type ClaimOutcome } from '../../core/customers/claim-customer.ts';
import type { Locale, OrgDirectory } from '../../core/org/org.ts';
import type { ChatAction, ChatCommand, ChatForm, CommandContext } from '../command.ts';
import { dateText, dateTimeText, personName, stageText } from '../customer-format.ts';
import { t } from '../i18n.ts';
import { runOneLine } from '../form-flow.ts';
import type { FormSpec } from '../form.ts';
import { errorReply, reply, type Reply } from '../reply.ts';
import { parseWith, ZCompanyNameSchema, ZPlainTextSchema } from '../validation.ts';

const ZClaimArgsSchema = z.object({
  name: ZCompanyNameSchema,
  creditCode: ZPlainTextSchema(40).optional(),
  city: ZPlainTextSchema(50).optional(),
  contact: ZPlainTextSchema(200).optional(),
});

const CLAIM_FORM: FormSpec = {
  title: { en: 'Claim a customer', 'zh-CN': '认领客户' },
  intro: {
    en: 'The first registration wins: a company someone already holds (under any spelling or its credit code) is refused, naming the owner.',
    'zh-CN': '先登记者得：已被他人认领的公司（任何写法或同一信用代码）会被拒绝，并告诉你负责人是谁。',
  },
  fields: [
    { name: 'name', kind: 'text', label: { en: 'Company', 'zh-CN': '公司' }, keys: ['company', '公司', '名称'], required: true, positional: true, maxLength: 200, hint: { en: 'The name as registered', 'zh-CN': '注册全称' } },
    { name: 'creditCode', kind: 'text', label: { en: 'Credit code', 'zh-CN': '信用代码' }, keys: ['code', '信用代码', '代码'], maxLength: 40, hint: { en: '18-character unified social credit code', 'zh-CN': '18 位统一社会信用代码' } },
    { name: 'city', kind: 'text', label: { en: 'City', 'zh-CN': '城市' }, keys: ['城市'], maxLength: 50 },
    { name: 'contact', kind: 'text', label: { en: 'Contact', 'zh-CN': '联系人' }, keys: ['联系人'], maxLength: 200 },
  ],
  submit: { en: 'Claim', 'zh-CN': '认领' },
};

/** The claim form: company, credit code, city, contact. */
export const claimForm: ChatForm = {
  command: 'claim',
  spec: () => CLAIM_FORM,
  async submit(ctx, values) {
    const input = parseWith(ZClaimArgsSchema, values, ctx.locale, claimCommand.usage[ctx.locale]);
    return claim(ctx, input);
  },
};

async function claim(ctx: CommandContext, input: z.infer<typeof ZClaimArgsSchema>): Promise<Reply> {
  const outcome = await claimCustomer({ store: ctx.services.customers, directory: ctx.directory, claimant: ctx.person, input, now: ctx.services.clock() });
  return claimReply(ctx.directory, ctx.locale, input, outcome);
}

export const claimCommand: ChatCommand = {
  name: 'claim',
  aliases: ['认领', '登记'],
  usage: { en: 'claim <company> [code:<credit code>] [city:<city>] [contact:<who>]', 'zh-CN': '认领 <公司> [信用代码:<代码>] [城市:<城市>] [联系人:<联系人>]' },
  summary: 'cmd.claim',
  roles: ['rep', 'manager'],
  run(ctx, args) {
    return runOneLine(ctx, 'customer.claim', args, {}, this.usage[ctx.locale]);
  },
};

export const claimAnywayAction: ChatAction = {
  async run(ctx, value) {
    const input = parseWith(ZClaimArgsSchema.extend({ differentFrom: z.string().min(1) }), value, ctx.locale, claimCommand.usage[ctx.locale]);
    const outcome = await claimCustomer({ store: ctx.services.customers, directory: ctx.directory, claimant: ctx.person, input, now: ctx.services.clock() });
    return { update: claimReply(ctx.directory, ctx.locale, input, outcome) };
  },
};

export function claimReply(directory: OrgDirectory, locale: Locale, input: z.infer<typeof ZClaimArgsSchema>, outcome: ClaimOutcome): Reply {
  switch (outcome.kind) {
    case 'claimed': {
      const c = outcome.customer;
      const text = outcome.nearDuplicateOf
        ? t(locale, 'claim.claimedNear', { name: c.name, other: outcome.nearDuplicateOf.name })
        : t(locale, 'claim.claimed', { name: c.name });
      const fields = [
        { label: t(locale, 'field.owner'), value: personName(directory, c.ownerId, locale) },
        { label: t(locale, 'field.stage'), value: stageText(locale, c) },
        { label: t(locale, 'field.since'), value: dateTimeText(directory, c.claimedAt, locale) },
        { label: t(locale, 'field.protectedUntil'), value: dateText(directory, c.releaseAt, locale) },
      ];
      if (c.creditCode) fields.push({ label: t(locale, 'field.creditCode'), value: c.creditCode });
      if (c.city) fields.push({ label: t(locale, 'field.city'), value: c.city });
      return reply(text, [{ kind: 'text', text }, { kind: 'fields', fields }], 'success');
    }
    case 'fromPool': {
      const text = t(locale, 'claim.fromPool', { name: outcome.customer.name, stage: stageText(locale, outcome.customer) });
      return reply(text, [], 'success');
    }
    case 'yoursAlready':
      return reply(t(locale, 'claim.yours', { name: outcome.customer.name }));
    case 'taken': {
      const c = outcome.customer;
      const text = t(locale, 'claim.taken', {
        name: c.name,
        owner: personName(directory, c.ownerId, locale),
        since: dateTimeText(directory, c.claimedAt, locale),
        stage: stageText(locale, c),
      });
      return reply(
        text,
        [
          { kind: 'text', text },
          { kind: 'context', text: t(locale, 'claim.takenHint') },
          { kind: 'actions', buttons: [{ label: t(locale, 'btn.contest'), action: 'customer.contest', value: { customerId: c.id }, style: 'danger' }] },
        ],
        'warning',
      );
    }
    case 'near': {
      const top = outcome.candidates[0]!.item;
      const text = t(locale, 'claim.near', { name: input.name });
      const claimValue: Record<string, string> = { name: input.name, differentFrom: top.id };
      for (const k of ['creditCode', 'city', 'contact'] as const) if (input[k]) claimValue[k] = input[k]!;
      return reply(
        text,
        [
          { kind: 'text', text },
          {
            kind: 'list',
            items: outcome.candidates.map(
              (c) => `${c.item.name} — ${personName(directory, c.item.ownerId, locale)} · ${stageText(locale, c.item)} (${Math.round(c.score * 100)}%)`,
            ),
          },
          {
            kind: 'actions',
            buttons: [
              { label: t(locale, 'btn.sameCompany', { name: top.name }), action: 'customer.contest', value: { customerId: top.id } },
              { label: t(locale, 'btn.differentCompany'), action: 'customer.claimAnyway', value: claimValue, style: 'primary' },
            ],
          },
        ],
        'warning',
      );
    }
    case 'cooldown':
      return errorReply(t(locale, 'claim.cooldown', { name: outcome.customer.name, until: dateText(directory, outcome.until, locale) }));
    case 'cap':
      return errorReply(t(locale, 'claim.cap', { held: outcome.held, max: outcome.max }));
  }
}
