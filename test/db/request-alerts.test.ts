// Reminders and escalations of service requests on SQLite and PostgreSQL, through the use
// cases on the real store with a fixed clock: the assignee reminded at 50% and 75% of the
// resolution target counted in working time across a weekend and across National Day, the
// head told at breach and again on the period, the head's manager at twice the target;
// nothing while it waits on the requester (the paused time moves every point); moot points
// (first response once taken, everything once resolved) never sent; two sweeps at once or a
// sweep run again send each point exactly once; the sweep's wake-up job written with the change.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parseOrgText } from '../../src/config/org-file.ts';
import { actOnRequest } from '../../src/core/requests/act-on-request.ts';
import type { Catalog, CatalogService } from '../../src/core/requests/catalog.ts';
import { submitRequest } from '../../src/core/requests/submit-request.ts';
import { sweepRequestAlerts } from '../../src/core/requests/sweep-request-alerts.ts';
import { createCustomerStore } from '../../src/db/repositories/customer.repository.ts';
import { createRequestStore } from '../../src/db/repositories/service-request.repository.ts';
import { describeEachDatabase } from './databases.ts';

// Many transactions per test on both databases: room for a busy machine.
vi.setConfig({ testTimeout: 20_000 });

const d = parseOrgText(`company: Acme
timezone: Asia/Shanghai
departments:
  - { id: sales, name: 销售部, kind: sales, head: mei }
  - { id: admin, name: 行政部, kind: function, head: chen }
  - { id: office, name: 总经办, kind: function, head: boss }
people:
  - { id: boss, name: 王总, email: boss@acme.test, department: office }
  - { id: mei, name: 林梅, email: mei@acme.test, department: sales, manager: boss }
  - { id: tom, name: Tom Reed, email: tom@acme.test, department: sales, manager: mei, roles: [rep] }
  - { id: chen, name: 陈刚, email: chen@acme.test, department: admin, manager: boss }
  - { id: li.na, name: 李娜, email: li.na@acme.test, department: admin, manager: chen }
`, 'org.yaml');
const materials: CatalogService = {
  key: 'materials', name: { en: 'Materials', 'zh-CN': '资料' }, departmentId: 'admin', prerequisites: [], managerApproves: false, fields: [],
  targets: { firstResponse: { hours: 2 }, resolution: { days: 1 } }, leadTimeDays: 1, assign: { rule: 'rotation' },
  reminders: { at: [0.5, 0.75], repeatEvery: { hours: 4 }, escalateAt: 2 }, closeAfter: { days: 3 }, ratingWindow: { days: 3 }, maxPause: { days: 2 },
};
const catalog: Catalog = { services: [materials] };
/** "2026-12-14 10:31" Shanghai as an instant. */
const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);

describeEachDatabase('request reminders and escalation', (getDb) => {
  const requests = () => createRequestStore(getDb());
  const alerts = async () =>
    (await getDb().prisma.job.findMany({ where: { kind: 'notify.person' }, orderBy: { createdAt: 'asc' } }))
      .map((j) => JSON.parse(j.payload) as { personId: string; notice: { type: string; kind?: string; target?: string; fraction?: number } })
      .filter((p) => p.notice.type === 'request.alert')
      .map((p) => `${p.personId} ${p.notice.target} ${p.notice.kind}${p.notice.fraction ? ` ${p.notice.fraction}` : ''}`);
  beforeEach(async () => {
    await getDb().prisma.job.deleteMany();
    await getDb().prisma.serviceRequest.deleteMany();
    await getDb().prisma.sentMessage.deleteMany();
  });
  const submit = (now: Date) => submitRequest({ requests: requests(), customers: createCustomerStore(getDb()), directory: d, requester: d.person('tom')!, service: materials, values: {}, now });
  const act = (actor: string, id: string, kind: 'take' | 'wait' | 'resume' | 'resolve' | 'extend', now: Date) => requests().get(id).then((r) => actOnRequest({ requests: requests(), directory: d, catalog, actor: d.person(actor)!, requestId: id, version: r!.version, action: { kind }, now }));
  const sweep = (now: Date) => sweepRequestAlerts({ requests: requests(), directory: d, catalog, now });

  it('reminds at 50% and 75% across a weekend, pauses while waiting, tells the head at breach, repeats, goes to the head’s manager at 2x — each once', async () => {
    // Friday 15:00: one working day of resolution is Monday 15:00.
    const { request } = await submit(sh('2026-12-11 15:00'));
    expect(request.resolutionDue).toEqual(sh('2026-12-14 15:00'));
    expect(request.nextAlertAt).toEqual(sh('2026-12-11 16:00'));
    // The sweep's wake-up is written with the request, at its next alert.
    expect((await getDb().prisma.job.findMany({ where: { kind: 'request.sweep' } })).map((j) => j.runAt)).toEqual([sh('2026-12-11 16:00')]);
    await act('li.na', request.id, 'take', sh('2026-12-11 15:10'));
    // Taken: the first-response reminders are moot; nothing over the weekend.
    expect(await sweep(sh('2026-12-11 18:00'))).toBe(0);
    expect(await sweep(sh('2026-12-12 12:00'))).toBe(0);
    // Monday 10:30 is 50% (4.5 working hours). Two replicas sweeping at once, and again: one reminder.
    const [a, b] = await Promise.all([sweep(sh('2026-12-14 10:31')), sweep(sh('2026-12-14 10:31'))]);
    expect(a + b).toBe(1);
    expect(await sweep(sh('2026-12-14 10:32'))).toBe(0);
    expect(await alerts()).toEqual(['li.na resolution remind 0.5']);
    // Waiting on the requester 11:00–12:00: nothing counts; the 75% moves from 12:45 to 13:45.
    await act('li.na', request.id, 'wait', sh('2026-12-14 11:00'));
    expect(await sweep(sh('2026-12-14 11:59'))).toBe(0);
    await act('tom', request.id, 'resume', sh('2026-12-14 12:00'));
    expect(await sweep(sh('2026-12-14 13:40'))).toBe(0);
    expect(await sweep(sh('2026-12-14 13:46'))).toBe(1);
    // Breach at 16:00 (15:00 + the hour paused): the head.
    expect(await sweep(sh('2026-12-14 16:01'))).toBe(1);
    // Repeats every 4 working hours (Tue 11:00, 15:00) and 2x the target (Tue 16:00): a sweep late after both sends the last repeat and the manager.
    expect(await sweep(sh('2026-12-15 16:01'))).toBe(2);
    expect(await alerts()).toEqual(['li.na resolution remind 0.5', 'li.na resolution remind 0.75', 'chen resolution breach', 'chen resolution repeat', 'boss resolution upward']);
    // Resolved: nothing more is due, ever.
    await act('li.na', request.id, 'resolve', sh('2026-12-15 16:30'));
    expect((await requests().get(request.id))!.nextAlertAt).toBeUndefined();
    expect(await sweep(sh('2026-12-20 12:00'))).toBe(0);
  });

  it('counts across National Day with its make-up day; an extension by the head plans the breach anew', async () => {
    // Wednesday 2026-09-30 15:00: the next working day is Thursday 10-08 (1–7 October off).
    const { request } = await submit(sh('2026-09-30 15:00'));
    expect(request.resolutionDue).toEqual(sh('2026-10-08 15:00'));
    await act('li.na', request.id, 'take', sh('2026-09-30 15:05'));
    expect(await sweep(sh('2026-10-05 12:00'))).toBe(0);
    expect(await sweep(sh('2026-10-08 10:31'))).toBe(1);
    expect(await sweep(sh('2026-10-08 12:46'))).toBe(1);
    expect(await sweep(sh('2026-10-08 15:01'))).toBe(1);
    // The head extends by one working day: due Friday 15:00; the assignee reminded at 75% of the new target (13.5 working hours: 10:30), the head told at the new breach.
    await act('chen', request.id, 'extend', sh('2026-10-08 15:30'));
    expect((await requests().get(request.id))!.resolutionDue).toEqual(sh('2026-10-09 15:00'));
    expect(await sweep(sh('2026-10-09 10:29'))).toBe(0);
    expect(await sweep(sh('2026-10-09 10:31'))).toBe(1);
    expect(await sweep(sh('2026-10-09 14:59'))).toBe(0);
    expect(await sweep(sh('2026-10-09 15:01'))).toBe(1);
    expect(await alerts()).toEqual(['li.na resolution remind 0.5', 'li.na resolution remind 0.75', 'chen resolution breach', 'li.na resolution remind 0.75', 'chen resolution breach']);
  });
});

describe('an untaken request', () => {
  it('is a first-response reminder, not a resolution one, that goes to the assignee', async () => {
    const { requestAlertPlan } = await import('../../src/core/requests/request-alerts.ts');
    const { departmentSchedule } = await import('../../src/core/time/working-time.ts');
    const r = { status: 'approved', clockStart: sh('2026-12-11 15:00'), pausedMs: 0, extendedMs: 0 } as never;
    const plan = requestAlertPlan(r, materials, departmentSchedule(d.org, 'admin'));
    expect(plan.slice(0, 3).map((p) => `${p.target}:${p.kind}@${p.at === sh('2026-12-11 16:00').getTime() ? '16:00' : p.at}`)).toEqual(['firstResponse:remind@16:00', expect.stringMatching(/^firstResponse:remind/), expect.stringMatching(/^firstResponse:breach/)]);
  });
});
