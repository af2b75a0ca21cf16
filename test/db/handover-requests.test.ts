// A leaver's open service requests on SQLite and PostgreSQL (issue 14 points 2 and 5): the
// org file's leaver notice counts the open requests assigned to them; the plan lists them;
// the start moves them in its own transaction — assigned ones back to the service's rule
// (rotation skipping the leaver and anyone away), the new assignee's DM and every message
// updated in place, the head told; the ones they made follow the successor of the customer
// they name, the others go to their manager. One nobody else could take (the leaver heads
// its department) is offered with an Assign button to a member, through the handover's
// own use case; one waiting for the leaver's approval as a manager goes to their manager, and
// so does a new one submitted while the handover is open. A leaver who was their department's
// only member: the Assign button offers anyone to cover it, who then works on it.
import { expect, it } from 'vitest';
import { parseOrgText } from '../../src/config/org-file.ts';
import { noticeLeavers } from '../../src/core/handovers/notice-leavers.ts';
import { planHandover, startHandover } from '../../src/core/handovers/plan-handover.ts';
import { actOnRequest } from '../../src/core/requests/act-on-request.ts';
import type { Catalog, CatalogService } from '../../src/core/requests/catalog.ts';
import { submitRequest } from '../../src/core/requests/submit-request.ts';
import { createCustomerStore } from '../../src/db/repositories/customer.repository.ts';
import { createHandoverStore } from '../../src/db/repositories/handover.repository.ts';
import { createNoticeOutbox } from '../../src/db/repositories/outbox.ts';
import { createRequestStore } from '../../src/db/repositories/service-request.repository.ts';
import { assignLeaverRequest } from '../../src/core/handovers/assign-leaver-request.ts';
import { handoverApprover } from '../../src/core/handovers/handover-requests.ts';
import { claimAs, rejection } from '../support/acme-org.ts';
import { describeEachDatabase } from './databases.ts';

const org = (tomLeft: string) => parseOrgText(`company: Acme
timezone: Asia/Shanghai
departments:
  - { id: presales, name: 售前部, kind: function, head: mei }
  - { id: admin, name: 行政部, kind: function, head: chen }
people:
  - { id: mei, name: 林梅, email: mei@acme.test, department: presales, roles: [manager] }
  - { id: tom, name: Tom Reed, email: tom@acme.test, department: presales, manager: mei, roles: [rep]${tomLeft} }
  - { id: sam, name: Sam Wu, email: sam@acme.test, department: presales, manager: mei, roles: [rep] }
  - { id: ann, name: Ann Li, email: ann@acme.test, department: presales, manager: mei, roles: [rep] }
  - { id: chen, name: 陈刚, email: chen@acme.test, department: admin }
  - { id: li.na, name: 李娜, email: li.na@acme.test, department: admin, manager: chen }
`, 'org.yaml');
const d = org('');
const gone = org(', left: "2026-12-08"');
const service = (key: string, departmentId: string, fields: CatalogService['fields']): CatalogService => ({
  key, name: { en: key, 'zh-CN': key }, departmentId, prerequisites: [], managerApproves: false, fields,
  targets: { firstResponse: { hours: 2 }, resolution: { days: 2 } }, leadTimeDays: 0, assign: { rule: 'rotation' },
  reminders: { at: [0.5], repeatEvery: { hours: 4 }, escalateAt: 2 }, closeAfter: { days: 3 }, ratingWindow: { days: 3 }, maxPause: { days: 2 },
});
const quote = service('quote', 'presales', [{ name: 'what', kind: 'text', label: { en: 'What', 'zh-CN': '内容' } }]);
const materials = service('materials', 'admin', [{ name: 'customer', kind: 'customer', label: { en: 'Customer', 'zh-CN': '客户' } }, { name: 'what', kind: 'text', label: { en: 'What', 'zh-CN': '内容' } }]);
const catalog: Catalog = { services: [quote, materials] };
/** Wednesday 2026-12-09 10:00 Shanghai. */
const T0 = new Date('2026-12-09T02:00:00Z');
const plus = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describeEachDatabase('handover of a leaver’s requests', (getDb) => {
  /** The jobs whose key starts with `prefix`, with their payload. */
  const jobs = async (prefix: string) => (await getDb().prisma.job.findMany({ where: { idempotencyKey: { startsWith: prefix } } })).map((j) => ({ key: j.idempotencyKey, ...(JSON.parse(j.payload) as { personId?: string; notice?: Record<string, unknown> }) }));

  it('counts them in the leaver notice, lists them in the plan and moves them with the start, in one transaction', async () => {
    const requests = createRequestStore(getDb());
    const customers = createCustomerStore(getDb());
    const handovers = createHandoverStore(getDb());
    const submit = async (requester: string, s: CatalogService, values: Record<string, string>, at: Date) => {
      const out = await submitRequest({ requests, customers, directory: d, requester: d.person(requester)!, service: s, values, now: at });
      return out.request;
    };
    const handed = await claimAs(customers, d, 'tom', '远航科技', plus(-3000));
    // A 25% customer keeps the handover open (its intro call is pending).
    const called = await claimAs(customers, d, 'tom', '近海科技', plus(-3000));
    await customers.changeStage({ id: called.id, ownerId: 'tom', from: 0, to: 25, evidence: {}, byPersonId: 'tom', at: plus(-2000) });
    // Assigned to tom by rotation (the first presales member after the head: reps who also serve quotes), taken by him.
    const assigned = await submit('li.na', quote, { what: 'price list' }, plus(1));
    expect(assigned.assigneeId).toBe('tom');
    await actOnRequest({ requests, directory: d, catalog, actor: d.person('tom')!, requestId: assigned.id, version: assigned.version, action: { kind: 'take' }, now: plus(2) });
    const forCustomer = await submit('tom', materials, { customer: '远航科技', what: 'brochures' }, plus(3));
    expect(forCustomer.customer?.id).toBe(handed.id);
    const ownNeed = await submit('tom', materials, { what: 'business cards' }, plus(4));
    // sam, next in the rotation after tom, is away: ann gets the request.
    await requests.addAway({ personId: 'sam', from: '2026-12-09', to: '2026-12-10', at: plus(5) }, []);

    // Point 2: tom is gone from the org file's point of view; the notice counts his open request.
    await noticeLeavers({ store: handovers, outbox: createNoticeOutbox(getDb()), directory: gone, now: plus(6) });
    expect((await jobs('handover-left:tom')).map((j) => j.notice)).toEqual([expect.objectContaining({ type: 'handover.ownerLeft', count: 2, requests: 1 })]);

    const opts = { store: handovers, directory: d, actor: d.person('mei')!, leaverId: 'tom', successorIds: ['sam'], lastDay: '2026-12-11', now: plus(10), requests, catalog };
    const plan = await planHandover(opts);
    expect(plan.requests).toEqual({
      reassigned: [{ requestId: assigned.id, number: assigned.number, departmentId: 'presales', toPersonId: 'ann' }],
      follow: [{ requestId: forCustomer.id, number: forCustomer.number, toPersonId: 'sam' }],
      stay: [{ requestId: ownNeed.id, number: ownNeed.number, toPersonId: 'mei' }],
      approvals: [],
    });
    // The plan moves nothing.
    expect((await requests.get(assigned.id))!.assigneeId).toBe('tom');

    const started = await startHandover(opts);
    expect(started.requestsMoved).toBe(3);
    const a = (await requests.get(assigned.id))!;
    expect(a).toMatchObject({ assigneeId: 'ann', status: 'taken', version: 3, last: { action: 'reassign', byPersonId: 'mei' } });
    expect(a.told).toEqual(['tom', 'ann']);
    // ann's DM is new; tom's DM and li.na's status are updated in place.
    expect(await jobs(`request:${assigned.id}:dm:ann`)).toEqual([expect.objectContaining({ personId: 'ann', notice: expect.objectContaining({ audience: 'assignee' }) })]);
    const updated = await getDb().prisma.sentMessage.findMany({ where: { key: { in: [`request:${assigned.id}:dm:tom`, `request:${assigned.id}:requester`] } }, select: { key: true, wanted: true } });
    expect(Object.fromEntries(updated.map((u) => [u.key, u.wanted]))).toEqual({ [`request:${assigned.id}:dm:tom`]: 2, [`request:${assigned.id}:requester`]: 2 });
    // The department head hears where it went.
    expect((await jobs(`handover:${started.handoverId}:requests:`)).map((j) => [j.personId, j.notice])).toEqual([
      ['mei', { type: 'handover.requests', leaverId: 'tom', requests: [{ number: assigned.number, toPersonId: 'ann' }] }],
    ]);
    // Made by tom: the customer's one follows sam, the other goes to mei; each new requester gets it as their own.
    expect((await requests.get(forCustomer.id))!).toMatchObject({ requesterId: 'sam', assigneeId: forCustomer.assigneeId, version: forCustomer.version + 1 });
    expect((await requests.get(ownNeed.id))!.requesterId).toBe('mei');
    expect((await jobs(`request:${forCustomer.id}:requester:sam`)).map((j) => j.personId)).toEqual(['sam']);
    expect((await jobs(`request:${ownNeed.id}:requester:mei`)).map((j) => j.personId)).toEqual(['mei']);
    // The 0% customers moved in the same start.
    expect((await customers.findById(handed.id))!.ownerId).toBe('sam');
    expect(await requests.openAssignedTo('tom')).toEqual([]);

    // A start the store refuses (a handover of tom is open already) moves none of his requests.
    const later = (await submitRequest({ requests, customers, directory: d, requester: d.person('li.na')!, service: quote, values: { what: 'volume discount' }, now: plus(20) })).request;
    expect(later.assigneeId).toBe('tom');
    await expect(startHandover({ ...opts, now: plus(21) })).rejects.toMatchObject({ details: { reason: 'handover.alreadyOpen' } });
    expect((await requests.get(later.id))!).toMatchObject({ assigneeId: 'tom', version: later.version });
    expect(await jobs(`request:${later.id}:dm:`)).toEqual([expect.objectContaining({ key: `request:${later.id}:dm:tom` })]);
  });

  /** Presales (林梅), legal and admin: `lead` heads legal (from `leadDepartment`) and manages `report`; `extra`: more people. */
  const legalOrg = (lead: [string, string], leadDepartment: string, report: [string, string], extra: string) => parseOrgText(`company: Acme
timezone: Asia/Shanghai
departments:
  - { id: presales, name: 售前部, kind: sales, head: mei }
  - { id: legal, name: 法务部, kind: function, head: ${lead[0]} }
  - { id: admin, name: 行政部, kind: function, head: chen }
people:
  - { id: mei, name: 林梅, email: mei@acme.test, department: presales, roles: [manager] }
  - { id: ${lead[0]}, name: ${lead[1]}, email: ${lead[0]}@acme.test, department: ${leadDepartment}, manager: mei, roles: [rep] }
  - { id: sam, name: Sam Wu, email: sam@acme.test, department: presales, manager: mei, roles: [rep] }
  - { id: ${report[0]}, name: ${report[1]}, email: ${report[0]}@acme.test, department: presales, manager: ${lead[0]}, roles: [rep] }
${extra}
  - { id: chen, name: 陈刚, email: chen@acme.test, department: admin }
`, 'org.yaml');
  // Ted heads legal (whose rule is its head: nobody but him) and manages Amy, whose reimbursement waits for his approval.
  const headOrg = legalOrg(['ted', 'Ted Ma'], 'presales', ['amy', 'Amy Xu'], '  - { id: kim, name: 金敏, email: kim@acme.test, department: legal, manager: ted }');
  const contract = { ...service('contract', 'legal', [{ name: 'what', kind: 'text', label: { en: 'What', 'zh-CN': '内容' } }]), assign: { rule: 'head' } } satisfies CatalogService;
  const reimburse = { ...service('reimburse', 'admin', [{ name: 'what', kind: 'text', label: { en: 'What', 'zh-CN': '内容' } }]), managerApproves: true } satisfies CatalogService;
  const headCatalog: Catalog = { services: [contract, reimburse] };

  it('a request nobody else could take gets an Assign button (a member, from the version shown); one waiting for the leaver’s approval goes to their manager to approve', async () => {
    const requests = createRequestStore(getDb());
    const customers = createCustomerStore(getDb());
    const handovers = createHandoverStore(getDb());
    const customer = await claimAs(customers, headOrg, 'ted', '深蓝律师', plus(-3000));
    await customers.changeStage({ id: customer.id, ownerId: 'ted', from: 0, to: 25, evidence: {}, byPersonId: 'ted', at: plus(-2000) });
    const stuck = (await submitRequest({ requests, customers, directory: headOrg, requester: headOrg.person('sam')!, service: contract, values: { what: 'NDA review' }, now: plus(30) })).request;
    expect(stuck.assigneeId).toBe('ted');
    const waiting = (await submitRequest({ requests, customers, directory: headOrg, requester: headOrg.person('amy')!, service: reimburse, values: { what: 'taxi' }, now: plus(31) })).request;
    expect(waiting.status).toBe('submitted');

    const opts = { store: handovers, directory: headOrg, actor: headOrg.person('mei')!, leaverId: 'ted', successorIds: ['sam'], lastDay: '2026-12-11', now: plus(40), requests, catalog: headCatalog };
    const plan = await planHandover(opts);
    expect(plan.requests.reassigned).toEqual([{ requestId: stuck.id, number: stuck.number, departmentId: 'legal', toPersonId: undefined }]);
    expect(plan.requests.approvals).toEqual([{ requestId: waiting.id, number: waiting.number, toPersonId: 'mei' }]);
    const started = await startHandover(opts);
    expect(started.requestsMoved).toBe(1);

    // The approval: mei approves now (her DM with the buttons is new); ted's DM is updated in place, his press refused.
    const moved = (await requests.get(waiting.id))!;
    expect(moved).toMatchObject({ status: 'submitted', approverId: 'mei', version: waiting.version + 1, told: ['ted', 'mei'] });
    expect((await jobs(`request:${waiting.id}:dm:mei`)).map((j) => [j.personId, (j.notice as { audience?: string }).audience])).toEqual([['mei', 'approver']]);
    const refused = await rejection(actOnRequest({ requests, directory: headOrg, catalog: headCatalog, actor: headOrg.person('ted')!, requestId: waiting.id, version: moved.version, action: { kind: 'approve' }, now: plus(41) }));
    expect(refused.details).toMatchObject({ reason: 'request.notApprover' });
    const approved = await actOnRequest({ requests, directory: headOrg, catalog: headCatalog, actor: headOrg.person('mei')!, requestId: waiting.id, version: moved.version, action: { kind: 'approve' }, now: plus(42) });
    expect(approved.status).toBe('approved');

    // Nobody but ted could take the contract review: it stayed, and mei (who started it: ted heads legal) is told with what the Assign button needs.
    expect((await requests.get(stuck.id))!).toMatchObject({ assigneeId: 'ted', version: stuck.version });
    expect((await jobs(`handover:${started.handoverId}:requests:`)).map((j) => [j.personId, j.notice])).toEqual([
      ['mei', { type: 'handover.requests', leaverId: 'ted', requests: [{ number: stuck.number, requestId: stuck.id, version: stuck.version, departmentId: 'legal' }] }],
    ]);
    const assign = (to: string, by = 'mei', version = stuck.version) => assignLeaverRequest({ requests, directory: headOrg, catalog: headCatalog, actor: headOrg.person(by)!, leaverId: 'ted', requestId: stuck.id, version, toPersonId: to, now: plus(50) });
    // Only a member of legal (not the leaver), only by the head or the leaver's manager line.
    expect((await rejection(assign('sam'))).details).toMatchObject({ reason: 'request.notAMember' });
    expect((await rejection(assign('ted'))).details).toMatchObject({ reason: 'request.notAMember' });
    expect((await rejection(assign('kim', 'chen'))).details).toMatchObject({ reason: 'handover.notInLine' });
    const assigned = await assign('kim');
    expect(assigned).toMatchObject({ assigneeId: 'kim', version: stuck.version + 1, last: { action: 'reassign', byPersonId: 'mei' } });
    expect((await jobs(`request:${stuck.id}:dm:kim`)).map((j) => (j.notice as { audience?: string }).audience)).toEqual(['assignee']);
    // The same button again: the request changed since, nothing written.
    expect((await rejection(assign('kim'))).details).toMatchObject({ reason: 'request.stale' });
    expect((await requests.get(stuck.id))!.version).toBe(stuck.version + 1);
  });

  // Tess heads legal and is its only member; Ava reports to her (other ids than above: the database is shared by the file's tests).
  const soloOrg = legalOrg(['tess', 'Tess Ma'], 'legal', ['ava', 'Ava Xu'], '  - { id: zoe, name: Zoe He, email: zoe@acme.test, department: presales, manager: mei, roles: [rep], left: "2026-12-20" }');

  it('while a manager’s handover is open their reports’ new approvals go to the stand-in; a department’s only member leaving: anyone may be picked to cover, and works on it', async () => {
    const requests = createRequestStore(getDb());
    const customers = createCustomerStore(getDb());
    const handovers = createHandoverStore(getDb());
    const approverStandIn = handoverApprover(handovers, soloOrg);
    const submit = async (requester: string, s: CatalogService, what: string, at: Date) =>
      (await submitRequest({ requests, customers, directory: soloOrg, requester: soloOrg.person(requester)!, service: s, values: { what }, now: at, approverStandIn })).request;
    const customer = await claimAs(customers, soloOrg, 'tess', '远洋律所', plus(-3000));
    await customers.changeStage({ id: customer.id, ownerId: 'tess', from: 0, to: 25, evidence: {}, byPersonId: 'tess', at: plus(-2000) });
    // No handover yet: tess approves ava's request.
    const before = await submit('ava', reimburse, 'taxi', plus(1));
    expect(before).toMatchObject({ status: 'submitted', told: ['tess'] });
    expect(before.approverId).toBeUndefined();
    const stuck = await submit('sam', contract, 'NDA review', plus(2));
    expect(stuck.assigneeId).toBe('tess');

    const started = await startHandover({ store: handovers, directory: soloOrg, actor: soloOrg.person('mei')!, leaverId: 'tess', successorIds: ['sam'], lastDay: '2026-12-11', now: plus(10), requests, catalog: headCatalog });
    // Nobody else is in legal: mei (tess heads it) still gets the Assign button's values.
    expect((await jobs(`handover:${started.handoverId}:requests:`)).map((j) => [j.personId, j.notice])).toEqual([
      ['mei', { type: 'handover.requests', leaverId: 'tess', requests: [{ number: stuck.number, requestId: stuck.id, version: stuck.version, departmentId: 'legal' }] }],
    ]);

    // Point 2: submitted while the handover is open, ava's request goes to mei to approve, not to tess.
    const during = await submit('ava', reimburse, 'hotel', plus(20));
    expect(during).toMatchObject({ status: 'submitted', approverId: 'mei', told: ['mei'] });
    expect((await jobs(`request:${during.id}:dm:`)).map((j) => [j.personId, (j.notice as { audience?: string }).audience])).toEqual([['mei', 'approver']]);
    expect((await rejection(actOnRequest({ requests, directory: soloOrg, catalog: headCatalog, actor: soloOrg.person('tess')!, requestId: during.id, version: during.version, action: { kind: 'approve' }, now: plus(21) }))).details).toMatchObject({ reason: 'request.notApprover' });
    expect((await actOnRequest({ requests, directory: soloOrg, catalog: headCatalog, actor: soloOrg.person('mei')!, requestId: during.id, version: during.version, action: { kind: 'approve' }, now: plus(22) })).status).toBe('approved');
    // Someone else's manager, with no handover, approves as before.
    expect((await submit('sam', reimburse, 'train', plus(23))).approverId).toBeUndefined();
    // Cancelled (tess stays after all): she approves again.
    expect(await handovers.cancel(started.handoverId, plus(24), [])).toBe(true);
    const after = await submit('ava', reimburse, 'parking', plus(25));
    expect(after).toMatchObject({ status: 'submitted', told: ['tess'] });
    expect(after.approverId).toBeUndefined();

    // Point 3: anyone in the org covers the contract review but the leaver and someone leaving.
    const assign = (to: string) => assignLeaverRequest({ requests, directory: soloOrg, catalog: headCatalog, actor: soloOrg.person('mei')!, leaverId: 'tess', requestId: stuck.id, version: stuck.version, toPersonId: to, now: plus(30) });
    expect((await rejection(assign('tess'))).details).toMatchObject({ reason: 'handover.cannotCover', person: 'Tess Ma' });
    expect((await rejection(assign('zoe'))).details).toMatchObject({ reason: 'handover.cannotCover', person: 'Zoe He' });
    const covered = await assign('chen');
    expect(covered).toMatchObject({ assigneeId: 'chen', version: stuck.version + 1, told: ['tess', 'chen'], last: { action: 'reassign', byPersonId: 'mei' } });
    expect((await jobs(`request:${stuck.id}:dm:chen`)).map((j) => (j.notice as { audience?: string }).audience)).toEqual(['assignee']);
    // chen is not in legal, yet works on it as its assignee; sam (neither) may not.
    expect((await rejection(actOnRequest({ requests, directory: soloOrg, catalog: headCatalog, actor: soloOrg.person('sam')!, requestId: stuck.id, version: covered.version, action: { kind: 'take' }, now: plus(31) }))).details).toMatchObject({ reason: 'request.notMember' });
    const taken = await actOnRequest({ requests, directory: soloOrg, catalog: headCatalog, actor: soloOrg.person('chen')!, requestId: stuck.id, version: covered.version, action: { kind: 'take' }, now: plus(32) });
    expect(taken).toMatchObject({ status: 'taken', assigneeId: 'chen' });
    expect((await actOnRequest({ requests, directory: soloOrg, catalog: headCatalog, actor: soloOrg.person('chen')!, requestId: stuck.id, version: taken.version, action: { kind: 'resolve' }, now: plus(33) })).status).toBe('resolved');
  });
});
