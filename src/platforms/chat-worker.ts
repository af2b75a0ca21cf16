// The chat thread's entry (see chat-thread.ts; app.ts starts it): the inbox's job
// handlers. A Slack row goes through Bolt's listeners (slack/slack-bolt.ts), a Lark row
// through the SDK's dispatcher (lark/lark-dispatch.ts); both were verified before they were
// written. Import only its types elsewhere: loading it starts the thread's work.
import { runChatThread } from './chat-thread.ts';
import { INBOX_KINDS } from './inbox.ts';
import { createLarkDispatch } from './lark/lark-dispatch.ts';
import { createSlackBolt, type SlackDelivery } from './slack/slack-bolt.ts';

await runChatThread(async (deps, settings) => {
  const slack = settings.slack ? createSlackBolt(settings.slack, deps) : undefined;
  const lark = settings.lark ? createLarkDispatch(settings.lark, deps) : undefined;
  return {
    handlers: {
      ...(slack ? { [INBOX_KINDS.slack]: (payload: unknown) => slack.process(payload as SlackDelivery) } : {}),
      ...(lark ? { [INBOX_KINDS.lark]: (payload: unknown) => lark.dispatcher.invoke(payload as Record<string, unknown>, { needCheck: false }) } : {}),
    },
  };
});
