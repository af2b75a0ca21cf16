// Visits on SQLite and PostgreSQL, through the use cases on the real stores: a report writes
// the visit, its notices and its first check in one transaction, once (the same report twice
// is one visit); a press is applied once (a stale press writes nothing); a customer's visit
// becomes a follow-up of kind `visit` and the owner is told; an escalation step runs once
// however many times (or replicas) run its check, and a moot one does nothing; expected
// visits route to their announcer; retention erases personal details and keeps the counts.
import { randomUUID } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import { parseOrgText } from '../../src/config/org-file.ts';
import { normaliseCompanyName } from '../../src/core/customers/normalise-name.ts';
import { AppError } from '../../src/core/errors.ts';
import { actOnVisit } from '../../src/core/visitors/act-on-visit.ts';
import { checkVisit } from '../../src/core/visitors/check-visit.ts';
import { expectVisitor } from '../../src/core/visitors/expect-visitor.ts';
import { reportVisitor } from '../../src/core/visitors/report-visitor.ts';
import { createCustomerStore } from '../../src/db/repositories/customer.repository.ts';
import { createVisitStore } from '../../src/db/repositories/visit.repository.ts';
import { describeEachDatabase } from './databases.ts';

const d = parseOrgText(`company: Acme
departments:
  - { id: sales, name: 销售部, kind: sales, head: li.na }
  - { id: desk, name: 前台, kind: front-desk }
people:
  - { id: li.na, name: 李娜, email: li.na@acme.test, department: sales }
  - { id: zhang.wei, name: 张伟, email: zhang.wei@acme.test, department: sales, manager: li.na, roles: [rep] }
  - { id: tom, name: Tom Reed, email: tom@acme.test, department: sales, manager: li.na, roles: [rep] }
  - { id: wang.fang, name: 王芳, email: wang.fang@acme.test, department: desk, roles: [front-desk] }
duty:
  - { person: wang.fang, days: [mon, tue, wed, thu, fri], from: "08:00", to: "18:00" }
`, 'org.yaml');
/** Wednesday 10:00 in Shanghai: working hours (3 minutes per step). */
const T0 = new Date('2026-12-02T02:00:00Z');
const plus = (ms: number) => new Date(T0.getTime() + ms);
const reporter = d.person('wang.fang')!;

describeEachDatabase('visit store', (getDb) => {
  const visits = () => createVisitStore(getDb());
  const customers = () => createCustomerStore(getDb());
  const jobs = (kind?: string) => getDb().prisma.job.findMany({ where: kind ? { kind } : {}, orderBy: { createdAt: 'asc' } });
  beforeEach(async () => {
    await getDb().prisma.job.deleteMany();
    await getDb().prisma.visit.deleteMany();
    await getDb().prisma.expectedVisit.deleteMany();
    await getDb().prisma.sentMessage.deleteMany();
  });
  const report = (input: Parameters<typeof reportVisitor>[0]['input'], now = T0) => reportVisitor({ visits: visits(), customers: customers(), directory: d, reporter, input, now });
  const claim = async (name: string, ownerId: string) => {
    const n = normaliseCompanyName(name);
    const r = await customers().insertClaimed({ id: randomUUID(), name, nameKey: n.key, pinyin: n.pinyin, initials: n.initials, ownerId, at: new Date('2026-03-05T02:00:00Z'), releaseAt: plus(86_400_000) }, { kind: 'claim', toPersonId: ownerId, byPersonId: ownerId, at: new Date('2026-03-05T02:00:00Z') }, []);
    if (!r.ok) throw new Error('claim failed');
    return r.customer;
  };

  it('writes the visit, the status, the host DM and the first check together; the same report twice is one visit', async () => {
    const first = await report({ company: '华为', visitorNames: '张先生', headcount: 2, phone: '138 0013 8000', askedFor: '张伟' });
    expect(first.kind).toBe('reported');
    expect(first.visit).toMatchObject({ status: 'notified', hostId: 'zhang.wei', hostReason: { kind: 'named' } });
    const written = await jobs();
    expect(written.map((j) => j.kind).sort()).toEqual(['notify.person', 'notify.person', 'visitor.check']);
    const check = written.find((j) => j.kind === 'visitor.check')!;
    expect(check.runAt.toISOString()).toBe(plus(180_000).toISOString());
    const again = await report({ company: '华为', visitorNames: '张先生', headcount: 2, askedFor: '张伟' }, plus(30_000));
    expect(again.kind).toBe('duplicate');
    expect(again.visit.id).toBe(first.visit.id);
    expect(await getDb().prisma.visit.count()).toBe(1);
    expect(await jobs()).toHaveLength(3);
  });

  it("routes to the owner of the visitor's company by a name variant, and counts the visit as the host's follow-up; the owner is told", async () => {
    const c = await claim('深圳市华为技术有限公司', 'zhang.wei');
    const { visit } = await report({ company: '华为技术', visitorNames: '李总', purpose: '洽谈' });
    expect(visit).toMatchObject({ hostId: 'zhang.wei', hostReason: { kind: 'owner', customerName: '深圳市华为技术有限公司' } });
    // The owner hands it to Tom, who comes: Tom's follow-up, the owner told.
    await actOnVisit({ visits: visits(), customers: customers(), directory: d, actor: d.person('zhang.wei')!, visitId: visit.id, version: 1, action: { kind: 'hand', toPersonId: 'tom' }, now: plus(60_000) });
    await actOnVisit({ visits: visits(), customers: customers(), directory: d, actor: d.person('tom')!, visitId: visit.id, version: 2, action: { kind: 'coming' }, now: plus(90_000) });
    const followUps = await getDb().prisma.followUp.findMany({ where: { customerId: c.id } });
    expect(followUps).toMatchObject([{ kind: 'visit', personId: 'tom', note: '李总 — 洽谈' }]);
    const owner = (await jobs('notify.person')).filter((j) => j.idempotencyKey === `visit:${visit.id}:owner`);
    expect(owner).toHaveLength(1);
    expect(JSON.parse(owner[0]!.payload)).toMatchObject({ personId: 'zhang.wei', notice: { type: 'customer.followUpLogged', kind: 'visit' } });
    const stored = await getDb().prisma.customer.findUniqueOrThrow({ where: { id: c.id } });
    expect(stored.lastFollowUpAt?.toISOString()).toBe(plus(90_000).toISOString());
    expect(stored.releaseAt!.getTime()).toBeGreaterThan(plus(29 * 86_400_000).getTime());
  });

  it('applies a press once: a stale or second press says who handled it and when, and writes nothing', async () => {
    const { visit } = await report({ visitorNames: '陈女士', askedFor: '张伟' });
    await actOnVisit({ visits: visits(), customers: customers(), directory: d, actor: d.person('zhang.wei')!, visitId: visit.id, version: 1, action: { kind: 'coming' }, now: plus(60_000) });
    const before = (await jobs()).length;
    const stale = actOnVisit({ visits: visits(), customers: customers(), directory: d, actor: d.person('zhang.wei')!, visitId: visit.id, version: 1, action: { kind: 'wait', minutes: 5 }, now: plus(70_000) });
    await expect(stale).rejects.toMatchObject({ details: { reason: 'visitor.alreadyHandled', by: '张伟', at: '10:01' } });
    expect(await jobs()).toHaveLength(before);
    // Two presses at once, two replicas: one wins.
    const { visit: v2 } = await report({ visitorNames: '刘先生', askedFor: '张伟' });
    const press = (minutes: number) => actOnVisit({ visits: visits(), customers: customers(), directory: d, actor: d.person('zhang.wei')!, visitId: v2.id, version: 1, action: { kind: 'wait', minutes }, now: plus(60_000) });
    const results = await Promise.allSettled([press(5), press(10)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(AppError);
  });

  it('runs each escalation step once, however often its check runs, and drops a moot one', async () => {
    const { visit } = await report({ visitorNames: '赵先生', askedFor: '张伟' });
    const check = (step: number, at: Date, version = 1) => checkVisit({ visits: visits(), directory: d, visitId: visit.id, version, step, now: at });
    const [a, b] = await Promise.all([check(1, plus(180_000)), check(1, plus(180_000))]);
    expect([a, b].sort()).toEqual(['escalated', 'moot']);
    expect(await check(1, plus(181_000))).toBe('moot');
    const step1 = (await jobs('notify.person')).filter((j) => j.idempotencyKey.includes(':s1:'));
    expect(step1.map((j) => (JSON.parse(j.payload) as { personId: string }).personId).sort()).toEqual(['li.na', 'wang.fang', 'zhang.wei']);
    // The manager is not given the phone; the step's next check is 3 minutes on.
    expect((await jobs('visitor.check')).map((j) => j.idempotencyKey)).toContain(`visitor.check:${visit.id}:v1:s2`);
    await actOnVisit({ visits: visits(), customers: customers(), directory: d, actor: d.person('li.na')!, visitId: visit.id, version: 1, action: { kind: 'coming' }, now: plus(200_000) });
    expect(await check(2, plus(360_000))).toBe('moot');
    expect((await visits().get(visit.id))!).toMatchObject({ status: 'coming', takenById: 'li.na', step: 1 });
  });

  it('a press that meets an escalation step on its way (read before the step, written after) is applied, not refused as handled', async () => {
    // The soak (issue 16) found it: the host pressed "Coming now" while a replica ran the
    // visit's next check, and the host was told the visit was "already handled by" the reporter.
    const c = await claim('鼎盛华泰贸易', 'zhang.wei');
    const { visit } = await report({ company: '鼎盛华泰贸易', visitorNames: '钱女士', askedFor: '张伟' });
    let stepped = false;
    const store = visits();
    const racing: typeof store = {
      ...store,
      async get(id) {
        const read = await store.get(id);
        if (!stepped) {
          stepped = true;
          expect(await checkVisit({ visits: visits(), directory: d, visitId: visit.id, version: 1, step: 1, now: plus(180_000) })).toBe('escalated');
        }
        return read;
      },
    };
    await actOnVisit({ visits: racing, customers: customers(), directory: d, actor: d.person('zhang.wei')!, visitId: visit.id, version: 1, action: { kind: 'coming' }, now: plus(181_000) });
    expect((await visits().get(visit.id))!).toMatchObject({ status: 'coming', takenById: 'zhang.wei', step: 1 });
    expect(await getDb().prisma.followUp.count({ where: { customerId: c.id, kind: 'visit' } })).toBe(1);
  });

  it('sends a report that matches an expected visit to its announcer, and lists today’s expected', async () => {
    await expectVisitor({ visits: visits(), directory: d, person: d.person('tom')!, company: '小米科技', visitorName: '雷先生', time: '14:30', now: T0 });
    expect((await visits().listExpected('2026-12-02')).map((e) => [e.company, e.expectedAt?.toISOString()])).toEqual([['小米科技', '2026-12-02T06:30:00.000Z']]);
    const { visit } = await report({ company: '小米科技有限公司', askedFor: '张伟' });
    expect(visit).toMatchObject({ hostId: 'tom', hostReason: { kind: 'expected' } });
    expect((await visits().listExpected('2026-12-02'))[0]!.visitId).toBe(visit.id);
  });

  it('erases names, phone and note after the retention, keeping company, times and host', async () => {
    const old = new Date('2026-05-01T02:00:00Z');
    const { visit } = await report({ company: '旧公司', visitorNames: '钱先生', phone: '+86 138 0000 0000', note: '带了样品', askedFor: '张伟' }, old);
    const { visit: recent } = await report({ company: '新公司', visitorNames: '孙女士', phone: '13900000000', askedFor: '张伟' });
    const erased = await visits().erasePersonalDetails(new Date(T0.getTime() - 180 * 86_400_000));
    expect(erased).toBe(1);
    const row = await getDb().prisma.visit.findUniqueOrThrow({ where: { id: visit.id } });
    expect(row).toMatchObject({ visitorNames: null, phone: null, note: null, askedFor: null, company: '旧公司', hostId: 'zhang.wei' });
    expect(row.createdAt.toISOString()).toBe(old.toISOString());
    expect(row.state).not.toContain('钱先生');
    expect((await getDb().prisma.visit.findUniqueOrThrow({ where: { id: recent.id } })).phone).toBe('13900000000');
    expect(await visits().erasePersonalDetails(new Date(T0.getTime() - 180 * 86_400_000))).toBe(0);
  });
});
