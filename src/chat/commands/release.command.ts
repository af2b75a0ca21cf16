// `release <company>` / 释放: the owner (or their manager) gives a customer back to the pool.
import { releaseCustomer } from '../../core/customers/release-customer.ts';
import type { ChatCommand } from '../command.ts';
import { t } from '../i18n.ts';
import { reply } from '../reply.ts';
import { parseWith, ZCompanyNameSchema } from '../validation.ts';

export const releaseCommand: ChatCommand = {
  name: 'release',
  aliases: ['释放'],
  usage: { en: 'release <company>', 'zh-CN': '释放 <公司>' },
  summary: 'cmd.release',
  roles: ['rep', 'manager'],
  async run(ctx, args) {
    const name = parseWith(ZCompanyNameSchema, args, ctx.locale, this.usage[ctx.locale]);
    const customer = await releaseCustomer({ store: ctx.services.customers, extensions: ctx.services.extensions, directory: ctx.directory, actor: ctx.person, name, now: ctx.services.clock() });
    return reply(t(ctx.locale, 'release.done', { name: customer.name }), [], 'success');
  },
};
