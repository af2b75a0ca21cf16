// `who <company>` / 查询: anyone (front desk and finance too) sees who owns a company, its
// stage and last follow-up — never deal details. Pinyin and initials work (`who hwjs`).
import { findCustomers } from '../../core/customers/find-customer.ts';
import { handoverNoteFor } from '../../core/handovers/handover-note.ts';
import type { ChatCommand } from '../command.ts';
import { dateText, personName, stageText } from '../customer-format.ts';
import { t } from '../i18n.ts';
import { reply } from '../reply.ts';
import { parseWith, ZCompanyNameSchema } from '../validation.ts';

export const whoCommand: ChatCommand = {
  name: 'who',
  aliases: ['查询', '查', 'whois'],
  usage: { en: 'who <company | pinyin | initials>', 'zh-CN': '查询 <公司 | 拼音 | 首字母>' },
  summary: 'cmd.who',
  async run(ctx, args) {
    const { locale, directory } = ctx;
    const query = parseWith(ZCompanyNameSchema, args, locale, this.usage[locale]);
    const found = await findCustomers({ store: ctx.services.customers, query });
    if (found.length === 0) return reply(t(locale, 'who.none', { query }));
    const lines = found.map((c) =>
      t(locale, 'who.line', {
        name: c.name,
        owner: personName(directory, c.ownerId, locale),
        stage: stageText(locale, c),
        last: dateText(directory, c.lastFollowUpAt, locale),
      }),
    );
    // The handover note, for the owner's line (issue 14 point 3).
    const notes: string[] = [];
    for (const c of found.slice(0, 5)) {
      const n = await handoverNoteFor({ store: ctx.services.handovers, directory, actor: ctx.person, customer: c });
      if (n) notes.push(`${c.name} — ${t(locale, 'handover.noteShown', { leaver: personName(directory, n.leaverId, locale), note: n.note })}`);
    }
    return reply(lines[0]!, [{ kind: 'header', text: t(locale, 'who.title', { query }) }, { kind: 'list', items: lines }, ...(notes.length ? [{ kind: 'list' as const, items: notes }] : [])]);
  },
};
