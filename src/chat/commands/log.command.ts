// `log <company> [call|visit|meeting|message|note] <what happened>` / 跟进: anyone records
// a follow-up on any customer; the owner is told. `log` alone opens the follow-up form (the
// customer searched by name, pinyin or initials, as `who`).
import { logFollowUp, type FollowUpKind } from '../../core/customers/log-follow-up.ts';
import type { ChatCommand, ChatForm, CommandContext } from '../command.ts';
import { formReply } from '../form-flow.ts';
import type { FormSpec } from '../form.ts';
import { personName } from '../customer-format.ts';
import { t } from '../i18n.ts';
import { tokenize } from '../grammar.ts';
import { reply } from '../reply.ts';
import { InputError, parseWith, ZCompanyNameSchema, ZPlainTextSchema } from '../validation.ts';

const KIND_ALIASES: Record<string, FollowUpKind> = {
  call: 'call', 电话: 'call', visit: 'visit', 拜访: 'visit', meeting: 'meeting', 会议: 'meeting', 开会: 'meeting',
  message: 'message', 消息: 'message', 微信: 'message', note: 'note', 备注: 'note',
};

const KINDS: readonly FollowUpKind[] = ['call', 'visit', 'meeting', 'message', 'note'];

const LOG_FORM: FormSpec = {
  title: { en: 'Log a follow-up', 'zh-CN': '记录跟进' },
  fields: [
    { name: 'company', kind: 'customer', label: { en: 'Customer', 'zh-CN': '客户' }, required: true, hint: { en: 'Name, pinyin or initials', 'zh-CN': '名称、拼音或首字母' } },
    {
      name: 'kind',
      kind: 'choice',
      label: { en: 'Kind', 'zh-CN': '方式' },
      choices: KINDS.map((k) => ({ value: k, label: { en: t('en', `kind.${k}`), 'zh-CN': t('zh-CN', `kind.${k}`) } })),
    },
    { name: 'note', kind: 'longText', label: { en: 'What happened', 'zh-CN': '内容' }, required: true, maxLength: 2000 },
  ],
  submit: { en: 'Log it', 'zh-CN': '记录' },
};

/** The follow-up form: customer, kind, what happened. */
export const logForm: ChatForm = {
  command: 'log',
  spec: () => LOG_FORM,
  submit: (ctx, values) => logIt(ctx, String(values.company), (values.kind as FollowUpKind | undefined) ?? 'note', String(values.note)),
};

async function logIt(ctx: CommandContext, name: string, kind: FollowUpKind, note: string) {
  const { locale } = ctx;
  const { customer, ownerTold } = await logFollowUp({ store: ctx.services.customers, directory: ctx.directory, actor: ctx.person, name, kind, note, now: ctx.services.clock() });
  const text = t(locale, 'log.done', { name: customer.name });
  const blocks = [{ kind: 'text' as const, text }];
  if (ownerTold) blocks.push({ kind: 'text', text: t(locale, 'log.ownerTold', { owner: personName(ctx.directory, customer.ownerId, locale) }) });
  return reply(text, blocks, 'success');
}

export const logCommand: ChatCommand = {
  name: 'log',
  aliases: ['跟进', '记录'],
  usage: { en: 'log <company> [call|visit|meeting|message|note] <what happened>', 'zh-CN': '跟进 <公司> [电话|拜访|会议|消息|备注] <内容>' },
  summary: 'cmd.log',
  async run(ctx, args) {
    const { locale } = ctx;
    const usage = this.usage[locale];
    if (args.trim() === '') return formReply(ctx, { name: 'customer.log', context: {}, values: {} });
    const [first, second, ...rest] = tokenize(args);
    const name = parseWith(ZCompanyNameSchema, first ?? '', locale, usage);
    const kind = second !== undefined ? KIND_ALIASES[second.toLowerCase()] : undefined;
    const noteWords = kind ? rest : [second, ...rest].filter((w): w is string => w !== undefined);
    const note = parseWith(ZPlainTextSchema(2000), noteWords.join(' '), locale, usage);
    if (note === '') throw new InputError(t(locale, 'err.invalid', { problem: t(locale, 'reason.noteEmpty'), usage }));
    return logIt(ctx, name, kind ?? 'note', note);
  },
};
