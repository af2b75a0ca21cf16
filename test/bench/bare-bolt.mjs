// The reference the benchmarks measure kehu against: the smallest Bolt app that acks
// /kehu, with the same Bolt and receiver (HTTPReceiver); `respond` also posts one short
// reply, the least work a real command does; `modal` answers a button press with views.open
// (the trigger_id, a one-field modal) and a view_submission with a validation error at once;
// `visitor` answers a submitted visitor form by acking and posting the host's DM itself. Plain JavaScript, so that its memory is what
// Node itself takes for Bolt, without a TypeScript loader (bench-server.ts imports it for
// the latency benchmark; the memory benchmark runs it as a process of its own):
//   BARE_BOLT_SIGNING_SECRET=… BARE_BOLT_API_URL=… node test/bench/bare-bolt.mjs   → prints {"url":…}
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { pathToFileURL } from 'node:url';

export async function startBareBolt({ signingSecret, slackApiUrl, respond = false, modal = false, visitor }) {
  const app = new App({
    token: 'xoxb-bare-bolt',
    botId: 'B0BARE',
    botUserId: 'U0BARE',
    receiver: new HTTPReceiver({ signingSecret, endpoints: '/slack/events' }),
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl, retryConfig: { retries: 0 } },
  });
  app.command('/kehu', async ({ ack, respond: reply }) => {
    await ack();
    if (respond) await reply({ response_type: 'ephemeral', text: 'ok' });
  });
  if (modal) {
    app.action(/.*/, async ({ ack, body, client }) => {
      await ack();
      await client.views.open({
        trigger_id: body.trigger_id,
        view: { type: 'modal', callback_id: 'bare', title: { type: 'plain_text', text: 'Claim' }, submit: { type: 'plain_text', text: 'Claim' }, blocks: [{ type: 'input', block_id: 'name', label: { type: 'plain_text', text: 'Company' }, element: { type: 'plain_text_input', action_id: 'name' } }] },
      });
    });
    app.view(/.*/, async ({ ack }) => ack({ response_action: 'errors', errors: { name: 'Company: this is required' } }));
  }
  if (visitor) {
    // A submitted visitor form: ack, then the host's DM posted by the listener itself.
    app.view(/.*/, async ({ ack, view, client }) => {
      await ack();
      const company = view.state.values.company?.company?.value ?? '';
      await client.chat.postMessage({ channel: visitor.hostUserId, text: `Visitor from ${company} at reception` });
    });
  }
  const server = await app.start(0);
  return { url: `http://127.0.0.1:${server.address().port}`, stop: () => app.stop() };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const running = await startBareBolt({
    signingSecret: process.env.BARE_BOLT_SIGNING_SECRET,
    slackApiUrl: process.env.BARE_BOLT_API_URL,
    respond: process.env.BARE_BOLT_RESPOND === '1',
    modal: process.env.BARE_BOLT_MODAL === '1',
  });
  process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
  process.on('SIGTERM', () => void running.stop().finally(() => process.exit(0)));
}
