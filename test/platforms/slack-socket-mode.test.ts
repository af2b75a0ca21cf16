// Slack over Socket Mode: Bolt's SocketModeClient opens apps.connections.open on the fake,
// connects to its WebSocket, acks the envelopes the test pushes and replies over HTTP.
import { beforeAll, describe, expect, it } from 'vitest';
import { SLACK_APP_TOKEN } from '../support/harness.ts';
import { useHarness } from '../support/use-harness.ts';
import type { SlackCall } from '../fakes/fake-slack.ts';
import { appHomeOpened, blockActions, slackFixtureEvent, slashCommand } from '../support/slack-requests.ts';
import { SLACK } from '../support/test-org.ts';

let connectCalls: SlackCall[];
const h = useHarness({ slack: true, socketMode: true });
beforeAll(() => {
  // Before the first reset: what start-up asked of the fake.
  connectCalls = h.fakeSlack.callsOf('apps.connections.open');
});

/** What an events_api envelope carries: the Events API body. */
const eventsApiPayload = (eventId: string, event: Record<string, unknown>) => ({ type: 'event_callback', event_id: eventId, team_id: 'T0KEHUTEST', api_app_id: 'A0KEHUTEST', event });

describe('Socket Mode', () => {
  it('connected once, with the app-level token, through apps.connections.open', () => {
    expect(h.fakeSlack.socket.connections).toBe(1);
    expect(connectCalls.map((c) => c.token)).toEqual([SLACK_APP_TOKEN]);
  });

  it('acks a slash-command envelope and replies through response_url', async () => {
    const { ack, responseId } = await h.socketSlashCommand(SLACK.tomReed, 'help');
    expect(ack.envelope_id).toMatch(/^env-/);
    const reply = await h.slackReply({ responseId });
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', text: 'kehu — what you can do' });
  });

  it('answers 我是谁 in Chinese for a zh-CN person', async () => {
    const { responseId } = await h.socketSlashCommand(SLACK.meiLin, '我是谁');
    const reply = await h.slackReply({ responseId });
    expect(JSON.stringify(reply.body.blocks)).toContain('*邮箱*');
  });

  it('acks an events_api envelope (app_home_opened) and publishes the home view once, even when redelivered', async () => {
    const payload = eventsApiPayload('EvSOCKET0001', appHomeOpened(SLACK.tomReed));
    await h.fakeSlack.socket.push({ type: 'events_api', payload });
    await h.fakeSlack.socket.push({ type: 'events_api', payload, retry_attempt: 1, retry_reason: 'timeout' });
    const publish = await h.fakeSlack.waitForCall('views.publish');
    expect(publish.params.user_id).toBe(SLACK.tomReed);
    await h.kehu.idle();
    expect(h.fakeSlack.callsOf('views.publish')).toHaveLength(1);
  });

  it('a DM to the bot over Socket Mode (message.im in an events_api envelope) is answered in the DM', async () => {
    const payload = eventsApiPayload('EvSOCKETDM01', slackFixtureEvent('message-im', { user: SLACK.meiLin, channel: 'D0MEILIN', text: '我是谁' }));
    await h.fakeSlack.socket.push({ type: 'events_api', payload });
    const answer = await h.fakeSlack.waitForCall('chat.postMessage', (c) => c.params.channel === 'D0MEILIN');
    expect(JSON.stringify(answer.params.blocks)).toContain('mei.lin@kehu.test');
  });

  it('acks an interactive envelope (block_actions) and answers the button', async () => {
    const responseUrl = h.fakeSlack.responseUrl('socket-button');
    const form = new URLSearchParams(blockActions({ userId: SLACK.tomReed, actionId: 'kehu:gone:0', value: {}, responseUrl }).body);
    await h.fakeSlack.socket.push({ type: 'interactive', payload: JSON.parse(form.get('payload')!) as Record<string, unknown> });
    const notice = await h.slackReply({ responseId: 'socket-button' });
    expect(notice.body.text).toBe('That button no longer does anything; the message may be out of date.');
  });

  it('has no HTTP route for Slack', async () => {
    const req = slashCommand({ userId: SLACK.tomReed, text: 'help', responseUrl: h.fakeSlack.responseUrl() });
    expect((await h.slackPost(req)).status).toBe(404);
  });
});
