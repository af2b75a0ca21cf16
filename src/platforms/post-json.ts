// POSTs JSON to a URL Slack gives us (response_url) over kept-alive connections: a reply
// per command is the hot path after every ack, and a fresh TLS/TCP connection or fetch's
// per-call overhead for each would cost more CPU than the command itself.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { HttpError } from '../http/http-error.ts';

const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 32 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 32 });


export function postJson(url: string, body: unknown, timeoutMs = 10_000): Promise<void> {
  const target = new URL(url);
  const payload = Buffer.from(JSON.stringify(body));
  const secure = target.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(
      target,
      {
        method: 'POST',
        agent: secure ? httpsAgent : httpAgent,
        headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length },
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new HttpError(status, `POST ${target.host}${target.pathname} answered ${status}`));
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`POST ${target.host} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}
