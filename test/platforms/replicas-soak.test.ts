// The soak, short (issue 16; the long one is `npm run soak`): three replicas behind nginx on
// a PostgreSQL cluster of the test's own, the whole mix (claim races, stage changes, follow-ups,
// visitor reports with "Coming now" presses and escalations, service requests taken through to
// a rating or left to their reminders, a handover, digests on demand and at the 09:00 tick);
// one replica SIGTERMed and started again, the org file changed (a person added), one replica
// SIGKILLed and started again, PostgreSQL stopped and started again. Every acked command
// answered once, every keyed message delivered once and none lost, one owner per company,
// every command applied once, no dead job, the 09:00 slots enqueued once between the replicas;
// only requests in flight to the SIGKILLed replica, or sent while PostgreSQL was down (503), may
// go unacked; /healthz 503 on every replica while it was down, 200 once it was back.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PG_AVAILABLE } from '../db/databases.ts';
import { NGINX } from '../support/nginx.ts';
import { ownPostgresPossible } from '../support/own-postgres.ts';
import { formatSoak, runSoak, soakFailures } from '../soak/soak.ts';

describe.skipIf(!PG_AVAILABLE || !ownPostgresPossible() || !existsSync(NGINX))('the soak, short', () => {
  it('3 replicas through a SIGTERM restart, an org change, a SIGKILL and a PostgreSQL restart under load: exactly once, one owner, nothing lost', { timeout: 240_000 }, async () => {
    const report = await runSoak({ replicas: 3, steadyMs: 2_000, restarts: [0], orgChange: true, kill: 1, pgOutageMs: 3_000, tailMs: 1_500, users: 3, jobLeaseSeconds: 10 });
    console.log(formatSoak(report));
    expect(soakFailures(report)).toEqual([]);
    expect(report.companies).toBeGreaterThan(3);
    expect(report.requests.rated).toBeGreaterThan(0);
    expect(report.requests.reminders).toBeGreaterThan(0);
    expect(report.handover.moved).toBe(2);
    expect(report.digests.onDemand).toBe(2);
    expect(report.recurring.ticked).toEqual(expect.arrayContaining(['digest-schedule', 'request-sweep', 'handover-morning']));
    expect(report.orgChange?.answered).toBe(6);
    // Both phases measured.
    expect(report.ackSteady.n).toBeGreaterThan(0);
    expect(report.ackDuringRestarts.n).toBeGreaterThan(0);
  });
});
