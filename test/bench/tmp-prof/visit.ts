import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Agent } from 'node:http';
import { fileURLToPath } from 'node:url';
import { sealForm } from '../../../src/chat/form-seal.ts';
import { SLACK_SIGNING_SECRET } from '../../support/harness.ts';
import { signSlack, viewSubmission } from '../../support/slack-requests.ts';
import { SLACK } from '../../support/test-org.ts';
import { post, spawnServer, percentile, type HttpShot } from '../bench-kit.ts';
const ORG = fileURLToPath(new URL('../../support/fixtures/visitors-org.yaml', import.meta.url));
const field = (name: string, value: string) => ({ [name]: { [name]: { type: 'plain_text_input', value } } });
function submission(company: string): HttpShot {
  const privateMetadata = sealForm(SLACK_SIGNING_SECRET, { request: { name: 'visitor.report', context: {} }, openedFor: 'xiao.wang', issuedAt: Date.now() });
  const req = viewSubmission({ userId: 'U0XIAOWANG', privateMetadata, values: { ...field('company', company), ...field('names', '基准先生'), ...field('host', 'Tom Reed') } });
  return { method: 'POST', path: '/slack/events', body: req.body, headers: { 'content-type': req.contentType, ...signSlack(SLACK_SIGNING_SECRET, req.body) } };
}
const fake = await spawnServer('fake-slack', {});
const entry = fileURLToPath(new URL('../bench-server.ts', import.meta.url));
const prof = process.argv[2] === 'prof';
const child = spawn(process.execPath, [...(prof ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), '--max-semi-space-size=2', '--import', 'tsx', entry, 'kehu', JSON.stringify({ slackApiUrl: `${fake.url}/api/`, orgFile: ORG })], { stdio: ['pipe', 'pipe', 'inherit', 'ipc'], env: { ...process.env, NODE_ENV: 'production' } });
const url = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', (l) => resolve((JSON.parse(l) as { url: string }).url)));
const agent = new Agent({ keepAlive: true, maxSockets: 2 });
const lat: number[] = [];
const ans: number[] = [];
for (let i = 0; i < 300; i++) {
  const c = `基准访客p${process.pid}号${i}`;
  const waiting = fetch(`${fake.url}/_fake/posted?channel=${SLACK.tomReed}&count=1&contains=${encodeURIComponent(c)}`);
  const sentAt = Date.now();
  await post(agent, url, submission(c));
  const answered = Date.now() - sentAt;
  const r = await waiting;
  if (r.status === 200 && i >= 50) { lat.push(((await r.json()) as { at: number[] }).at[0]! - sentAt); ans.push(answered); }
}
console.log('visitor DM c=1 n', lat.length, 'p50', percentile(lat, 50), 'p99', percentile(lat, 99), 'answer p50', percentile(ans, 50), 'p99', percentile(ans, 99));
agent.destroy();
child.stdin!.end();
await new Promise((r) => child.once('exit', r));
await fake.stop();
