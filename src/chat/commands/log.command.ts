// `log <company> [call|visit|meeting|message|note] <what happened>` / 跟进: anyone records
// a follow-up on any customer; the owner is told.
import { logFollowUp, type FollowUpKind } from '../../core/customers/log-follow-up.ts';
import type { ChatCommand } from '../command.ts';
import { personName } from '../customer-format.ts';
import { t } from '../i18n.ts';
import { tokenize } from '../grammar.ts';
import { reply } from '../reply.ts';
import { InputError, parseWith, ZCompanyNameSchema, ZPlainTextSchema } from '../validation.ts';

const KIND_ALIASES: Record<string, FollowUpKind> = {
  call: 'call', 电话: 'call', visit: 'visit', 拜访: 'visit', meeting: 'meeting', 会议: 'meeting', 开会: 'meeting',
  message: 'message', 消息: 'message', 微信: 'message', note: 'note', 备注: 'note',
};

export const logCommand: ChatCommand = {
  name: 'log',
  aliases: ['跟进', '记录'],
  usage: { en: 'log <company> [call|visit|meeting|message|note] <what happened>', 'zh-CN': '跟进 <公司> [电话|拜访|会议|消息|备注] <内容>' },
  summary: 'cmd.log',
  async run(ctx, args) {
    const { locale } = ctx;
    const usage = this.usage[locale];
    const [first, second, ...rest] = tokenize(args);
    const name = parseWith(ZCompanyNameSchema, first ?? '', locale, usage);
    const kind = second !== undefined ? KIND_ALIASES[second.toLowerCase()] : undefined;
    const noteWords = kind ? rest : [second, ...rest].filter((w): w is string => w !== undefined);
    const note = parseWith(ZPlainTextSchema(2000), noteWords.join(' '), locale, usage);
    if (note === '') throw new InputError(t(locale, 'err.invalid', { problem: t(locale, 'reason.noteEmpty'), usage }));
    const { customer, ownerTold } = await logFollowUp({
      store: ctx.services.customers,
      directory: ctx.directory,
      actor: ctx.person,
      name,
      kind: kind ?? 'note',
      note,
      now: ctx.services.clock(),
    });
    const text = t(locale, 'log.done', { name: customer.name });
    const blocks = [{ kind: 'text' as const, text }];
    if (ownerTold) blocks.push({ kind: 'text', text: t(locale, 'log.ownerTold', { owner: personName(ctx.directory, customer.ownerId, locale) }) });
    return reply(text, blocks, 'success');
  },
};
