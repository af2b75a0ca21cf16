// Service requests on SQLite and PostgreSQL, through the use cases on the real stores: a
// submission writes the request (numbered in order), the requester's status, the
// assignee's DM, the channel card and the customer's history entry in one transaction,
// once (the same submission twice is one request); rotation goes round skipping anyone
// away; a press is stored once from its version (two racing presses: one wins, the other is
// told); every later change updates the earlier messages in place.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CatalogStore } from '../../src/config/catalog-file.ts';
import { requestsSection } from '../../src/chat/digests/requests.section.ts';
import { createDigestSource } from '../../src/db/repositories/digest.repository.ts';
import { beforeEach, expect, it } from 'vitest';
import { parseOrgText } from '../../src/config/org-file.ts';
import { normaliseCompanyName } from '../../src/core/customers/normalise-name.ts';
import { AppError } from '../../src/core/errors.ts';
import { actOnRequest } from '../../src/core/requests/act-on-request.ts';
import { awayMember } from '../../src/core/requests/away-member.ts';
import type { Catalog, CatalogService } from '../../src/core/requests/catalog.ts';
import { submitRequest } from '../../src/core/requests/submit-request.ts';
import { createCustomerStore } from '../../src/db/repositories/customer.repository.ts';
import { createRequestStore } from '../../src/db/repositories/service-request.repository.ts';
import { describeEachDatabase } from './databases.ts';

const d = parseOrgText(`company: Acme
departments:
  - { id: sales, name: 销售部, kind: sales, head: mei }
  - { id: admin, name: 行政部, kind: function, head: chen, channel: { slack: C0ADMIN } }
people:
  - { id: mei, name: 林梅, email: mei@acme.test, department: sales }
  - { id: tom, name: Tom Reed, email: tom@acme.test, department: sales, manager: mei, roles: [rep] }
  - { id: chen, name: 陈刚, email: chen@acme.test, department: admin }
  - { id: li.na, name: 李娜, email: li.na@acme.test, department: admin, manager: chen }
  - { id: zhao, name: Zhao Lei, email: zhao@acme.test, department: admin, manager: chen }
`, 'org.yaml');
const materials: CatalogService = {
  key: 'materials', name: { en: 'Materials', 'zh-CN': '资料' }, departmentId: 'admin', prerequisites: [], managerApproves: false,
  fields: [{ name: 'customer', kind: 'customer', label: { en: 'Customer', 'zh-CN': '客户' } }, { name: 'needed', kind: 'date', label: { en: 'Needed by', 'zh-CN': '需要日期' } }],
  targets: { firstResponse: { hours: 2 }, resolution: { days: 1 } }, leadTimeDays: 1, assign: { rule: 'rotation' },
  reminders: { at: [0.5, 0.75], repeatEvery: { hours: 4 }, escalateAt: 2 }, closeAfter: { days: 3 }, ratingWindow: { days: 3 }, maxPause: { days: 2 },
};
const catalog: Catalog = { services: [materials] };
/** Wednesday 2026-12-09 10:00 Shanghai. */
const T0 = new Date('2026-12-09T02:00:00Z');
const plus = (ms: number) => new Date(T0.getTime() + ms);

describeEachDatabase('service request store', (getDb) => {
  const requests = () => createRequestStore(getDb());
  const customers = () => createCustomerStore(getDb());
  const jobs = (kind?: string) => getDb().prisma.job.findMany({ where: kind ? { kind } : {}, orderBy: { createdAt: 'asc' } });
  beforeEach(async () => {
    await getDb().prisma.job.deleteMany();
    await getDb().prisma.serviceRequest.deleteMany();
    await getDb().prisma.requestAway.deleteMany();
    await getDb().prisma.sentMessage.deleteMany();
  });
  const submit = (values: Record<string, string>, now = T0) => submitRequest({ requests: requests(), customers: customers(), directory: d, requester: d.person('tom')!, service: materials, values, now });
  const act = (actor: string, id: string, version: number, kind: 'take' | 'start' | 'cancel', now = plus(60_000)) =>
    actOnRequest({ requests: requests(), directory: d, catalog, actor: d.person(actor)!, requestId: id, version, action: { kind }, now });

  it('writes the request with its number, the status, the DM and the channel card together; the same submission twice is one request', async () => {
    const first = await submit({ needed: '2026-12-10' });
    expect(first).toMatchObject({ kind: 'submitted', request: { number: 1, assigneeId: 'li.na', status: 'approved' } });
    expect(first.request.resolutionDue.toISOString()).toBe('2026-12-10T02:00:00.000Z');
    const written = await jobs();
    expect(written.map((j) => [j.kind, j.idempotencyKey])).toEqual([
      ['notify.person', `request:${first.request.id}:requester`],
      ['notify.person', `request:${first.request.id}:dm:li.na`],
      ['notify.channel', `request:${first.request.id}:card`],
      // The reminder sweep's wake-up at the first reminder (50% of the first response, 11:00).
      ['request.sweep', 'request.sweep:2026-12-09T03:00:00.000Z'],
    ]);
    const again = await submit({ needed: '2026-12-10' }, plus(30_000));
    expect(again).toMatchObject({ kind: 'duplicate', request: { id: first.request.id } });
    expect(await getDb().prisma.serviceRequest.count()).toBe(1);
    // Another submission: the next number, the next member in rotation.
    const second = await submit({ needed: '2026-12-11' });
    expect(second.request).toMatchObject({ number: 2, assigneeId: 'zhao' });
  });

  it('refuses a date in the past or before the lead time, writing nothing', async () => {
    await expect(submit({ needed: '2026-12-08' })).rejects.toMatchObject({ details: { reason: 'request.pastDate', date: '2026-12-08' } });
    await expect(submit({ needed: '2026-12-09' })).rejects.toMatchObject({ details: { reason: 'request.tooEarly', earliest: '2026-12-10', lead: 1 } });
    expect(await getDb().prisma.serviceRequest.count()).toBe(0);
    expect(await jobs()).toHaveLength(0);
  });

  it('puts a request naming a customer into that customer’s history, and whoever takes it serves that customer', async () => {
    const n = normaliseCompanyName('深圳市华为技术有限公司');
    const c = await customers().insertClaimed({ id: randomUUID(), name: '深圳市华为技术有限公司', nameKey: n.key, pinyin: n.pinyin, initials: n.initials, ownerId: 'tom', at: T0, releaseAt: plus(86_400_000) }, { kind: 'claim', toPersonId: 'tom', byPersonId: 'tom', at: T0 }, []);
    if (!c.ok) throw new Error('claim failed');
    const { request } = await submit({ customer: '华为技术', needed: '2026-12-10' });
    expect(request.customer).toEqual({ id: c.customer.id, name: '深圳市华为技术有限公司' });
    expect(await getDb().prisma.followUp.findMany({ where: { customerId: c.customer.id }, select: { kind: true, personId: true, note: true } })).toEqual([{ kind: 'note', personId: 'tom', note: '#1 资料 (行政部)' }]);
    // Whoever takes it serves the customer: in its history as theirs.
    await act('zhao', request.id, 1, 'take');
    expect(await getDb().prisma.followUp.findMany({ where: { customerId: c.customer.id, personId: 'zhao' }, select: { kind: true, note: true } })).toEqual([{ kind: 'note', note: '#1 资料' }]);
  });

  it('stores a press once from its version: of two racing takes one wins, the other is told who took it; every message is updated in place', async () => {
    const { request } = await submit({ needed: '2026-12-10' });
    const results = await Promise.allSettled([act('li.na', request.id, 1, 'take'), act('zhao', request.id, 1, 'take')]);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(AppError);
    expect((lost.reason as AppError).details).toMatchObject({ reason: 'request.stale', status: 'taken' });
    const row = await getDb().prisma.serviceRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(row.version).toBe(2);
    // The requester's status, the first DM and the card are replaced in place; the taker (if not li.na) gets a DM.
    const updates = await getDb().prisma.sentMessage.findMany({ orderBy: { key: 'asc' }, select: { key: true, wanted: true } });
    expect(updates.map((u) => u.key)).toEqual(expect.arrayContaining([`request:${request.id}:card`, `request:${request.id}:dm:li.na`, `request:${request.id}:requester`]));
    expect(updates.every((u) => u.wanted === 1)).toBe(true);
    // Only the requester cancels.
    await expect(act('li.na', request.id, 2, 'cancel')).rejects.toMatchObject({ details: { reason: 'request.notRequester' } });
  });

  it('refuses a catalog edit that removes a service with open requests, naming it, and keeps the running catalog', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kehu-catalog-'));
    const file = join(dir, 'catalog.yaml');
    const service = (key: string) => `  - { key: ${key}, name: { en: ${key}, zh-CN: ${key} }, department: admin, targets: { firstResponse: 2h, resolution: 1d }, leadTimeDays: 1, assign: head }\n`;
    writeFileSync(file, `services:\n${service('materials')}${service('keys')}`);
    const errors: string[] = [];
    const log = { info: () => {}, warn: () => {}, error: (o: object) => void errors.push((o as { err: string }).err) };
    const catalog = new CatalogStore(file, () => d, log, (keys) => requests().openServiceKeys(keys, true));
    await submit({ needed: '2026-12-10' });
    writeFileSync(file, `services:\n${service('keys')}`);
    expect(await catalog.reload()).toBe(false);
    expect(errors).toEqual([expect.stringContaining('services: the edit removes "materials", which still has open requests')]);
    expect(catalog.current().services.map((s) => s.key)).toEqual(['materials', 'keys']);
    // Removing a service nobody has open requests for is taken.
    writeFileSync(file, `services:\n${service('materials')}`);
    expect(await catalog.reload()).toBe(true);
  });

  it('gives the digest the departments’ deadline record for the line’s requests: resolved on time or late, open past the deadline, ratings', async () => {
    const one = (await submit({ needed: '2026-12-10' })).request;
    const two = (await submit({ needed: '2026-12-11' })).request;
    await act('li.na', one.id, 1, 'take');
    await actOnRequest({ requests: requests(), directory: d, catalog, actor: d.person('li.na')!, requestId: one.id, version: 2, action: { kind: 'resolve' }, now: plus(3_600_000) });
    await requests().rate(one.id, { score: 4, at: plus(4_000_000) }, []);
    // #2 is still open two days later, past its deadline.
    const to = plus(2 * 86_400_000);
    const rows = await requests().digestRows({ requesterIds: ['tom'] }, T0, to);
    expect([rows.received.length, rows.resolved.map((r) => r.rating), rows.overdue]).toEqual([2, [4], [{ departmentId: 'admin', count: 1 }]]);
    expect(await requests().digestRows({ requesterIds: ['mei'] }, T0, to)).toEqual({ received: [], resolved: [], overdue: [], promises: { checked: 0, kept: 0, broken: 0 } });
    // The department's own view: the same requests, whoever made them.
    expect((await requests().digestRows({ departmentIds: ['admin'] }, T0, to)).received).toHaveLength(2);
    const section = (recipientId: string) =>
      requestsSection.build({ digest: { recipientId, reps: recipientId === 'mei' ? [{ personId: 'tom' }] : [], period: { from: T0, to } } as never, directory: d, locale: 'en', services: { requests: requests(), digests: createDigestSource(getDb()) } as never });
    const line = JSON.stringify(await section('mei'));
    expect(line).toContain('Service requests of your line');
    expect(line).toMatch(/行政部: 2 received, 1 resolved \(100% within target\); 1 breaches; first response \(median\) [\d.]+ working h; rating 4.0\/5 \(1\)/);
    // chen heads admin: the department's record, under its own title.
    const head = JSON.stringify(await section('chen'));
    expect(head).toContain('Requests your department received');
    expect(head).toContain('行政部: 2 received, 1 resolved');
    expect(two.number).toBe(2);
  });

  it('skips a member away in rotation and offers their open requests to the head', async () => {
    const first = await submit({ needed: '2026-12-10' });
    expect(first.request.assigneeId).toBe('li.na');
    const offered = await awayMember({ requests: requests(), directory: d, person: d.person('li.na')!, from: '2026-12-09', to: '2026-12-11', now: plus(60_000) });
    expect(offered).toBe(1);
    const offer = (await jobs('notify.person')).find((j) => j.idempotencyKey.startsWith('request:away:li.na'))!;
    expect(JSON.parse(offer.payload)).toMatchObject({ personId: 'chen', notice: { type: 'request.away', requests: [{ number: 1 }] } });
    // zhao is next anyway; after zhao the rotation would come back to li.na, who is away: zhao again.
    expect((await submit({ needed: '2026-12-11' })).request.assigneeId).toBe('zhao');
    expect((await submit({ needed: '2026-12-14' })).request.assigneeId).toBe('zhao');
  });
});
