// The soak, short (issue 16; the long one is `npm run soak`): three replicas behind nginx on
// one PostgreSQL, a steady mix (claim races, stage changes, follow-ups, visitor reports with
// "Coming now" presses and escalations), one replica SIGTERMed and started again, then one
// SIGKILLed and started again. Every acked command answered once, every keyed message delivered
// once and none lost, one owner per company, every command applied once, no dead job; only
// requests in flight to the SIGKILLed replica may go unacked.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PG_AVAILABLE } from '../db/databases.ts';
import { NGINX } from '../support/nginx.ts';
import { formatSoak, runSoak, soakFailures } from '../soak/soak.ts';

describe.skipIf(!PG_AVAILABLE || !existsSync(NGINX))('the soak, short', () => {
  it('3 replicas, a SIGTERM restart and a SIGKILL under load: exactly once, one owner, nothing lost', { timeout: 180_000 }, async () => {
    const report = await runSoak({ replicas: 3, steadyMs: 2_000, restarts: [0], kill: 1, tailMs: 1_500, users: 3 });
    console.log(formatSoak(report));
    expect(soakFailures(report)).toEqual([]);
    expect(report.companies).toBeGreaterThan(3);
    expect(report.keyed).toBeGreaterThan(10);
    // Both phases measured.
    expect(report.ackSteady.n).toBeGreaterThan(0);
    expect(report.ackDuringRestarts.n).toBeGreaterThan(0);
  });
});
