// `alias <company> <other name>` / 别名: the owner (or their manager) gives a customer
// another name (简称, 曾用名, English name); a claim under it is then refused as taken and
// `who` finds it. The company is the first word (quote a name with spaces); the rest is the alias.
import { addAlias } from '../../core/customers/add-alias.ts';
import type { ChatCommand } from '../command.ts';
import { tokenize } from '../grammar.ts';
import { t } from '../i18n.ts';
import { reply } from '../reply.ts';
import { InputError, parseWith, ZCompanyNameSchema } from '../validation.ts';

export const aliasCommand: ChatCommand = {
  name: 'alias',
  aliases: ['别名'],
  usage: { en: 'alias <company> <other name>', 'zh-CN': '别名 <公司> <别名>' },
  summary: 'cmd.alias',
  roles: ['rep', 'manager'],
  async run(ctx, args) {
    const { locale } = ctx;
    const usage = this.usage[locale];
    const [first, ...rest] = tokenize(args);
    const name = parseWith(ZCompanyNameSchema, first ?? '', locale, usage);
    // The alias is checked by the use case (checkAlias), as the import checks its column.
    const other = rest.join(' ');
    if (other.trim() === '') throw new InputError(t(locale, 'err.invalid', { problem: t(locale, 'reason.alias.empty', { name }), usage }));
    const { customer, alias, already } = await addAlias({ store: ctx.services.customers, directory: ctx.directory, actor: ctx.person, name, alias: other, now: ctx.services.clock() });
    return reply(t(locale, already ? 'alias.already' : 'alias.added', { alias, name: customer.name }), [], already ? undefined : 'success');
  },
};
