// Sending over Lark's Open API: the call wrapper every Lark send goes through (rate limits
// become RetryLaterError), and queued notifications as a card from the bot to one person.
import { createHash } from 'node:crypto';
import type * as lark from '@larksuiteoapi/node-sdk';
import { renderLark } from '../../chat/render-lark.ts';
import { RetryLaterError } from '../../jobs/errors.ts';
import type { ChatSender } from '../../notify/notifier.ts';
import type { IdentityResolver } from '../identity.ts';

/** Lark's "too many requests" business codes. */
const RATE_LIMIT_CODES = new Set([99991400, 11232, 230020]);

/** Calls the Open API; rate limits become RetryLaterError, other refusals errors. */
export async function larkSend(call: () => Promise<{ code?: number; msg?: string }>): Promise<void> {
  let res: { code?: number; msg?: string };
  try {
    res = await call();
  } catch (e) {
    const status = (e as { response?: { status?: number; headers?: Record<string, string> } }).response;
    if (status?.status === 429) {
      const reset = Number(status.headers?.['x-ogw-ratelimit-reset'] ?? 1);
      throw new RetryLaterError('lark rate limited', Math.max(1, reset) * 1000);
    }
    throw e;
  }
  if (res.code !== undefined && res.code !== 0) {
    if (RATE_LIMIT_CODES.has(res.code)) throw new RetryLaterError(`lark rate limited (${res.code})`, 1000);
    throw new Error(`lark answered code ${res.code}: ${res.msg ?? ''}`);
  }
}

/** Queued notifications, as a card from the bot. */
export function larkSender(client: lark.Client, identities: IdentityResolver): ChatSender {
  return {
    platform: 'lark',
    async sendToPerson(person, reply, { idempotencyKey }) {
      const openId = await identities.userIdFor(person);
      if (!openId) return false;
      await larkSend(() =>
        client.im.v1.message.create({
          params: { receive_id_type: 'open_id' },
          // Lark drops a second message with the same uuid within an hour: a job retried
          // after a crash between send and "done" is still delivered once.
          data: { receive_id: openId, msg_type: 'interactive', content: JSON.stringify(renderLark(reply)), uuid: larkUuid(idempotencyKey) },
        }),
      );
      return true;
    },
  };
}

/** Lark's uuid field takes at most 50 characters. */
export function larkUuid(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 50);
}
