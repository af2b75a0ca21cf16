// PostgreSQL goes away under two replicas and comes back (issue 16, point 4), on a cluster of
// the test's own (own-postgres.ts: the shared server is never restarted): while it is down
// each replica answers 503 on /healthz and refuses to ack (Slack would deliver again); once it
// is back both answer 200 again and a command is answered, once, with nothing acked lost.
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SLACK_SIGNING_SECRET } from '../support/harness.ts';
import { NGINX } from '../support/nginx.ts';
import { ownPostgresPossible } from '../support/own-postgres.ts';
import { withReplicaRig, type ReplicaRig } from '../support/replica-rig.ts';
import { signSlack, slashCommand } from '../support/slack-requests.ts';
import { waitFor } from '../support/wait-for.ts';
import { soakOrgFile } from '../soak/soak.ts';

const health = async (port: number) => {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3_000) })).status;
  } catch {
    return -1;
  }
};

async function claim(rig: ReplicaRig, company: string): Promise<{ id: string; status: number }> {
  const id = randomUUID();
  const req = slashCommand({ userId: 'U0SOAKR00', text: `claim ${company}`, responseUrl: rig.fake.responseUrl(id) });
  const res = await fetch(`${rig.url}/slack/events`, { method: 'POST', body: req.body, headers: { 'content-type': req.contentType, ...signSlack(SLACK_SIGNING_SECRET, req.body) } });
  return { id, status: res.status };
}

describe.skipIf(!ownPostgresPossible() || !existsSync(NGINX))('PostgreSQL restarted under two replicas', () => {
  it('503 on /healthz and no ack while it is down; 200 and answers again once it is back', { timeout: 180_000 }, async () => {
    await withReplicaRig({ replicas: 2, postgres: 'own', env: { KEHU_ORG_FILE: soakOrgFile(2) } }, async (rig) => {
      const ports = rig.replicas.map((r) => r.port);
      const before = await claim(rig, '云杉智联电子');
      expect(before.status).toBe(200);
      await rig.fake.waitForResponse((r) => r.id === before.id, { timeoutMs: 30_000 });

      rig.pg!.halt();
      for (const port of ports) await waitFor(async () => (await health(port)) === 503, { what: `replica on ${port}: 503 on /healthz`, timeoutMs: 15_000, intervalMs: 200 });
      // Not written, not acked: the platform delivers it again.
      expect((await claim(rig, '鼎盛华泰贸易')).status).toBe(503);

      await rig.pg!.start();
      for (const port of ports) await waitFor(async () => (await health(port)) === 200, { what: `replica on ${port}: 200 on /healthz again`, timeoutMs: 30_000, intervalMs: 200 });
      const after = await claim(rig, '鼎盛华泰贸易');
      expect(after.status).toBe(200);
      await rig.fake.waitForResponse((r) => r.id === after.id, { what: 'the answer after PostgreSQL came back', timeoutMs: 60_000 });
      await waitFor(async () => (await rig.db.prisma.job.count({ where: { status: { in: ['pending', 'running'] }, kind: 'inbox.slack' } })) === 0, { what: 'the inbox drained', timeoutMs: 30_000, intervalMs: 200 });
      expect(rig.fake.responses.filter((r) => r.id === after.id || r.id === before.id)).toHaveLength(2);
      expect(await rig.db.prisma.customer.count()).toBe(2);
      expect(await rig.db.prisma.job.count({ where: { status: 'dead' } })).toBe(0);
      for (const i of [0, 1]) expect(await rig.stop(i)).toBe(0);
    });
  });
});
