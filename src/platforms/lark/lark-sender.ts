// Sending over Lark's Open API: the call wrapper every Lark send goes through (rate limits
// become RetryLaterError, codes that retrying cannot fix PermanentJobError), and queued
// notifications as a card from the bot to one person. Exactly once comes from Lark itself:
// a message's `uuid` (derived from the job's key) makes a resend within an hour a no-op.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as lark from '@larksuiteoapi/node-sdk';
import { renderLark } from '../../chat/render-lark.ts';
import type { Reply } from '../../chat/reply.ts';
import { PermanentJobError, RetryLaterError } from '../../jobs/errors.ts';
import type { ChatSender, SendContext } from '../../notify/notifier.ts';
import type { Logger } from '../../observability/logger.ts';
import type { IdentityResolver } from '../identity.ts';

const LARK_GONE_CODES_ENTRIES: [number, string][] = [
  [230011, 'the message was recalled'],
  [230031, 'the message can no longer be updated (older than 14 days)'],
];

/** Lark's "too many requests" business codes. */
const RATE_LIMIT_CODES = new Set([99991400, 11232, 230020]);

/**
 * Lark business codes that no retry fixes (im/v1 message create, reply and patch, and the
 * Open API's generic ones), from Lark's error tables: the person or chat cannot be written
 * to by this app, the app lacks a scope, or the message itself is refused. Any other code,
 * an HTTP 5xx or a network error is retried with backoff.
 */
export const LARK_PERMANENT_CODES: ReadonlyMap<number, string> = new Map([
  [230001, 'invalid request parameter'],
  ...LARK_GONE_CODES_ENTRIES,
  [230002, 'the bot is not in the chat'],
  [230006, 'the app has no bot capability'],
  [230013, "the user is outside the app's availability range, or has left"],
  [230018, 'the chat settings forbid it'],
  [230022, 'sensitive content'],
  [230025, 'message too long'],
  [230027, 'lack of necessary permissions'],
  [230028, 'refused by data loss prevention'],
  [230035, 'no permission to send (muted, or the bot is blocked)'],
  [230038, 'cross-tenant single chat'],
  [230099, 'invalid card content'],
  [232009, 'the chat was dissolved'],
  [99991672, 'the app lacks a scope'],
  [99992351, 'no such open_id'],
  [99992361, "the open_id belongs to another app"],
  [99992402, 'field validation failed (e.g. an invalid receive_id)'],
]);

/** Well under the job lease (2 minutes); the SDK has no timeout of its own. */
export const DEFAULT_LARK_SEND_TIMEOUT_MS = 30_000;

type LarkAnswer = { code?: number; msg?: string };

/** Calls the Open API; rate limits become RetryLaterError, codes no retry fixes PermanentJobError, other refusals errors. */
export async function larkSend<T extends LarkAnswer>(call: () => Promise<T>): Promise<T> {
  let res: T;
  try {
    res = await call();
  } catch (e) {
    const response = (e as { response?: { status?: number; headers?: Record<string, string>; data?: unknown } }).response;
    if (response?.status === 429) {
      const reset = Number(response.headers?.['x-ogw-ratelimit-reset'] ?? 1);
      throw new RetryLaterError('lark rate limited', Math.max(1, reset) * 1000);
    }
    // Lark answers most refusals with HTTP 400 and the business code in the body; the SDK
    // throws those as HTTP errors.
    const body = response?.data as LarkAnswer | undefined;
    if (typeof body?.code === 'number' && body.code !== 0) throw larkCodeError(body.code, body.msg, `HTTP ${response?.status} `, e);
    throw e;
  }
  if (res.code !== undefined && res.code !== 0) throw larkCodeError(res.code, res.msg, '');
  return res;
}

/**
 * Codes of a PATCH to a message that can no longer be updated: a new message follows
 * instead (message-update.job.ts). 230031: older than 14 days (or not a shared card);
 * 230011: recalled.
 */
export const LARK_GONE_CODES: ReadonlySet<number> = new Set(LARK_GONE_CODES_ENTRIES.map(([code]) => code));

function larkCodeError(code: number, msg = '', status: string, cause?: unknown): Error {
  if (RATE_LIMIT_CODES.has(code)) return new RetryLaterError(`lark rate limited (${code})`, 1000);
  if (LARK_PERMANENT_CODES.has(code)) return new PermanentJobError(`lark: ${code} ${msg || LARK_PERMANENT_CODES.get(code)}`, { code: `lark:${code}`, cause });
  return new Error(`lark answered ${status}code ${code}: ${msg}`, cause === undefined ? undefined : { cause });
}

export interface LarkSenderOptions {
  /** A call that takes longer fails its run; the retry carries the same uuid. */
  timeoutMs?: number;
  /** Where to say that urgent messages are not allowed to this app. */
  logger?: Logger;
}

/** urgent_app refusals that mean "this app may not": the card stays a plain one. */
const URGENT_REFUSED_CODES = new Set([99991672, 230027]);

/**
 * Uploads the reply's images (im/v1/images, image_type message) and answers their
 * image_key by id, for the card's img elements. The SDK answers the body's `data` only.
 */
export async function uploadLarkImages(client: lark.Client, reply: Reply): Promise<Record<string, string>> {
  const keys: Record<string, string> = {};
  if (!reply.images?.length) return keys;
  // The SDK sends a Buffer as a text field: only a file stream becomes the form's file part.
  const dir = await mkdtemp(join(tmpdir(), 'kehu-image-'));
  try {
    for (const image of reply.images) {
      const path = join(dir, image.filename);
      await writeFile(path, image.png);
      const uploaded = await client.im.v1.image.create({ data: { image_type: 'message', image: createReadStream(path) } });
      if (!uploaded?.image_key) throw new Error('lark image upload returned no image_key');
      keys[image.id] = uploaded.image_key;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return keys;
}

/** Queued notifications, as a card from the bot. */
export function larkSender(client: lark.Client, identities: IdentityResolver, options: LarkSenderOptions = {}): ChatSender {
  const timeoutMs = options.timeoutMs ?? DEFAULT_LARK_SEND_TIMEOUT_MS;
  /**
   * One card to an open_id or a chat_id — or, with `thread`, a reply in the thread of that
   * earlier card (a comment on a request) — once per key; the message_id it landed as.
   */
  const create = async (receiveIdType: 'open_id' | 'chat_id', receiveId: string, reply: Reply, { idempotencyKey, onSent, thread }: SendContext): Promise<string | undefined> => {
    // A retried job uploads its images again (Lark keeps no key for an upload); the card
    // itself is still sent once (its uuid: Lark drops a second message with the same uuid
    // within an hour, so a job retried after a crash, a lost answer or a timeout is delivered once).
    const imageKeys = reply.images?.length ? await uploadLarkImages(client, reply) : {};
    const card = { msg_type: 'interactive', content: JSON.stringify(renderLark(reply, imageKeys)), uuid: larkUuid(idempotencyKey) };
    const sent = await larkSend(() =>
      thread
        ? answerWithin(timeoutMs, 'im.v1.message.reply', client.im.v1.message.reply({ path: { message_id: thread.ref }, data: { ...card, reply_in_thread: true } }))
        : answerWithin(timeoutMs, 'im.v1.message.create', client.im.v1.message.create({ params: { receive_id_type: receiveIdType }, data: { receive_id: receiveId, ...card } })),
    );
    const messageId = (sent as { data?: { message_id?: string } }).data?.message_id;
    if (messageId) await onSent?.({ platform: 'lark', channel: '', ref: messageId });
    return messageId;
  };

  /**
   * Makes the message urgent for the person (in-app 加急; never SMS or phone, which spend the
   * tenant's paid quota). An app without the im:message.urgent scope still sent the card:
   * that is said in the log, not retried. Any other failure fails the job: its retry finds
   * the same card (its uuid) and asks again — at worst the same message is made urgent twice
   * for the host, never a second card.
   */
  const urgent = async (messageId: string, openId: string) => {
    try {
      await larkSend(() =>
        answerWithin(timeoutMs, 'im.v1.message.urgentApp', client.im.v1.message.urgentApp({ path: { message_id: messageId }, params: { user_id_type: 'open_id' }, data: { user_id_list: [openId] } })),
      );
    } catch (e) {
      if (e instanceof PermanentJobError && URGENT_REFUSED_CODES.has(Number(e.code?.slice('lark:'.length)))) {
        options.logger?.warn({ platform: 'lark', code: e.code }, 'cannot send urgent messages (add the im:message.urgent scope to the Lark app): the repeat ping went out as a plain card');
        return;
      }
      throw e;
    }
  };

  return {
    platform: 'lark',
    async sendToPerson(person, reply, context) {
      const openId = await identities.userIdFor(person);
      if (!openId) return false;
      const messageId = await create('open_id', openId, reply, context);
      // The repeat ping of an unanswered visitor: 加急 (urgent_app) when the app has the scope.
      if (reply.urgent && messageId) await urgent(messageId, openId);
      return true;
    },
    async sendToChannel(chatId, reply, context) {
      await create('chat_id', chatId, reply, context);
      return true;
    },
    async updateMessage(place, reply) {
      try {
        await larkSend(() =>
          answerWithin(timeoutMs, 'im.v1.message.patch', client.im.v1.message.patch({ path: { message_id: place.ref }, data: { content: JSON.stringify(renderLark(reply)) } })),
        );
        return 'updated';
      } catch (e) {
        if (e instanceof PermanentJobError && LARK_GONE_CODES.has(Number(e.code?.slice('lark:'.length)))) return 'gone';
        throw e;
      }
    },
  };
}

/**
 * The call's answer, or an error after `ms`. The SDK cannot abort a request: a late answer
 * is dropped (the retry with the same uuid gets the same message back).
 */
function answerWithin<T>(ms: number, what: string, call: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`lark: no answer to ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
}

/** Lark's uuid field takes at most 50 characters. */
export function larkUuid(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 50);
}
