// `mine [page]` / 我的: the person's customers grouped by stage with the last follow-up;
// `pool [page]` / 公海: claimable customers, newest releases first. Paged.
import { z } from 'zod';
import { STAGES } from '../../core/customers/funnel.ts';
import { listOwnCustomers, listPoolCustomers } from '../../core/customers/list-customers.ts';
import type { ChatCommand } from '../command.ts';
import { dateText, stageText } from '../customer-format.ts';
import { t } from '../i18n.ts';
import { reply, type ReplyBlock } from '../reply.ts';
import { parseWith } from '../validation.ts';

export const PAGE_SIZE = 20;
const ZPageSchema = z.union([z.literal('').transform(() => 1), z.coerce.number().int().min(1).max(100_000)]);

export const mineCommand: ChatCommand = {
  name: 'mine',
  aliases: ['我的', 'my'],
  usage: { en: 'mine [page]', 'zh-CN': '我的 [页码]' },
  summary: 'cmd.mine',
  roles: ['rep', 'manager'],
  async run(ctx, args) {
    const { locale, directory } = ctx;
    const page = parseWith(ZPageSchema, args, locale, this.usage[locale]);
    const { items, total } = await listOwnCustomers({ store: ctx.services.customers, owner: ctx.person, page: { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE } });
    if (total === 0) return reply(t(locale, 'mine.none'));
    const blocks: ReplyBlock[] = [{ kind: 'header', text: t(locale, 'mine.title', { total }) }];
    for (const stage of [...STAGES].reverse()) {
      const here = items.filter((c) => c.stage === stage);
      if (!here.length) continue;
      blocks.push({ kind: 'text', text: t(locale, 'mine.stage', { stage: `${stage}%`, count: here.length }) });
      blocks.push({ kind: 'list', items: here.map((c) => `${c.name} — ${t(locale, 'field.lastFollowUp')} ${dateText(directory, c.lastFollowUpAt, locale)}`) });
    }
    blocks.push(...pageFooter(locale, page, items.length, total, this.usage[locale].split(' ')[0]!));
    return reply(t(locale, 'mine.title', { total }), blocks);
  },
};

export const poolCommand: ChatCommand = {
  name: 'pool',
  aliases: ['公海'],
  usage: { en: 'pool [page]', 'zh-CN': '公海 [页码]' },
  summary: 'cmd.pool',
  async run(ctx, args) {
    const { locale, directory } = ctx;
    const page = parseWith(ZPageSchema, args, locale, this.usage[locale]);
    const { items, total } = await listPoolCustomers({ store: ctx.services.customers, page: { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE } });
    if (total === 0) return reply(t(locale, 'pool.none'));
    return reply(t(locale, 'pool.title', { total }), [
      { kind: 'header', text: t(locale, 'pool.title', { total }) },
      {
        kind: 'list',
        items: items.map((c) => t(locale, 'pool.line', { name: c.name, stage: stageText(locale, c), released: dateText(directory, c.releasedAt, locale) })),
      },
      ...pageFooter(locale, page, items.length, total, this.usage[locale].split(' ')[0]!),
    ]);
  },
};

function pageFooter(locale: 'en' | 'zh-CN', page: number, shown: number, total: number, command: string): ReplyBlock[] {
  const first = (page - 1) * PAGE_SIZE;
  if (first + shown >= total) return [];
  return [{ kind: 'context', text: t(locale, 'page.more', { shown: `${first + 1}–${first + shown}`, total, next: `/kehu ${command} ${page + 1}` }) }];
}
