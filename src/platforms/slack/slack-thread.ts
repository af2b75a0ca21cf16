// The Slack worker thread (see ../chat-thread.ts): the main thread verifies and acks each
// request on POST /slack/events and posts its payload here, where Bolt routes it to the
// listeners in slack-bolt.ts.
import { runChatThread } from '../chat-thread.ts';
import { createSlackBolt, NO_RECEIVER } from './slack-bolt.ts';
import type { SlackThreadPayload } from './slack-app.ts';

await runChatThread(async (deps, settings) => {
  if (!settings.slack) throw new Error('the Slack thread needs Slack settings');
  const bolt = createSlackBolt(settings.slack, deps, NO_RECEIVER);
  await bolt.app.init();
  return {
    handle: (payload) => {
      const p = payload as SlackThreadPayload;
      // Already acked by the main thread.
      return bolt.app.processEvent({ ...p, ack: async () => undefined, customProperties: {} });
    },
    idle: () => bolt.idle(),
  };
});
