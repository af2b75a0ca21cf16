// `whoami` / 我是谁: the person's org record.
import { z } from 'zod';
import { describePerson } from '../../core/org/describe-person.ts';
import type { Locale } from '../../core/org/org.ts';
import type { ChatCommand } from '../command.ts';
import { listJoin, roleNames, t } from '../i18n.ts';
import { reply, type ReplyBlock } from '../reply.ts';
import { parseWith } from '../validation.ts';
import type { PersonRecord } from '../../core/org/describe-person.ts';

export function personFields(locale: Locale, record: PersonRecord): ReplyBlock {
  const none = t(locale, 'none');
  const fields = [
    { label: t(locale, 'field.email'), value: record.person.email },
    {
      label: t(locale, 'field.department'),
      value: record.department ? `${record.department.name} (${t(locale, `dept.${record.department.kind}`)})` : none,
    },
    { label: t(locale, 'field.manager'), value: record.manager?.name ?? none },
    { label: t(locale, 'field.roles'), value: roleNames(locale, record.roles) },
  ];
  if (record.heads.length) fields.push({ label: t(locale, 'field.heads'), value: listJoin(locale, record.heads.map((d) => d.name)) });
  if (record.reports.length) fields.push({ label: t(locale, 'field.reports'), value: listJoin(locale, record.reports.map((p) => p.name)) });
  return { kind: 'fields', fields };
}

export const whoamiCommand: ChatCommand = {
  name: 'whoami',
  aliases: ['我是谁', 'me'],
  usage: { en: 'whoami', 'zh-CN': '我是谁' },
  summary: 'cmd.whoami',
  async run(ctx, args) {
    parseWith(z.literal(''), args, ctx.locale, this.usage[ctx.locale]);
    const record = describePerson({ directory: ctx.directory, person: ctx.person });
    return reply(`${record.person.name} — ${record.department?.name ?? ''}`, [
      { kind: 'header', text: t(ctx.locale, 'whoami.title', { name: record.person.name }) },
      personFields(ctx.locale, record),
    ]);
  },
};
