import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sealForm } from '../../../src/chat/form-seal.ts';
import { SLACK_SIGNING_SECRET } from '../../support/harness.ts';
import { signSlack, slashCommand, viewSubmission } from '../../support/slack-requests.ts';
import { SLACK } from '../../support/test-org.ts';
import { runLoad, spawnServer, percentile, type HttpShot } from '../bench-kit.ts';

const signed = (req: { body: string; contentType: string }): HttpShot => ({ method: 'POST', path: '/slack/events', headers: { 'content-type': req.contentType, ...signSlack(SLACK_SIGNING_SECRET, req.body) }, body: req.body });
const fake = await spawnServer('fake-slack', {});
const entry = fileURLToPath(new URL('../bench-server.ts', import.meta.url));
const prof = process.argv[2] === 'prof';
const child = spawn(process.execPath, [...(prof ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), '--max-semi-space-size=2', '--import', 'tsx', entry, 'kehu', JSON.stringify({ slackApiUrl: `${fake.url}/api/` })], { stdio: ['pipe', 'pipe', 'inherit', 'ipc'], env: { ...process.env, NODE_ENV: 'production' } });
const url = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', (l) => resolve((JSON.parse(l) as { url: string }).url)));
const metadata = sealForm(SLACK_SIGNING_SECRET, { request: { name: 'customer.claim', context: {} }, openedFor: 'tom.reed', issuedAt: Date.now() });
const submission = (): HttpShot => signed(viewSubmission({ userId: SLACK.tomReed, privateMetadata: metadata, values: { name: { name: { type: 'plain_text_input', value: '' } } } }));
let n = 0;
const help = (): HttpShot => signed(slashCommand({ userId: SLACK.tomReed, text: 'help', responseUrl: `${fake.url}/response/p${n++}` }));
await runLoad({ url, concurrency: 1, total: 200, shot: submission });
const s = await runLoad({ url, concurrency: 1, total: 1000, shot: submission });
console.log('submission c=1 p50', percentile(s.latencies, 50), 'p99', percentile(s.latencies, 99));
const t0 = Date.now();
const h = await runLoad({ url, concurrency: 50, total: 5000, shot: help });
console.log('help c=50 acked in', Date.now() - t0, 'ms p99', percentile(h.latencies, 99));
// wait for replies
for (;;) {
  const r = (await (await fetch(`${fake.url}/_fake/stats`)).json()) as { responses: number };
  if (r.responses >= 5000) break;
  await new Promise((res) => setTimeout(res, 500));
}
console.log('drained (or no counter) after', Date.now() - t0, 'ms');
child.stdin!.end();
await new Promise((r) => child.once('exit', r));
await fake.stop();
