// Several replicas behind nginx (issue 16): the deploy site (manifests/deploy/nginx-kehu.conf,
// run by test/support/nginx.ts) spreads requests round-robin over the replicas, a replica that
// is stopping (SIGTERM) or gone is skipped without a failed request, and the PostgreSQL
// connections one replica opens stay within what the README states (pg_stat_activity, by the
// application_name each part sets: kehu-inbox, kehu-work, kehu-listen).
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PG_AVAILABLE } from '../db/databases.ts';
import { SLACK_SIGNING_SECRET } from '../support/harness.ts';
import { NGINX } from '../support/nginx.ts';
import { withReplicaRig } from '../support/replica-rig.ts';
import { signSlack, slashCommand } from '../support/slack-requests.ts';
import { soakOrgFile } from '../soak/soak.ts';

/** How many /healthz requests a replica has answered (its own /metrics). */
async function healthzServed(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return [...text.matchAll(/^kehu_http_requests_total\{[^}]*route="\/healthz"[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

describe.skipIf(!PG_AVAILABLE || !existsSync(NGINX))('replicas behind nginx', { timeout: 120_000 }, () => {
  it('round-robin over three replicas; a replica stopping or stopped is skipped, no request fails', async () => {
    await withReplicaRig({ replicas: 3, env: { KEHU_ORG_FILE: soakOrgFile(2) } }, async (rig) => {
      const ports = rig.replicas.map((r) => r.port);
      const before = await Promise.all(ports.map(healthzServed));
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await fetch(`${rig.url}/healthz`)).status);
      expect(statuses).toEqual(Array(30).fill(200));
      const served = (await Promise.all(ports.map(healthzServed))).map((n, i) => n - before[i]!);
      // Round-robin: each its third (a /healthz of nginx's own probe aside).
      for (const n of served) expect(n).toBeGreaterThanOrEqual(9);
      expect(served.reduce((a, b) => a + b, 0)).toBe(30);

      // Replica 1 stops (SIGTERM) while requests keep coming: every one is answered 200 by someone.
      const during: number[] = [];
      let stopping = true;
      const load = (async () => {
        while (stopping) during.push((await fetch(`${rig.url}/healthz`)).status);
      })();
      expect(await rig.stop(1)).toBe(0);
      const afterStop = await Promise.all([0, 2].map((i) => healthzServed(ports[i]!)));
      for (let i = 0; i < 10; i++) during.push((await fetch(`${rig.url}/healthz`)).status);
      stopping = false;
      await load;
      expect(during.length).toBeGreaterThan(10);
      expect(during.filter((s) => s !== 200)).toEqual([]);
      // The two left took those ten between them.
      const afterMore = await Promise.all([0, 2].map((i) => healthzServed(ports[i]!)));
      expect(afterMore[0]! + afterMore[1]! - afterStop[0]! - afterStop[1]!).toBeGreaterThanOrEqual(10);
      // Started again on its port, it is back in the rotation.
      await rig.start(1);
      const back = await healthzServed(ports[1]!);
      await expect.poll(async () => {
        await fetch(`${rig.url}/healthz`);
        return (await healthzServed(ports[1]!)) - back;
      }, { timeout: 10_000, interval: 50 }).toBeGreaterThan(0);
    });
  });

  it('one replica under a burst of commands opens at most 4 + 10 + 1 PostgreSQL connections (README: Running several replicas)', async () => {
    await withReplicaRig({ replicas: 1, env: { KEHU_ORG_FILE: soakOrgFile(8) } }, async (rig) => {
      const most = new Map<string, number>();
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          for (const [name, n] of await rig.pgConnections()) most.set(name, Math.max(most.get(name) ?? 0, n));
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      // 60 claims at once through nginx: the front door's pool and the work thread's both fill.
      const sent = await Promise.all(
        Array.from({ length: 60 }, async (_, i) => {
          const req = slashCommand({ userId: `U0SOAKR0${i % 8}`, text: `claim 连接计数测试${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'子丑寅卯辰巳午未申酉'[Math.floor(i / 10)]}公司`, responseUrl: rig.fake.responseUrl(`c${i}`) });
          return (await fetch(`${rig.url}/slack/events`, { method: 'POST', body: req.body, headers: { 'content-type': req.contentType, ...signSlack(SLACK_SIGNING_SECRET, req.body) } })).status;
        }),
      );
      expect(sent).toEqual(Array(60).fill(200));
      await expect.poll(() => new Set(rig.fake.responses.map((r) => r.id)).size, { timeout: 60_000, interval: 100 }).toBe(60);
      sampling = false;
      await sampler;
      const total = [...most.values()].reduce((a, b) => a + b, 0);
      console.log(`[replicas] one replica's PostgreSQL connections at most, by part: ${[...most].map(([k, n]) => `${k || '(unnamed)'} ${n}`).join(', ')}; summed ${total}`);
      expect([...most.keys()].sort()).toEqual(['kehu-inbox', 'kehu-listen', 'kehu-work']);
      expect(most.get('kehu-inbox')).toBeLessThanOrEqual(4);
      expect(most.get('kehu-work')).toBeLessThanOrEqual(10);
      expect(most.get('kehu-listen')).toBe(1);
    });
  });
});
