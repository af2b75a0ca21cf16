import { describe, expect, it } from 'vitest';
import { larkMessageText, mentionsBot, resolveMentions, type LarkMention } from '../../src/platforms/lark/lark-text.ts';

const bot: LarkMention = { key: '@_user_1', id: { open_id: 'ou_bot' }, name: 'kehu' };
const tom: LarkMention = { key: '@_user_2', id: { open_id: 'ou_tom' }, name: 'tom' };
const all: LarkMention = { key: '@_all', id: {}, name: '所有人' };

describe('larkMessageText', () => {
  it('reads text, and a post’s paragraphs as lines (links as text, images as nothing)', () => {
    expect(larkMessageText('text', '{"text":"@_user_1 who 华为"}')).toBe('@_user_1 who 华为');
    const post = { title: 'ignored', content: [[{ tag: 'at', user_id: '@_user_1', user_name: 'kehu' }, { tag: 'text', text: 'log 华为 see ' }, { tag: 'a', href: 'https://x.test', text: 'notes' }], [{ tag: 'img', image_key: 'img_1' }]] };
    expect(larkMessageText('post', JSON.stringify(post))).toBe(' @_user_1 log 华为 see notes\n');
  });

  it('reads a post under a language key, and an at element carrying an open_id', () => {
    const post = { zh_cn: { content: [[{ tag: 'text', text: 'who 华为 ' }, { tag: 'at', user_id: 'ou_bot' }]] } };
    expect(larkMessageText('post', JSON.stringify(post), [bot])).toBe('who 华为  @_user_1 ');
  });

  it('answers undefined for other message types and unreadable content', () => {
    expect(larkMessageText('image', '{"image_key":"img"}')).toBeUndefined();
    expect(larkMessageText('post', 'not json')).toBeUndefined();
    expect(larkMessageText('text', '{}')).toBeUndefined();
  });
});

describe('mentions', () => {
  it('knows whether the bot is mentioned (not merely @everyone)', () => {
    expect(mentionsBot([bot], 'ou_bot')).toBe(true);
    expect(mentionsBot([all, tom], 'ou_bot')).toBe(false);
  });

  it('removes the bot and @everyone wherever they stand and names everybody else', () => {
    expect(resolveMentions('who 华为 @_user_1', [bot], 'ou_bot')).toBe('who 华为');
    expect(resolveMentions('@_all log 华为 met @_user_2 @_user_1', [all, bot, tom], 'ou_bot', new Map([['@_user_2', 'Tom Reed']]))).toBe('log 华为 met @Tom Reed');
    expect(resolveMentions('met @_user_2', [tom], undefined)).toBe('met @tom');
  });

  it('does not mistake @_user_1 inside @_user_12', () => {
    const twelfth: LarkMention = { key: '@_user_12', id: { open_id: 'ou_12' }, name: 'Twelve' };
    expect(resolveMentions('@_user_1 hi @_user_12', [bot, twelfth], 'ou_bot')).toBe('hi @Twelve');
  });
});
