// A Lark message as a command: its text (plain `text` or rich-text `post`), whether it is
// addressed to the bot, and its @mentions — the bot's removed wherever it stands, other
// people's written as their names. Pure: no I/O.
import type { z } from 'zod';
import { safeJson } from '../front-end.ts';
import { ZLarkPostBodySchema, ZLarkPostContentSchema, ZLarkTextContentSchema, type ZLarkMentionSchema } from './lark-payloads.ts';

export type LarkMention = z.infer<typeof ZLarkMentionSchema>;

/** Lark's placeholder for an @everyone mention. */
const MENTION_ALL = '@_all';

/**
 * The message's text with Lark's mention placeholders (`@_user_1`) left in, or undefined
 * when it is neither `text` nor `post` (an image, a file, a sticker) or cannot be read.
 * A post's paragraphs become lines; links read as their text, images and emoji as nothing.
 */
export function larkMessageText(messageType: string, content: string, mentions: readonly LarkMention[] = []): string | undefined {
  const json = safeJson(content);
  if (messageType === 'text') {
    const text = ZLarkTextContentSchema.safeParse(json);
    return text.success ? text.data.text : undefined;
  }
  if (messageType !== 'post') return undefined;
  const post = ZLarkPostContentSchema.safeParse(json);
  if (!post.success) return undefined;
  const direct = ZLarkPostBodySchema.safeParse(post.data);
  const body = direct.success ? direct.data : Object.values(post.data as Record<string, z.infer<typeof ZLarkPostBodySchema>>)[0];
  if (!body) return undefined;
  const keyOf = new Map(mentions.flatMap((m) => (m.id.open_id ? [[m.id.open_id, m.key] as const] : [])));
  return body.content
    .map((paragraph) =>
      paragraph
        .map((el) => {
          switch (el.tag) {
            case 'text':
            case 'code_block':
              return el.text ?? '';
            case 'a':
              return el.text || el.href || '';
            case 'at': {
              // Received posts carry the placeholder; an open_id (as sent) maps through the mentions.
              const id = el.user_id ?? '';
              if (id === 'all') return MENTION_ALL;
              if (id.startsWith('@_')) return ` ${id} `;
              return ` ${keyOf.get(id) ?? (el.user_name ? `@${el.user_name}` : '')} `;
            }
            default:
              return '';
          }
        })
        .join(''),
    )
    .join('\n');
}

/** Does the message @mention the bot (not merely @everyone)? */
export function mentionsBot(mentions: readonly LarkMention[], botOpenId: string): boolean {
  return mentions.some((m) => m.key !== MENTION_ALL && m.id.open_id === botOpenId);
}

/**
 * The text with the bot's mentions and @everyone removed wherever they stand, and every
 * other mention written as `@<name>` (`names` by placeholder; else the name Lark gave).
 */
export function resolveMentions(text: string, mentions: readonly LarkMention[], botOpenId: string | undefined, names: ReadonlyMap<string, string> = new Map()): string {
  let out = text;
  // Longest keys first: @_user_10 before @_user_1.
  for (const m of [...mentions].sort((a, b) => b.key.length - a.key.length)) {
    const removed = m.key === MENTION_ALL || (botOpenId !== undefined && m.id.open_id === botOpenId);
    out = out.split(m.key).join(removed ? ' ' : `@${names.get(m.key) || m.name || m.key}`);
  }
  return out
    .split('\n')
    .map((line) => line.replace(/[ \t]{2,}/g, ' ').trim())
    .join('\n')
    .trim();
}
