// `export` / 导出: a manager gets their team's customers (theirs and everyone's below them)
// as a CSV in the import's columns, delivered as a file by each front end.
import { z } from 'zod';
import { exportCustomers } from '../../core/customers/export-customers.ts';
import { csvAttachment } from '../attachment.ts';
import type { ChatCommand } from '../command.ts';
import { dateText } from '../customer-format.ts';
import { t } from '../i18n.ts';
import { reply } from '../reply.ts';
import { parseWith } from '../validation.ts';

export const exportCommand: ChatCommand = {
  name: 'export',
  aliases: ['导出'],
  usage: { en: 'export', 'zh-CN': '导出' },
  summary: 'cmd.export',
  roles: ['manager'],
  async run(ctx, args) {
    const { locale, directory, person } = ctx;
    parseWith(z.literal(''), args, locale, this.usage[locale]);
    const book = await exportCustomers({ source: ctx.services.customerBook, directory, manager: person, locale });
    if (book.count === 0) return reply(t(locale, 'export.none'));
    const now = ctx.services.clock();
    const stamp = fileStamp(now, directory.org.timezone);
    // The person id is the org file's; keep only what every file system and chat accepts.
    const filename = `customers-${person.id.replace(/[^\w.-]/g, '_')}-${stamp}.csv`;
    const summary = t(locale, 'export.done', { count: book.count, filename });
    return {
      ...reply(summary, [
        { kind: 'text', text: summary },
        { kind: 'context', text: t(locale, 'export.hint') },
      ], 'success'),
      attachment: csvAttachment({ filename, title: t(locale, 'export.title', { company: directory.org.company, date: dateText(directory, now, locale) }), rows: () => book.rows() }),
    };
  },
};

/** 20260105-093000 in the org's time zone: sorts by time and is safe in a file name. */
function fileStamp(now: Date, timeZone: string): string {
  return now.toLocaleString('sv-SE', { timeZone }).replace(/[-:]/g, '').replace(' ', '-');
}
