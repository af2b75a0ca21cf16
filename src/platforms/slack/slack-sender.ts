// Queued notifications over Slack: a DM from the bot to one person, sent by the job
// worker (notify.person), never by a listener.
import { webApi } from '@slack/bolt';
import { renderSlack } from '../../chat/render-slack.ts';
import { RetryLaterError } from '../../jobs/errors.ts';
import type { ChatSender } from '../../notify/notifier.ts';
import type { IdentityResolver } from '../identity.ts';

/** Queued notifications, as a DM from the bot. */
export function slackSender(client: webApi.WebClient, identities: IdentityResolver): ChatSender {
  return {
    platform: 'slack',
    async sendToPerson(person, reply) {
      const userId = await identities.userIdFor(person);
      if (!userId) return false;
      try {
        await client.chat.postMessage({ channel: userId, ...renderSlack(reply) });
        return true;
      } catch (e) {
        if (e instanceof webApi.WebAPIRateLimitedError) throw new RetryLaterError('slack rate limited', e.retryAfter * 1000);
        throw e;
      }
    },
  };
}
