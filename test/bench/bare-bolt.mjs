// The reference the benchmarks measure kehu against: the smallest Bolt app that acks
// /kehu, with the same Bolt and receiver (HTTPReceiver); `respond` also posts one short
// reply, the least work a real command does. Plain JavaScript, so that its memory is what
// Node itself takes for Bolt, without a TypeScript loader (bench-server.ts imports it for
// the latency benchmark; the memory benchmark runs it as a process of its own):
//   BARE_BOLT_SIGNING_SECRET=… BARE_BOLT_API_URL=… node test/bench/bare-bolt.mjs   → prints {"url":…}
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { pathToFileURL } from 'node:url';

export async function startBareBolt({ signingSecret, slackApiUrl, respond = false }) {
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
  const server = await app.start(0);
  return { url: `http://127.0.0.1:${server.address().port}`, stop: () => app.stop() };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const running = await startBareBolt({
    signingSecret: process.env.BARE_BOLT_SIGNING_SECRET,
    slackApiUrl: process.env.BARE_BOLT_API_URL,
    respond: process.env.BARE_BOLT_RESPOND === '1',
  });
  process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
  process.on('SIGTERM', () => void running.stop().finally(() => process.exit(0)));
}
