// Slack requests as Slack sends them to /slack/events: the v0 signature headers and
// builders for slash commands (form-encoded), block_actions (`payload=` form field),
// event_callback JSON (with event_id, and retry headers), app_home_opened, and events
// recorded from Slack's reference (fixtures/slack/).
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { FAKE_TEAM_ID } from '../fakes/fake-slack.ts';

export const SLACK_FORM = 'application/x-www-form-urlencoded';
export const SLACK_JSON = 'application/json';

export interface SlackRequest {
  body: string;
  contentType: string;
  /** Extra headers Slack would add (retries). */
  headers?: Record<string, string>;
}

/** `x-slack-signature` = v0=hex(HMAC-SHA256(secret, "v0:ts:body")), with its timestamp. */
export function signSlack(secret: string, body: string, timestampSeconds = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestampSeconds}:${body}`).digest('hex')}`;
  return { 'x-slack-signature': signature, 'x-slack-request-timestamp': String(timestampSeconds) };
}

let triggers = 0;
/**
 * A trigger_id as Slack makes them (`<digits>.<digits>.<hex>`): the fake Slack reads the first
 * part as the time it was issued (ms), refusing views.open past 3 s as Slack does.
 */
export function triggerId(issuedAtMs = Date.now()): string {
  return `${issuedAtMs}.${++triggers}.${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

export function slashCommand(o: { userId: string; text: string; responseUrl: string; command?: string; channelId?: string; triggerId?: string }): SlackRequest {
  const form = new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: FAKE_TEAM_ID,
    team_domain: 'kehu-test',
    channel_id: o.channelId ?? 'C0GENERAL',
    channel_name: 'general',
    user_id: o.userId,
    user_name: o.userId.toLowerCase(),
    command: o.command ?? '/kehu',
    text: o.text,
    api_app_id: 'A0KEHUTEST',
    is_enterprise_install: 'false',
    response_url: o.responseUrl,
    trigger_id: o.triggerId ?? triggerId(),
  });
  return { body: form.toString(), contentType: SLACK_FORM };
}

/** A button press: `action_id` is what the renderer produced (e.g. "kehu:claim.contest:0"). */
export function blockActions(o: { userId: string; actionId: string; value: Record<string, string>; responseUrl?: string; blockId?: string; home?: boolean; triggerId?: string }): SlackRequest {
  const payload = {
    type: 'block_actions',
    user: { id: o.userId, username: o.userId.toLowerCase(), team_id: FAKE_TEAM_ID },
    api_app_id: 'A0KEHUTEST',
    token: 'deprecated-verification-token',
    // An App Home button: a view container, the home view, no channel and no response_url.
    ...(o.home
      ? { container: { type: 'view', view_id: 'V0HOME' }, view: { id: 'V0HOME', type: 'home', blocks: [], private_metadata: '', callback_id: '', state: { values: {} } } }
      : {
          container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'D0KEHU', is_ephemeral: true },
          channel: { id: 'D0KEHU', name: 'directmessage' },
          response_url: o.responseUrl,
        }),
    trigger_id: o.triggerId ?? triggerId(),
    team: { id: FAKE_TEAM_ID, domain: 'kehu-test' },
    actions: [
      {
        type: 'button',
        action_id: o.actionId,
        block_id: o.blockId ?? 'actions-0',
        text: { type: 'plain_text', text: 'Press', emoji: true },
        value: JSON.stringify(o.value),
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return { body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), contentType: SLACK_FORM };
}

/** An Events API delivery; `retryNum` adds the headers Slack puts on a redelivery. */
export function eventCallback(o: { eventId: string; event: Record<string, unknown>; retryNum?: number; retryReason?: string }): SlackRequest {
  const body = {
    token: 'deprecated-verification-token',
    team_id: FAKE_TEAM_ID,
    api_app_id: 'A0KEHUTEST',
    event: o.event,
    type: 'event_callback',
    event_id: o.eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: FAKE_TEAM_ID, user_id: 'U0KEHUBOT', is_bot: true }],
  };
  const headers: Record<string, string> =
    o.retryNum !== undefined ? { 'x-slack-retry-num': String(o.retryNum), 'x-slack-retry-reason': o.retryReason ?? 'http_timeout' } : {};
  return { body: JSON.stringify(body), contentType: SLACK_JSON, headers };
}

export function appHomeOpened(userId: string): Record<string, unknown> {
  return { type: 'app_home_opened', user: userId, channel: 'D0KEHU', tab: 'home', event_ts: `${Date.now() / 1000}` };
}

/** The payload of a slash command as it travels over Socket Mode (an object, not a form). */
export function slashCommandPayload(o: { userId: string; text: string; responseUrl: string }): Record<string, unknown> {
  return Object.fromEntries(new URLSearchParams(slashCommand(o).body));
}

/** Event payloads copied from Slack's own reference pages (fixtures/slack/*.json). */
export type SlackEventFixture = 'message-im' | 'message-changed' | 'bot-message';

/** The `event` of a recorded Slack delivery, with fields replaced (the user, the channel, the text). */
export function slackFixtureEvent(name: SlackEventFixture, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const recorded = JSON.parse(readFileSync(new URL(`./fixtures/slack/${name}.json`, import.meta.url), 'utf8')) as { event: Record<string, unknown> };
  return { ...recorded.event, ...overrides };
}

const recordedPayload = (name: string) =>
  (JSON.parse(readFileSync(new URL(`./fixtures/slack/${name}.json`, import.meta.url), 'utf8')) as { payload: Record<string, unknown> }).payload;

/** A modal submitted (fixtures/slack/view-submission.json) with this private_metadata and state. */
export function viewSubmission(o: { userId: string; privateMetadata: string; values: Record<string, Record<string, unknown>>; callbackId?: string; triggerId?: string }): SlackRequest {
  const recorded = recordedPayload('view-submission') as { user: Record<string, unknown>; view: Record<string, unknown> };
  const payload = {
    ...recorded,
    user: { ...recorded.user, id: o.userId },
    trigger_id: o.triggerId ?? triggerId(),
    view: { ...recorded.view, callback_id: o.callbackId ?? 'kehu:form', private_metadata: o.privateMetadata, state: { values: o.values } },
  };
  return { body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), contentType: SLACK_FORM };
}

/** An external_select's search (fixtures/slack/block-suggestion.json). */
export function blockSuggestion(o: { userId: string; privateMetadata: string; actionId: string; value: string }): SlackRequest {
  const recorded = recordedPayload('block-suggestion') as { user: Record<string, unknown>; view: Record<string, unknown> };
  const payload = { ...recorded, user: { ...recorded.user, id: o.userId }, action_id: o.actionId, block_id: o.actionId, value: o.value, view: { ...recorded.view, private_metadata: o.privateMetadata } };
  return { body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), contentType: SLACK_FORM };
}
