// Lark (Feishu) event deliveries as Lark sends them to /lark/events: v2 envelopes for
// im.message.receive_v1 (p2p, and group with an @_user_1 mention; a reply in a thread with root_id and parent_id) and card.action.trigger,
// recorded deliveries (fixtures/lark/) replayed with fresh ids, the url_verification challenge, AES-256-CBC encryption (key = sha256(encryptKey), random
// 16-byte iv prepended, base64) and the x-lark-signature headers.
import { createCipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const LARK_APP_ID = 'cli_0123456789abcdef';
export const LARK_TENANT_KEY = 'tenant-kehu-test';

export interface LarkEnvelope {
  schema: '2.0';
  header: Record<string, string>;
  event: Record<string, unknown>;
}

function header(o: { eventType: string; eventId?: string; token: string; createTimeMs?: number }): Record<string, string> {
  return {
    event_id: o.eventId ?? randomUUID().replace(/-/g, ''),
    event_type: o.eventType,
    create_time: String(o.createTimeMs ?? Date.now()),
    token: o.token,
    app_id: LARK_APP_ID,
    tenant_key: LARK_TENANT_KEY,
  };
}

/** A text message to the bot: a DM (p2p) or, with chatType 'group', "@_user_1 <text>". */
export function larkMessageEvent(o: {
  openId: string;
  text: string;
  token: string;
  chatType?: 'p2p' | 'group';
  eventId?: string;
  messageId?: string;
  createTimeMs?: number;
  senderType?: 'user' | 'app';
  /** A reply in a thread: its first message, and the message answered (default: the first). */
  rootId?: string;
  parentId?: string;
  /** In a group: @mention the bot (default true). */
  mention?: boolean;
  chatId?: string;
}): LarkEnvelope {
  const group = o.chatType === 'group';
  const mention = group && o.mention !== false;
  const text = mention ? `@_user_1 ${o.text}` : o.text;
  return {
    schema: '2.0',
    header: header({ eventType: 'im.message.receive_v1', eventId: o.eventId, token: o.token, createTimeMs: o.createTimeMs }),
    event: {
      sender: { sender_id: { open_id: o.openId, union_id: `on_${o.openId}`, user_id: null }, sender_type: o.senderType ?? 'user', tenant_key: LARK_TENANT_KEY },
      message: {
        message_id: o.messageId ?? `om_${randomBytes(8).toString('hex')}`,
        create_time: String(Date.now()),
        ...(o.rootId ? { root_id: o.rootId, parent_id: o.parentId ?? o.rootId } : {}),
        chat_id: o.chatId ?? (group ? 'oc_group_chat' : 'oc_p2p_chat'),
        chat_type: group ? 'group' : 'p2p',
        message_type: 'text',
        content: JSON.stringify({ text }),
        ...(mention ? { mentions: [{ key: '@_user_1', id: { open_id: 'ou_kehu_bot', union_id: 'on_kehu_bot' }, name: 'kehu', tenant_key: LARK_TENANT_KEY }] } : {}),
      },
    },
  };
}

/** im.message.message_read_v1: the event body the fake Lark's markRead answers, in its envelope. */
export function larkMessageRead(o: { token: string; event: object; eventId?: string }): LarkEnvelope {
  return { schema: '2.0', header: header({ eventType: 'im.message.message_read_v1', eventId: o.eventId, token: o.token }), event: { ...o.event } };
}

/** A card button press (callback behaviour); `value` is what the card carried. */
export function larkCardAction(o: { openId: string; value: Record<string, unknown>; token: string; messageId?: string; eventId?: string }): LarkEnvelope {
  return {
    schema: '2.0',
    header: header({ eventType: 'card.action.trigger', eventId: o.eventId, token: o.token }),
    event: {
      operator: { tenant_key: LARK_TENANT_KEY, open_id: o.openId, union_id: `on_${o.openId}` },
      token: `c-${randomUUID()}`,
      action: { value: o.value, tag: 'button' },
      host: 'im_message',
      context: { open_message_id: o.messageId ?? 'om_card_message', open_chat_id: 'oc_p2p_chat' },
    },
  };
}

export function larkChallenge(o: { token: string; challenge?: string }): Record<string, string> {
  return { challenge: o.challenge ?? randomUUID(), token: o.token, type: 'url_verification' };
}

/** Encrypts as Lark does: AES-256-CBC, key sha256(encryptKey), iv prepended, base64. */
export function larkEncrypt(encryptKey: string, plaintext: string): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/** x-lark-signature = sha256hex(timestamp + nonce + encryptKey + rawBody), with its headers. */
export function larkSignatureHeaders(encryptKey: string, rawBody: string, timestampSeconds = Math.floor(Date.now() / 1000), nonce = randomUUID()): Record<string, string> {
  const signature = createHash('sha256').update(`${timestampSeconds}${nonce}${encryptKey}`).update(rawBody).digest('hex');
  return { 'x-lark-request-timestamp': String(timestampSeconds), 'x-lark-request-nonce': nonce, 'x-lark-signature': signature };
}

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/lark/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

/** A mention as Lark puts it in `message.mentions` (the recorded shape). */
export interface LarkMentionFixture {
  key: string;
  id: { open_id?: string; union_id?: string; user_id?: string };
  name: string;
  tenant_key?: string;
}

/** The recorded @everyone mention (fixtures/lark/mention-all.json). */
export function larkMentionAll(): LarkMentionFixture {
  const { $source: _source, ...m } = fixture('mention-all');
  return m as unknown as LarkMentionFixture;
}

/**
 * The recorded rich-text group message (fixtures/lark/post-group-mention.json), replayed
 * with fresh ids and this token, from `openId`, with its content, mentions and chat type
 * replaced where given.
 */
export function larkRecordedPost(o: {
  openId: string;
  token: string;
  content?: unknown;
  mentions?: LarkMentionFixture[];
  chatType?: 'p2p' | 'group';
}): LarkEnvelope {
  const { $source: _source, ...recorded } = fixture('post-group-mention') as { $source: string; header: Record<string, string>; event: { message: Record<string, unknown>; sender: { sender_id: Record<string, unknown> } } };
  const message: Record<string, unknown> = { ...recorded.event.message, message_id: `om_${randomBytes(8).toString('hex')}` };
  if (o.content !== undefined) message.content = JSON.stringify(o.content);
  if (o.mentions !== undefined) message.mentions = o.mentions;
  if (o.chatType !== undefined) message.chat_type = o.chatType;
  return {
    schema: '2.0',
    header: { ...recorded.header, event_id: randomUUID().replace(/-/g, ''), create_time: String(Date.now()), token: o.token, app_id: LARK_APP_ID },
    event: { ...recorded.event, message, sender: { ...recorded.event.sender, sender_id: { ...recorded.event.sender.sender_id, open_id: o.openId } } },
  };
}

/**
 * A form container's submit (fixtures/lark/card-form-submit.json): the submit button's
 * value and the inputs' form_value, from `openId`, with fresh ids and this token.
 */
export function larkFormSubmit(o: { openId: string; token: string; value: Record<string, unknown>; formValue: Record<string, unknown>; messageId?: string }): LarkEnvelope {
  const { $source: _source, ...recorded } = fixture('card-form-submit') as unknown as { $source: string; header: Record<string, string>; event: { operator: Record<string, unknown>; action: Record<string, unknown>; context: Record<string, unknown> } };
  return {
    schema: '2.0',
    header: { ...recorded.header, event_id: randomUUID().replace(/-/g, ''), create_time: String(Date.now()), token: o.token, app_id: LARK_APP_ID },
    event: {
      ...recorded.event,
      operator: { ...recorded.event.operator, open_id: o.openId },
      action: { ...recorded.event.action, value: o.value, form_value: o.formValue },
      context: { ...recorded.event.context, open_message_id: o.messageId ?? 'om_form_card' },
    },
  };
}

/** A bot menu click (fixtures/lark/bot-menu.json) by `openId` on the item with `eventKey`. */
export function larkBotMenu(o: { openId: string; token: string; eventKey: string }): LarkEnvelope {
  const { $source: _source, ...recorded } = fixture('bot-menu') as unknown as { $source: string; header: Record<string, string>; event: { operator: { operator_id: Record<string, unknown> } } };
  return {
    schema: '2.0',
    header: { ...recorded.header, event_id: randomUUID().replace(/-/g, ''), create_time: String(Date.now()), token: o.token, app_id: LARK_APP_ID },
    event: { ...recorded.event, operator: { ...recorded.event.operator, operator_id: { ...recorded.event.operator.operator_id, open_id: o.openId } }, event_key: o.eventKey },
  };
}

/** The values of every callback button in a card (a message's content), in order. */
export function cardCallbacks(card: unknown): Record<string, string>[] {
  type Node = { behaviors?: { type: string; value: Record<string, string> }[]; [k: string]: unknown };
  const out: Record<string, string>[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const node = n as Node;
      for (const b of node.behaviors ?? []) if (b.type === 'callback') out.push(b.value);
      Object.values(node).forEach(walk);
    }
  };
  walk(card);
  return out;
}
