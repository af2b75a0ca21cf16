// `stage <company> <0|25|50|75|100|lost> [evidence…]` / 阶段: the owner or their manager
// moves a customer through the funnel, with the evidence the stage means. `stage <company>`
// without a stage opens the form of the next stage's evidence; a stage with evidence
// missing opens it with what was typed filled in.
import { z } from 'zod';
import { assertOwnerOrManager, changeStage } from '../../core/customers/change-stage.ts';
import { resolveCustomer } from '../../core/customers/find-customer.ts';
import { parseStage, STAGES, type StageOrLost } from '../../core/customers/funnel.ts';
import type { ChatCommand, ChatForm } from '../command.ts';
import { stageText } from '../customer-format.ts';
import { completeOneLine, formReply } from '../form-flow.ts';
import type { FormField, FormSpec } from '../form.ts';
import { t } from '../i18n.ts';
import { splitOptions } from '../options.ts';
import { errorReply, reply } from '../reply.ts';
import { InputError, parseWith, ZCompanyNameSchema } from '../validation.ts';

const EVIDENCE_KEYS = {
  contactName: ['contact', '联系人'],
  phone: ['tel', '电话', '手机'],
  email: ['邮箱'],
  keyPerson: ['keyperson', 'key', '关键人'],
  need: ['需求'],
  product: ['产品'],
  deal: ['成交', '合同'],
  amount: ['金额'],
  reason: ['原因'],
} as const;

type EvidenceName = keyof typeof EVIDENCE_KEYS;

const field = (name: EvidenceName, en: string, zh: string, more: Partial<FormField> = {}): FormField => ({
  name,
  kind: 'text',
  label: { en, 'zh-CN': zh },
  keys: EVIDENCE_KEYS[name],
  maxLength: 500,
  ...more,
});

/** The evidence fields of each stage (the rules themselves are core/customers/funnel.ts). */
const EVIDENCE_FIELDS: Record<StageOrLost, FormField[]> = {
  0: [],
  25: [
    field('contactName', 'Contact', '联系人', { required: true, maxLength: 100 }),
    field('phone', 'Phone', '电话', { maxLength: 40, hint: { en: 'Phone or email', 'zh-CN': '电话或邮箱至少一项' } }),
    field('email', 'Email', '邮箱', { maxLength: 200 }),
  ],
  50: [field('keyPerson', 'Key person', '关键人', { required: true, maxLength: 100 }), field('need', 'Need', '需求', { required: true, kind: 'longText' })],
  75: [field('product', 'Product matched', '匹配的产品', { required: true, maxLength: 200 })],
  100: [field('deal', 'Deal', '成交内容', { required: true, kind: 'longText' }), field('amount', 'Amount', '金额', { kind: 'number', min: 0, max: 1e12 })],
  lost: [field('reason', 'Reason', '原因', { required: true, kind: 'longText' })],
};

const ZStageContextSchema = z.object({ name: ZCompanyNameSchema, to: z.string() });

/** The stage form: the evidence fields of the stage the customer moves to. */
export const stageForm: ChatForm = {
  command: 'stage',
  spec(ctx, context) {
    const { name, to } = ZStageContextSchema.parse(context);
    const stage = parseStage(to) ?? 'lost';
    const target = stage === 'lost' ? t(ctx.locale, 'stage.lostLabel') : `${stage}%`;
    return {
      title: { en: `Stage ${target}`, 'zh-CN': `阶段 ${target}` },
      intro: { en: `Move ${name} to ${target}. ${t('en', `reason.evidence.${stage}`)}`, 'zh-CN': `把 ${name} 推进到 ${target}。${t('zh-CN', `reason.evidence.${stage}`)}` },
      fields: EVIDENCE_FIELDS[stage],
      submit: { en: 'Save stage', 'zh-CN': '保存阶段' },
    } satisfies FormSpec;
  },
  async submit(ctx, values, context) {
    const { name, to } = ZStageContextSchema.parse(context);
    const evidence = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));
    const { customer, from } = await changeStage({
      store: ctx.services.customers,
      directory: ctx.directory,
      actor: ctx.person,
      name,
      to: parseStage(to) ?? 'lost',
      evidence,
      now: ctx.services.clock(),
    });
    const text = customer.lost
      ? t(ctx.locale, 'stage.lost', { name: customer.name })
      : t(ctx.locale, 'stage.moved', { name: customer.name, from: `${from}%`, to: stageText(ctx.locale, customer) });
    return reply(text, [], 'success');
  },
};

export const stageCommand: ChatCommand = {
  name: 'stage',
  aliases: ['阶段'],
  usage: {
    en: 'stage <company> [0|25|50|75|100|lost] [contact:… phone:… email:… keyperson:… need:… product:… deal:… amount:… reason:…]',
    'zh-CN': '阶段 <公司> [0|25|50|75|100|丢失] [联系人:… 电话:… 邮箱:… 关键人:… 需求:… 产品:… 成交:… 金额:… 原因:…]',
  },
  summary: 'cmd.stage',
  roles: ['rep', 'manager'],
  async run(ctx, args) {
    const { locale } = ctx;
    const usage = this.usage[locale];
    const { positional, options } = splitOptions(args, EVIDENCE_KEYS);
    const stageToken = positional.at(-1);
    const to = stageToken === undefined ? undefined : parseStage(stageToken);
    if (to !== undefined) {
      const name = parseWith(ZCompanyNameSchema, positional.slice(0, -1).join(' '), locale, usage);
      return completeOneLine(ctx, 'customer.stage', options, { name, to: String(to) }, usage);
    }
    // A number or a percentage that is no stage is a typo of one, not part of the name.
    if (stageToken !== undefined && /^\d+%?$/.test(stageToken)) throw new InputError(t(locale, 'err.invalid', { problem: t(locale, 'reason.badStage'), usage }));
    // No stage: the next one's evidence form, for the customer as it is now.
    if (positional.length === 0) throw new InputError(t(locale, 'err.invalid', { problem: t(locale, 'reason.badStage'), usage }));
    const customer = await resolveCustomer({ store: ctx.services.customers, name: parseWith(ZCompanyNameSchema, positional.join(' '), locale, usage) });
    assertOwnerOrManager(ctx.directory, ctx.person, customer, 'stage');
    const next = STAGES.find((s) => s > customer.stage);
    if (customer.lost || next === undefined) return errorReply(t(locale, 'stage.noNext', { name: customer.name, stage: stageText(locale, customer) }), t(locale, 'help.usage', { usage }));
    return formReply(ctx, { name: 'customer.stage', context: { name: customer.name, to: String(next) }, values: options });
  },
};
