// zod shapes of what Slack sends to /slack/events: only the fields kehu relies on, so
// a malformed delivery is refused with 400 before any work.
import { z } from 'zod';

export const ZSlashCommandSchema = z.object({
  command: z.string().min(1),
  // No length limit here: a command over 4,000 characters is answered "too long" (chat/dispatch.ts).
  text: z.string().default(''),
  user_id: z.string().min(1),
  channel_id: z.string().optional(),
  team_id: z.string().optional(),
  response_url: z.url().optional(),
  trigger_id: z.string().optional(),
});

export const ZInteractionSchema = z.object({
  type: z.enum(['block_actions', 'view_submission', 'view_closed', 'shortcut', 'message_action', 'block_suggestion']),
  user: z.object({ id: z.string().min(1) }).loose(),
});

export const ZEventCallbackSchema = z.object({
  type: z.literal('event_callback'),
  event_id: z.string().min(1),
  event: z.object({ type: z.string().min(1) }).loose(),
});

export const ZUrlVerificationSchema = z.object({ type: z.literal('url_verification'), challenge: z.string() });

export const ZSlackBodySchema = z.union([
  ZUrlVerificationSchema.loose(),
  ZEventCallbackSchema.loose(),
  ZInteractionSchema.loose(),
  ZSlashCommandSchema.loose(),
  z.object({ ssl_check: z.literal('1') }).loose(),
]);

export const ZButtonValueSchema = z.record(z.string(), z.string());

/** A `message` event: a person's new message in kehu's DM (message.im), or a reply in a thread of a channel kehu is in (message.channels, message.groups). */
export const ZSlackMessageEventSchema = z
  .object({
    type: z.literal('message'),
    channel: z.string().min(1),
    channel_type: z.string().optional(),
    user: z.string().min(1).optional(),
    text: z.string().optional(),
    ts: z.string().optional(),
    /** A reply in a thread: the ts of the thread's first message. */
    thread_ts: z.string().optional(),
    /** Edits (message_changed), deletions, bot_message, joins, file shares…: none is a command. */
    subtype: z.string().optional(),
    /** Set on every message an app posted, kehu's own replies included. */
    bot_id: z.string().optional(),
  })
  .loose();
