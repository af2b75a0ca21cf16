// A Slack DM as a command: which message events are a person talking to kehu, and their
// text as the person typed it. Pure: no I/O.
import { ZSlackMessageEventSchema } from './slack-payloads.ts';

export interface DirectCommand {
  userId: string;
  /** The DM (D…), where the answer goes. */
  channel: string;
  text: string;
}

/**
 * The command in a message event, or undefined when it is not a person's new message in
 * a DM with kehu: a channel message, an edit or deletion or any other subtype, a message
 * an app posted (kehu's own replies arrive here too), or the bot's own user.
 */
export function directCommand(event: unknown, botUserId: string | undefined): DirectCommand | undefined {
  const parsed = ZSlackMessageEventSchema.safeParse(event);
  if (!parsed.success) return undefined;
  const m = parsed.data;
  if (m.channel_type !== 'im' || m.subtype !== undefined || m.bot_id !== undefined || !m.user || m.user === botUserId) return undefined;
  return { userId: m.user, channel: m.channel, text: plainSlackText(m.text ?? '') };
}

export interface ThreadReply {
  userId: string;
  /** Where the thread is (a DM, a channel). */
  channel: string;
  /** The thread's first message. */
  threadTs: string;
  text: string;
}

/** Conversations kehu reads replies in: its DMs, and the channels it was added to (a department's). */
const THREAD_PLACES = new Set(['im', 'channel', 'group']);

/**
 * A person's new reply in a thread (of a DM or a channel kehu is in), or undefined: a
 * message that starts no reply (the thread's first message, or no thread), an edit or any
 * other subtype, a message an app posted, the bot's own.
 */
export function threadReplyOf(event: unknown, botUserId: string | undefined): ThreadReply | undefined {
  const parsed = ZSlackMessageEventSchema.safeParse(event);
  if (!parsed.success) return undefined;
  const m = parsed.data;
  if (!m.thread_ts || m.thread_ts === m.ts || !THREAD_PLACES.has(m.channel_type ?? '')) return undefined;
  if (m.subtype !== undefined || m.bot_id !== undefined || !m.user || m.user === botUserId) return undefined;
  return { userId: m.user, channel: m.channel, threadTs: m.thread_ts, text: plainSlackText(m.text ?? '') };
}

/**
 * What the person typed, from a message's text: Slack writes `& < >` as entities, and
 * links, mentions and e-mail addresses as `<target|label>` or `<target>`.
 */
export function plainSlackText(text: string): string {
  return text
    .replace(/<([^<>|]*)\|([^<>]*)>/g, '$2')
    .replace(/<(?:mailto:)?([^<>]*)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
