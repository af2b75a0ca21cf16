// Reminders and escalations of service requests on SQLite and PostgreSQL, through the use
// cases on the real store with a fixed clock: the assignee reminded at 50% and 75% of the
// resolution target counted in working time across a weekend and across National Day (each
// point at its due instant, to the first working day after, and onto the make-up Saturday), the
// head told at breach and again on the period, the head's manager at twice the target;
// nothing while it waits on the requester (the paused time moves every point); moot points
// (first response once taken, everything once resolved) never sent; two sweeps at once or a
// sweep run again send each point exactly once, and so does a sweep killed half way then run
// again; the sweep's wake-up job written with the change.
// And what follows a resolution: the rating (once, in its window, a low one to the head), the
// promise to the customer settled kept or broken, the request closing by itself; the pause
// audit (a pause right after the requester's comment, or too long) flagged to the head.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parseOrgText } from '../../src/config/org-file.ts';
import { actOnRequest } from '../../src/core/requests/act-on-request.ts';
import type { Catalog, CatalogService } from '../../src/core/requests/catalog.ts';
import { submitRequest } from '../../src/core/requests/submit-request.ts';
import { closeRating, rateRequest } from '../../src/core/requests/rate-request.ts';
import { recordServicePromise } from '../../src/core/requests/check-promise.ts';
import { commentOnRequest } from '../../src/core/requests/comment-on-request.ts';
import { normaliseCompanyName } from '../../src/core/customers/normalise-name.ts';
import { randomUUID } from 'node:crypto';
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
    // Resolved: no reminder any more; only its closing by itself, 3 working days later.
    await act('li.na', request.id, 'resolve', sh('2026-12-15 16:30'));
    expect((await requests().get(request.id))!.nextAlertAt).toEqual(sh('2026-12-18 16:30'));
    expect(await sweep(sh('2026-12-20 12:00'))).toBe(0);
    expect(await requests().get(request.id)).toMatchObject({ status: 'closed', nextAlertAt: undefined });
  });

  it('tells whoever the service’s reminders.to names at each threshold, each once', async () => {
    const special: CatalogService = { ...materials, key: 'special', reminders: { ...materials.reminders, to: { before: ['head', { person: 'mei' }], breach: [{ person: 'boss' }], escalate: ['assignee'] } } };
    const withSpecial: Catalog = { services: [materials, special] };
    const { request } = await submitRequest({ requests: requests(), customers: createCustomerStore(getDb()), directory: d, requester: d.person('tom')!, service: special, values: {}, now: sh('2026-12-14 09:00') });
    const sweepSpecial = (now: Date) => sweepRequestAlerts({ requests: requests(), directory: d, catalog: withSpecial, now });
    await actOnRequest({ requests: requests(), directory: d, catalog: withSpecial, actor: d.person('li.na')!, requestId: request.id, version: request.version, action: { kind: 'take' }, now: sh('2026-12-14 09:05') });
    // 50% of one working day (9 h) is 13:30, 75% 15:45 — the head and mei each time; the breach at the day's end — boss;
    // the repeats (Tuesday 13:00, 17:00) — boss, the last one only after a gap; twice the target (Tuesday's end) — the assignee.
    expect(await sweepSpecial(sh('2026-12-14 13:31'))).toBe(2);
    expect(await sweepSpecial(sh('2026-12-14 13:32'))).toBe(0);
    expect(await sweepSpecial(sh('2026-12-14 15:46'))).toBe(2);
    expect(await sweepSpecial(sh('2026-12-15 09:01'))).toBe(1);
    expect(await sweepSpecial(sh('2026-12-16 09:01'))).toBe(2);
    expect(await sweepSpecial(sh('2026-12-16 09:02'))).toBe(0);
    // (Sorted: the notices of one point share their transaction's instant.)
    expect((await alerts()).sort()).toEqual(['boss resolution breach', 'boss resolution repeat', 'chen resolution remind 0.5', 'chen resolution remind 0.75', 'li.na resolution upward', 'mei resolution remind 0.5', 'mei resolution remind 0.75']);
  });

  it('sends each due reminder exactly once when a sweep dies half way and the next one finishes', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const { request } = await submitRequest({ requests: requests(), customers: createCustomerStore(getDb()), directory: d, requester: d.person('tom')!, service: materials, values: { n: String(i) }, now: sh('2026-12-14 09:00') });
      ids.push(request.id);
    }
    // The process dies after the second request's transaction: the sweep throws there.
    let calls = 0;
    const real = requests();
    const dying = { ...real, recordAlerts: async (...a: Parameters<typeof real.recordAlerts>) => {
      if (++calls === 3) throw new Error('killed');
      return real.recordAlerts(...a);
    } };
    await expect(sweepRequestAlerts({ requests: dying, directory: d, catalog, now: sh('2026-12-14 10:01') })).rejects.toThrow('killed');
    expect((await alerts()).length).toBe(2);
    // After the restart: the two left, and nothing twice — even if the sweep runs again.
    expect(await sweep(sh('2026-12-14 10:02'))).toBe(2);
    expect(await sweep(sh('2026-12-14 10:03'))).toBe(0);
    expect(await alerts()).toEqual(Array(4).fill('li.na firstResponse remind 0.5'));
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

  /** Each point at its due instant: the request's next alert is there, a sweep a minute before sends nothing, a minute after sends it. */
  const dueAt = async (id: string, due: Date) => {
    expect((await requests().get(id))!.nextAlertAt).toEqual(due);
    expect(await sweep(new Date(due.getTime() - 60_000))).toBe(0);
    expect(await sweep(new Date(due.getTime() + 60_000))).toBe(1);
  };

  /** A request made at 17:30 the working day before `day`: each point falls on `day`, and it is taken in between. */
  const onNextWorkingDay = async (id: string, day: string) => {
    // First response (2 working hours, half an hour of them the day before): 50% at 09:30, 75% at 10:00.
    await dueAt(id, sh(`${day} 09:30`));
    await dueAt(id, sh(`${day} 10:00`));
    await act('li.na', id, 'take', sh(`${day} 10:05`));
    // Resolution (one working day, 9 h): 50% at 13:00, 75% at 15:15, breach at 17:30.
    for (const time of ['13:00', '15:15', '17:30']) await dueAt(id, sh(`${day} ${time}`));
  };

  it('puts every reminder of a request made on 2026-09-30 afternoon after National Day (10-08), and one made on Friday 10-09 on the make-up Saturday 10-10 — each at its due working time', async () => {
    // Wednesday 17:30, half an hour before the end of the day; 1–7 October off.
    const { request } = await submit(sh('2026-09-30 17:30'));
    expect(request.firstResponseDue).toEqual(sh('2026-10-08 10:30'));
    expect(request.resolutionDue).toEqual(sh('2026-10-08 17:30'));
    for (const day of ['2026-09-30 17:59', '2026-10-01 10:00', '2026-10-03 12:00', '2026-10-05 09:30', '2026-10-07 17:00', '2026-10-08 09:00']) expect(await sweep(sh(day))).toBe(0);
    await onNextWorkingDay(request.id, '2026-10-08');
    expect(await alerts()).toEqual(['li.na firstResponse remind 0.5', 'li.na firstResponse remind 0.75', 'li.na resolution remind 0.5', 'li.na resolution remind 0.75', 'chen resolution breach']);

    // Friday 10-09 17:30: the next working day is the make-up Saturday 10-10, not Monday.
    await act('li.na', request.id, 'resolve', sh('2026-10-08 17:40'));
    const later = (await submit(sh('2026-10-09 17:30'))).request;
    expect(later.firstResponseDue).toEqual(sh('2026-10-10 10:30'));
    expect(later.resolutionDue).toEqual(sh('2026-10-10 17:30'));
    await onNextWorkingDay(later.id, '2026-10-10');
    // Sunday 10-11 counts nothing: the repeat to the head (every 4 working hours) is on Monday 10-12 at 12:30.
    expect(await sweep(sh('2026-10-11 15:00'))).toBe(0);
    await dueAt(later.id, sh('2026-10-12 12:30'));
    expect((await alerts()).slice(5)).toEqual(['li.na firstResponse remind 0.5', 'li.na firstResponse remind 0.75', 'li.na resolution remind 0.5', 'li.na resolution remind 0.75', 'chen resolution breach', 'chen resolution repeat']);
  });
});

describeEachDatabase('after a resolution, and the pause audit', (getDb) => {
  const requests = () => createRequestStore(getDb());
  const customers = () => createCustomerStore(getDb());
  const kinds = async (type: string) => (await getDb().prisma.job.findMany({ where: { kind: 'notify.person' }, orderBy: { createdAt: 'asc' } })).map((j) => JSON.parse(j.payload) as { personId: string; notice: { type: string; flag?: string; score?: number } }).filter((p) => p.notice.type === type);
  const submit = (now: Date, values: Record<string, string> = {}) => submitRequest({ requests: requests(), customers: customers(), directory: d, requester: d.person('tom')!, service: { ...materials, fields: [{ name: 'customer', kind: 'customer', label: { en: 'Customer', 'zh-CN': '客户' } }] }, values, now });
  const act = (actor: string, id: string, kind: 'take' | 'wait' | 'resume' | 'resolve' | 'reopen', now: Date) => requests().get(id).then((r) => actOnRequest({ requests: requests(), directory: d, catalog, actor: d.person(actor)!, requestId: id, version: r!.version, action: { kind }, now }));
  beforeEach(async () => {
    await getDb().prisma.job.deleteMany();
    await getDb().prisma.serviceRequest.deleteMany();
    await getDb().prisma.customerPromise.deleteMany();
    await getDb().prisma.requestPauseFlag.deleteMany();
  });
  const rate = (id: string, score: number, now: Date, actor = 'tom') => rateRequest({ requests: requests(), directory: d, catalog, actor: d.person(actor)!, request: { id }, score, now });

  it('asks for a rating once on resolution; stores it once in its window; tells the head of a 1 or 2; no answer stays none', async () => {
    const { request } = await submit(sh('2026-12-14 10:00'));
    await act('li.na', request.id, 'take', sh('2026-12-14 10:05'));
    await act('li.na', request.id, 'resolve', sh('2026-12-14 11:00'));
    expect((await kinds('request.rate')).map((n) => n.personId)).toEqual(['tom']);
    await expect(rate(request.id, 2, sh('2026-12-14 11:05'), 'li.na')).rejects.toMatchObject({ details: { reason: 'request.notRequester' } });
    await expect(rate(request.id, 6, sh('2026-12-14 11:05'))).rejects.toMatchObject({ details: { reason: 'request.badScore' } });
    await rate(request.id, 2, sh('2026-12-14 11:05'));
    await expect(rate(request.id, 5, sh('2026-12-14 11:06'))).rejects.toMatchObject({ details: { reason: 'request.rated', score: 2 } });
    expect(await kinds('request.lowRating')).toMatchObject([{ personId: 'chen', notice: { score: 2 } }]);
    expect(await getDb().prisma.serviceRequest.findUniqueOrThrow({ where: { id: request.id }, select: { rating: true, departmentId: true, assigneeId: true } })).toEqual({ rating: 2, departmentId: 'admin', assigneeId: 'li.na' });
    // Another one, never rated: closes by itself after closeAfter (3 working days); the window closed, no score.
    const other = (await submit(sh('2026-12-14 10:30'))).request;
    await act('li.na', other.id, 'take', sh('2026-12-14 10:35'));
    await act('li.na', other.id, 'resolve', sh('2026-12-14 12:00'));
    expect(await sweepRequestAlerts({ requests: requests(), directory: d, catalog, now: sh('2026-12-17 11:59') })).toBe(0);
    expect((await requests().get(other.id))!.status).toBe('resolved');
    await sweepRequestAlerts({ requests: requests(), directory: d, catalog, now: sh('2026-12-17 12:01') });
    expect(await requests().get(other.id)).toMatchObject({ status: 'closed', last: { action: 'autoClosed' }, rating: undefined });
    await expect(rate(other.id, 4, sh('2026-12-18 10:00'))).rejects.toMatchObject({ details: { reason: 'request.ratingClosed' } });
  });

  it('closes an unanswered rating prompt at the end of its window, once: the job written with the resolution, the prompt updated in place, no score ever', async () => {
    const closeJobs = () => getDb().prisma.job.findMany({ where: { kind: 'request.ratingClose' }, select: { payload: true, runAt: true } });
    const { request } = await submit(sh('2026-12-14 10:00'));
    await act('li.na', request.id, 'take', sh('2026-12-14 10:05'));
    await act('li.na', request.id, 'resolve', sh('2026-12-14 11:00'));
    // Written with the resolution, due at the window's end (3 working days: Thursday 11:00); a reopen and a second resolution add none.
    expect(await closeJobs()).toEqual([{ payload: JSON.stringify({ requestId: request.id }), runAt: sh('2026-12-17 11:00') }]);
    await act('tom', request.id, 'reopen', sh('2026-12-14 11:30'));
    await act('li.na', request.id, 'resolve', sh('2026-12-14 12:00'));
    expect(await closeJobs()).toHaveLength(1);
    // The prompt landed (the notify job ran): its place is recorded under its key.
    await getDb().prisma.sentMessage.create({ data: { key: `request:${request.id}:rate`, platform: 'shell', personId: 'tom', ref: '7', updatedAt: sh('2026-12-14 11:00') } });
    const close = (now: Date) => closeRating({ requests: requests(), directory: d, requestId: request.id, now });
    expect(await Promise.all([close(sh('2026-12-17 11:00')), close(sh('2026-12-17 11:00'))])).toEqual(expect.arrayContaining([true, false]));
    expect(await close(sh('2026-12-17 11:01'))).toBe(false);
    const row = await getDb().prisma.serviceRequest.findUniqueOrThrow({ where: { id: request.id }, select: { rating: true, ratingClosedAt: true } });
    expect(row).toEqual({ rating: null, ratingClosedAt: sh('2026-12-17 11:00') });
    // The prompt is asked to show "closed, none given" (one update, in place).
    const prompt = await getDb().prisma.sentMessage.findUniqueOrThrow({ where: { key: `request:${request.id}:rate` }, select: { wanted: true, content: true } });
    expect(prompt.wanted).toBe(1);
    expect(JSON.parse(prompt.content!)).toMatchObject({ notice: { type: 'request.rateClosed', request: { requestId: request.id } } });
    const updates = await getDb().prisma.job.findMany({ where: { kind: 'message.update' }, select: { payload: true } });
    expect(updates.map((j) => JSON.parse(j.payload) as { key: string }).filter((p) => p.key === `request:${request.id}:rate`)).toEqual([{ key: `request:${request.id}:rate`, version: 1 }]);
    // A press after it: refused, still no score — even within a window counted from the second resolution.
    await expect(rate(request.id, 5, sh('2026-12-17 11:30'))).rejects.toMatchObject({ details: { reason: 'request.ratingClosed' } });
    expect((await requests().get(request.id))!.rating).toBeUndefined();
    // A rated request's prompt is left as the rating left it.
    const rated = (await submit(sh('2026-12-14 10:40'))).request;
    await act('li.na', rated.id, 'take', sh('2026-12-14 10:45'));
    await act('li.na', rated.id, 'resolve', sh('2026-12-14 11:00'));
    await rate(rated.id, 4, sh('2026-12-14 11:10'));
    expect(await closeRating({ requests: requests(), directory: d, requestId: rated.id, now: sh('2026-12-17 11:00') })).toBe(false);
    expect(await requests().get(rated.id)).toMatchObject({ rating: { score: 4 }, ratingClosedAt: undefined });
  });

  it('settles a promise to the customer kept when the request resolves by the date, broken after it', async () => {
    const n = normaliseCompanyName('小米科技');
    const c = await customers().insertClaimed({ id: randomUUID(), name: '小米科技', nameKey: n.key, pinyin: n.pinyin, initials: n.initials, ownerId: 'tom', at: sh('2026-12-01 10:00'), releaseAt: sh('2027-01-01 10:00') }, { kind: 'claim', toPersonId: 'tom', byPersonId: 'tom', at: sh('2026-12-01 10:00') }, []);
    if (!c.ok) throw new Error('claim failed');
    const promise = (date: string) => recordServicePromise({ requests: requests(), customers: customers(), company: '小米科技', service: materials, date, person: d.person('tom')!, now: sh('2026-12-14 09:30') });
    await promise('2026-12-15');
    await promise('2026-12-14');
    const { request } = await submit(sh('2026-12-14 10:00'), { customer: '小米科技' });
    await act('li.na', request.id, 'take', sh('2026-12-14 10:05'));
    await act('li.na', request.id, 'resolve', sh('2026-12-15 10:00'));
    expect(await getDb().prisma.customerPromise.findMany({ orderBy: { date: 'asc' }, select: { date: true, outcome: true, customerId: true, requestId: true } })).toEqual([
      { date: '2026-12-14', outcome: 'broken', customerId: c.customer.id, requestId: request.id },
      { date: '2026-12-15', outcome: 'kept', customerId: c.customer.id, requestId: request.id },
    ]);
  });

  it('flags to the head a pause right after the requester’s comment, and a pause longer than the catalog allows', async () => {
    const { request } = await submit(sh('2026-12-14 10:00'));
    await act('li.na', request.id, 'take', sh('2026-12-14 10:05'));
    await commentOnRequest({ requests: requests(), directory: d, actor: d.person('tom')!, request: { number: request.number }, text: 'Here is the logo', now: sh('2026-12-14 10:30') });
    await act('li.na', request.id, 'wait', sh('2026-12-14 10:33'));
    expect((await kinds('request.pauseFlag')).map((n) => `${n.personId} ${n.notice.flag}`)).toEqual(['chen soonAfterComment']);
    // maxPause 2 working days from Monday 10:33: Wednesday 10:33.
    expect(await sweepRequestAlerts({ requests: requests(), directory: d, catalog, now: sh('2026-12-16 10:33') })).toBe(0);
    expect(await sweepRequestAlerts({ requests: requests(), directory: d, catalog, now: sh('2026-12-16 10:35') })).toBe(1);
    expect(await sweepRequestAlerts({ requests: requests(), directory: d, catalog, now: sh('2026-12-16 11:35') })).toBe(0);
    expect((await kinds('request.pauseFlag')).map((n) => `${n.personId} ${n.notice.flag}`)).toEqual(['chen soonAfterComment', 'chen tooLong']);
    // Stored, for the digest to count: by department and period, each once.
    expect(await requests().flaggedPauses(['admin'], sh('2026-12-14 00:00'), sh('2026-12-21 00:00'))).toEqual([
      { requestId: request.id, departmentId: 'admin', flag: 'soonAfterComment', pausedAt: sh('2026-12-14 10:33'), flaggedAt: sh('2026-12-14 10:33') },
      { requestId: request.id, departmentId: 'admin', flag: 'tooLong', pausedAt: sh('2026-12-14 10:33'), flaggedAt: sh('2026-12-16 10:35') },
    ]);
    expect(await requests().flaggedPauses(['admin'], sh('2026-12-15 00:00'), sh('2026-12-21 00:00'))).toHaveLength(1);
    expect(await requests().flaggedPauses(['finance'], sh('2026-12-14 00:00'), sh('2026-12-21 00:00'))).toEqual([]);
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
