// The chat worker thread's entry (see chat-thread.ts; app.ts starts it). The main thread
// verifies and acks each request on POST /slack/events and POST /lark/events and posts it
// here, tagged with its platform: Slack's go to Bolt (slack/slack-bolt.ts), Lark's to the
// SDK's dispatcher (lark/lark-dispatch.ts). Socket Mode and Lark's long connection stay on
// the main thread. Import only its types elsewhere: loading it starts the thread's work.
import { runChatThread } from './chat-thread.ts';
import { overHttp } from './front-end.ts';
import { createLarkDispatch } from './lark/lark-dispatch.ts';
import { createSlackBolt, NO_RECEIVER } from './slack/slack-bolt.ts';

export type ChatWorkerPayload =
  | { platform: 'slack'; event: { body: Record<string, unknown>; retryNum?: number; retryReason?: string } }
  /** A verified (and decrypted) Lark event envelope. */
  | { platform: 'lark'; event: Record<string, unknown> };

await runChatThread(async (deps, settings) => {
  const http = overHttp(settings);
  const slack = http.slack && settings.slack ? createSlackBolt(settings.slack, deps, NO_RECEIVER) : undefined;
  await slack?.app.init();
  const lark = http.lark && settings.lark ? createLarkDispatch(settings.lark, deps) : undefined;
  return {
    async handle(payload) {
      const p = payload as ChatWorkerPayload;
      // Already verified and acked by the main thread.
      if (p.platform === 'slack' && slack) return slack.app.processEvent({ ...p.event, ack: async () => undefined, customProperties: {} });
      if (p.platform === 'lark' && lark) return lark.dispatcher.invoke(p.event, { needCheck: false });
      throw new Error(`the chat worker thread has no ${p.platform} front end`);
    },
    idle: async () => void (await Promise.all([slack?.idle(), lark?.idle()])),
  };
});
