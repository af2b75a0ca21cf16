import { describe, expect, it } from 'vitest';
import { directCommand, plainSlackText } from '../../src/platforms/slack/slack-text.ts';

const dm = { type: 'message', channel: 'D024BE91L', user: 'U2147483697', text: 'who 华为', ts: '1355517523.000005', channel_type: 'im' };

describe('directCommand', () => {
  it('reads a person’s new message in a DM', () => {
    expect(directCommand(dm, 'UBOT')).toEqual({ userId: 'U2147483697', channel: 'D024BE91L', text: 'who 华为' });
  });

  it.each([
    ['an edit', { ...dm, subtype: 'message_changed' }],
    ['a bot message', { ...dm, subtype: 'bot_message', bot_id: 'B1' }],
    ['an app’s message without subtype', { ...dm, bot_id: 'B1' }],
    ['the bot’s own user', { ...dm, user: 'UBOT' }],
    ['a channel message', { ...dm, channel_type: 'channel' }],
    ['no user', { ...dm, user: undefined }],
    ['not a message', { type: 'app_home_opened', user: 'U1' }],
  ])('ignores %s', (_name, event) => {
    expect(directCommand(event, 'UBOT')).toBeUndefined();
  });
});

describe('plainSlackText', () => {
  it('decodes entities, links, mailto and mentions', () => {
    expect(plainSlackText('A &amp; B &lt;x&gt; <https://a.test|site> <https://b.test> <mailto:a@b.test|a@b.test> <@U123>')).toBe(
      'A & B <x> site https://b.test a@b.test @U123',
    );
  });
});
