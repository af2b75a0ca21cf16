import { describe, expect, it } from 'vitest';
import { directCommand, plainSlackText, threadReplyOf } from '../../src/platforms/slack/slack-text.ts';
import { requestOfMessageKey } from '../../src/core/requests/request-effects.ts';

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

describe('threadReplyOf', () => {
  const reply = { ...dm, ts: '1355517600.000001', thread_ts: '1355517523.000005', text: 'the &lt;new&gt; logo' };
  it.each([['a DM', 'im'], ['a channel', 'channel'], ['a private channel', 'group']])('reads a person’s reply in a thread of %s', (_name, channelType) => {
    expect(threadReplyOf({ ...reply, channel_type: channelType }, 'UBOT')).toEqual({ userId: 'U2147483697', channel: 'D024BE91L', threadTs: '1355517523.000005', text: 'the <new> logo' });
  });

  it.each([
    ['a message outside any thread', dm],
    ['the thread’s first message', { ...reply, ts: reply.thread_ts }],
    ['Slack’s hidden message_replied', { ...reply, subtype: 'message_replied' }],
    ['an app’s reply', { ...reply, bot_id: 'B1' }],
    ['the bot’s own reply', { ...reply, user: 'UBOT' }],
    ['a group DM', { ...reply, channel_type: 'mpim' }],
  ])('ignores %s', (_name, event) => {
    expect(threadReplyOf(event, 'UBOT')).toBeUndefined();
  });
});

describe('requestOfMessageKey', () => {
  it.each(['request:r1:requester', 'request:r1:requester:wu.hao', 'request:r1:dm:li.na', 'request:r1:card', 'request:r1:comment:c9:li.na', 'request:r1:alert:x0:resolution:remind:50'])('finds the request of %s', (key) => {
    expect(requestOfMessageKey(key)).toBe('r1');
  });
  it.each(['request:away:li.na:2026-12-14:2026-12-18:chen.gang', 'request:r1:rate', 'visit:v1:host:1', 'request:r1'])('finds none for %s', (key) => {
    expect(requestOfMessageKey(key)).toBeUndefined();
  });
});
