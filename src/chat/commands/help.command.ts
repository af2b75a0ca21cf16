// `help` / 帮助: the commands this person may use, or the usage of one command.
import { z } from 'zod';
import { commandsFor, type ChatCommand } from '../command.ts';
import { t, roleNames } from '../i18n.ts';
import { reply, type ReplyBlock } from '../reply.ts';
import { parseWith, ZCommandWordSchema } from '../validation.ts';

/** Filled by chat/commands/index.ts so that help can list its siblings. */
export const helpTopics: ChatCommand[] = [];

export const helpCommand: ChatCommand = {
  name: 'help',
  aliases: ['帮助', '?'],
  usage: { en: 'help [command]', 'zh-CN': '帮助 [命令]' },
  summary: 'cmd.help',
  async run(ctx, args) {
    const { locale } = ctx;
    const topic = parseWith(z.union([z.literal(''), ZCommandWordSchema]), args, locale, this.usage[locale]).toLowerCase();
    const roles = ctx.directory.effectiveRoles(ctx.person);
    const allowed = commandsFor(helpTopics, roles);
    const one = topic ? allowed.find((c) => c.name === topic || c.aliases.includes(topic)) : undefined;
    if (one) {
      const blocks: ReplyBlock[] = [
        { kind: 'header', text: `/kehu ${one.usage[locale]}` },
        { kind: 'text', text: t(locale, one.summary) },
      ];
      const others = [one.name, ...one.aliases].filter((n) => !one.usage[locale].startsWith(n));
      blocks.push({ kind: 'context', text: t(locale, 'help.aliases', { aliases: others.join(', ') }) });
      return reply(t(locale, 'help.usage', { usage: one.usage[locale] }), blocks);
    }
    return reply(t(locale, 'help.title'), [
      { kind: 'header', text: t(locale, 'help.title') },
      { kind: 'text', text: t(locale, 'help.intro', { name: ctx.person.name, roles: roleNames(locale, roles) }) },
      { kind: 'list', items: allowed.map((c) => `${c.usage[locale]} — ${t(locale, c.summary)}`) },
      { kind: 'context', text: t(locale, 'help.footer') },
    ]);
  },
};
