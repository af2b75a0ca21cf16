// Queued notifications over Slack: a DM from the bot to one person, sent by the job worker
// (notify.person), or a post in a channel of the org file (notify.channel: the front desk's feed). Slack has no idempotency key for chat.postMessage, so each message
// carries the job's key in its metadata, and a job run again (attempt > 1) first reads the
// newest messages of the DM (or channel) for one that carries it: the run before may have died during
// the call, or after Slack posted but before the job was marked done. Errors that retrying
// cannot fix become PermanentJobError, rate limits RetryLaterError.
import { webApi } from '@slack/bolt';
import { z } from 'zod';
import { renderSlack } from '../../chat/render-slack.ts';
import type { Reply } from '../../chat/reply.ts';
import { PermanentJobError, RetryLaterError } from '../../jobs/errors.ts';
import type { ChatSender, SendContext } from '../../notify/notifier.ts';
import type { Logger } from '../../observability/logger.ts';
import type { IdentityResolver } from '../identity.ts';

/** The metadata event type of kehu's notices (Slack wants a lower-case snake_case name). */
export const NOTICE_EVENT_TYPE = 'kehu_notice';

const ZNoticeMetadataSchema = z.object({ event_type: z.literal(NOTICE_EVENT_TYPE), event_payload: z.object({ key: z.string() }) });

/**
 * How many of the DM's newest messages a re-run reads. A job is re-run within minutes to
 * an hour or so of its first run (worker backoff); a person does not get 50 notices in that
 * time, and the read stays one page of a Tier 3 method.
 */
export const HISTORY_LIMIT = 50;

/**
 * The look starts this long before the job was created: Slack's clock and ours differ, and
 * the fraction of a Slack ts is a sequence, not a time, so a message posted in the same
 * second as `oldest` could otherwise fall outside.
 */
const HISTORY_MARGIN_S = 60;

/** Well under the job lease (2 minutes): a hung call must end its run before another worker may start one. */
export const DEFAULT_SLACK_SEND_TIMEOUT_MS = 30_000;

/**
 * Slack errors that no retry fixes: the person or conversation cannot be written to, the
 * token or app is not allowed, or the message itself is refused. Names as Slack's method
 * references give them (chat.postMessage, conversations.open / .history, users.lookupByEmail,
 * and the errors every method can return; checked against slack-ruby/slack-api-ref, 2026-08).
 * Anything else (internal_error, fatal_error, service_unavailable, request_timeout, HTTP 5xx,
 * network) is retried with backoff.
 */
export const SLACK_PERMANENT_ERRORS: ReadonlySet<string> = new Set([
  // the person or the conversation
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'messages_tab_disabled',
  'user_not_found',
  'users_not_found',
  'user_not_visible',
  'user_disabled',
  // the token, the app, the workspace's rules
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'not_allowed_token_type',
  'is_bot',
  'app_access_restricted',
  'ekm_access_denied',
  'restricted_action',
  // the message
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'msg_blocks_too_long',
  'no_text',
  'too_many_attachments',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'metadata_too_large',
  'invalid_arguments',
  'invalid_arg_name',
]);

export interface SlackSenderOptions {
  /** A call that takes longer fails its run (which is then retried, looking first). */
  timeoutMs?: number;
  /** Where to say that a re-run could not look at the DM (no im:history) and sent anyway. */
  logger?: Logger;
}

/** Queued notifications, as a DM from the bot. `client` gives the token and API URL. */
export function slackSender(client: webApi.WebClient, identities: IdentityResolver, options: SlackSenderOptions = {}): ChatSender {
  // The sender's own client: the bot's client retries a failed call at once (a second
  // message when only the answer was lost) and waits forever for an answer. Here nothing
  // is retried inside the client: the job queue retries, after looking.
  const api = new webApi.WebClient(client.token, {
    slackApiUrl: client.slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? DEFAULT_SLACK_SEND_TIMEOUT_MS,
    // Failures reach the job's lastError; the client need not print them too.
    logLevel: webApi.LogLevel.ERROR,
  });
  // A user's DM with the bot keeps its id.
  const dmChannels = new Map<string, string>();

  const dmOf = async (userId: string): Promise<string> => {
    const known = dmChannels.get(userId);
    if (known) return known;
    const opened = await api.conversations.open({ users: userId });
    const id = opened.channel?.id;
    if (!id) throw new Error('slack: conversations.open returned no channel');
    dmChannels.set(userId, id);
    return id;
  };

  /** Whether the conversation (a DM, a channel) already holds a message carrying `key` (false when Slack will not let us look). */
  const alreadyPosted = async (conversation: () => Promise<string>, key: string, since: Date | undefined): Promise<boolean> => {
    try {
      const channel = await conversation();
      const oldest = since ? String(Math.floor(since.getTime() / 1000) - HISTORY_MARGIN_S) : undefined;
      const history = await api.conversations.history({ channel, include_all_metadata: true, limit: HISTORY_LIMIT, ...(oldest ? { oldest } : {}) });
      return (history.messages ?? []).some((m) => ZNoticeMetadataSchema.safeParse(m.metadata).data?.event_payload.key === key || (m.blocks?.[0] as { block_id?: string } | undefined)?.block_id === keyBlockId(key));
    } catch (e) {
      // An install from before this check lacks im:history. Losing the notice would be
      // worse than the rare second copy: send, as kehu did before, and say what is missing.
      if (platformErrorOf(e) === 'missing_scope') {
        options.logger?.warn({ platform: 'slack', idempotencyKey: key }, 'cannot look for an earlier copy of this notice (add the im:history and channels:history scopes to the Slack app): sending anyway');
        return false;
      }
      throw e;
    }
  };

  /** Posts once for the key: a re-run looks in the conversation first. `target`: a user id (their DM) or a channel id. */
  const post = async (target: string, conversation: () => Promise<string>, reply: Reply, { idempotencyKey, attempt, since, onSent, thread }: SendContext): Promise<void> => {
    try {
      if (attempt > 1 && (await alreadyPosted(conversation, idempotencyKey, since))) return;
      if (reply.images?.length) {
        // The images ride with the message: one upload into the conversation carrying the
        // blocks. A files message has no metadata: its first block's id carries the key instead.
        await uploadWithBlocks(api, await conversation(), reply, keyBlockId(idempotencyKey));
        return;
      }
      const posted = await api.chat.postMessage({
        // A reply under an earlier message (a comment on a request): its channel and thread.
        channel: thread?.channel ?? target,
        ...(thread ? { thread_ts: thread.ref } : {}),
        ...renderSlack(reply),
        metadata: { event_type: NOTICE_EVENT_TYPE, event_payload: { key: idempotencyKey } },
      });
      // chat.update needs the channel postMessage answered (a DM's D…, not the user id).
      if (posted.channel && posted.ts) await onSent?.({ platform: 'slack', channel: posted.channel, ref: posted.ts });
    } catch (e) {
      throw slackJobError(e);
    }
  };

  return {
    platform: 'slack',
    async sendToPerson(person, reply, context) {
      const userId = await identities.userIdFor(person);
      if (!userId) return false;
      await post(userId, () => dmOf(userId), reply, context);
      return true;
    },
    async sendToChannel(channelId, reply, context) {
      await post(channelId, async () => channelId, reply, context);
      return true;
    },
    async updateMessage(place, reply) {
      try {
        await api.chat.update({ channel: place.channel, ts: place.ref, ...renderSlack(reply) });
        return 'updated';
      } catch (e) {
        if (SLACK_GONE_ERRORS.has(platformErrorOf(e) ?? '')) return 'gone';
        throw slackJobError(e);
      }
    },
  };
}

/** chat.update errors of a message that can no longer be updated: a new message follows instead. */
export const SLACK_GONE_ERRORS: ReadonlySet<string> = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed', 'is_archived', 'channel_not_found']);

/** The block id that marks a files message as the delivery of `key` (block ids hold 255 characters). */
export function keyBlockId(key: string): string {
  return `kehu-key:${key}`.slice(0, 255);
}

/**
 * Posts `reply` (its first page) with its images into `channelId` as one message: files.uploadV2
 * with the blocks (files.completeUploadExternal shows them above the files). `firstBlockId`
 * marks the message (a notice's key).
 */
export async function uploadWithBlocks(client: webApi.WebClient, channelId: string, reply: Reply, firstBlockId?: string): Promise<void> {
  const { blocks } = renderSlack(reply);
  if (firstBlockId && blocks[0]) blocks[0] = { ...blocks[0], block_id: firstBlockId };
  await client.filesUploadV2({
    channel_id: channelId,
    blocks: blocks as never,
    file_uploads: (reply.images ?? []).map((i) => ({ file: Buffer.from(i.png), filename: i.filename, title: i.title, alt_text: i.alt })),
  });
}

/** The error a job should see for a failed Web API call: permanent, throttled, or as it was. */
export function slackJobError(e: unknown): unknown {
  if (e instanceof webApi.WebAPIRateLimitedError) return new RetryLaterError('slack rate limited', e.retryAfter * 1000);
  const code = platformErrorOf(e);
  if (code !== undefined && SLACK_PERMANENT_ERRORS.has(code)) return new PermanentJobError(`slack: ${code}`, { code: `slack:${code}`, cause: e });
  return e;
}

function platformErrorOf(e: unknown): string | undefined {
  return e instanceof webApi.WebAPIPlatformError ? e.data.error : undefined;
}
