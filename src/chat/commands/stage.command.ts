// `stage <company> <0|25|50|75|100|lost> [evidence…]` / 阶段: the owner or their manager
// moves a customer through the funnel, with the evidence the stage means.
import { z } from 'zod';
import { changeStage } from '../../core/customers/change-stage.ts';
import { parseStage } from '../../core/customers/funnel.ts';
import type { ChatCommand } from '../command.ts';
import { stageText } from '../customer-format.ts';
import { t } from '../i18n.ts';
import { splitOptions } from '../options.ts';
import { reply } from '../reply.ts';
import { InputError, parseWith, ZCompanyNameSchema, ZPlainTextSchema } from '../validation.ts';

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

const ZEvidenceSchema = z.record(z.string(), ZPlainTextSchema(500));

export const stageCommand: ChatCommand = {
  name: 'stage',
  aliases: ['阶段'],
  usage: {
    en: 'stage <company> <0|25|50|75|100|lost> [contact:… phone:… email:… keyperson:… need:… product:… deal:… amount:… reason:…]',
    'zh-CN': '阶段 <公司> <0|25|50|75|100|丢失> [联系人:… 电话:… 邮箱:… 关键人:… 需求:… 产品:… 成交:… 金额:… 原因:…]',
  },
  summary: 'cmd.stage',
  roles: ['rep', 'manager'],
  async run(ctx, args) {
    const { locale } = ctx;
    const usage = this.usage[locale];
    const { positional, options } = splitOptions(args, EVIDENCE_KEYS);
    const stageToken = positional.at(-1);
    const to = stageToken === undefined ? undefined : parseStage(stageToken);
    if (to === undefined) throw new InputError(t(locale, 'err.invalid', { problem: t(locale, 'reason.badStage'), usage }));
    const name = parseWith(ZCompanyNameSchema, positional.slice(0, -1).join(' '), locale, usage);
    const evidence = parseWith(ZEvidenceSchema, options, locale, usage);
    const { customer, from } = await changeStage({
      store: ctx.services.customers,
      directory: ctx.directory,
      actor: ctx.person,
      name,
      to,
      evidence,
      now: ctx.services.clock(),
    });
    const text = customer.lost
      ? t(locale, 'stage.lost', { name: customer.name })
      : t(locale, 'stage.moved', { name: customer.name, from: `${from}%`, to: stageText(locale, customer) });
    return reply(text, [], 'success');
  },
};
