// The person records: someone removed from the org file is still known by their line, so
// their manager — not the org's arbiter — hears of the customers they left and may hand
// them over (issue 14, point 2). On both databases.
import { expect, it } from 'vitest';
import { noticeLeavers } from '../../src/core/handovers/notice-leavers.ts';
import { planHandover } from '../../src/core/handovers/plan-handover.ts';
import { createCustomerStore } from '../../src/db/repositories/customer.repository.ts';
import { createHandoverStore } from '../../src/db/repositories/handover.repository.ts';
import { listJobs } from '../../src/db/repositories/job.repository.ts';
import { createNoticeOutbox } from '../../src/db/repositories/outbox.ts';
import { rememberPeople } from '../../src/db/repositories/person-record.repository.ts';
import { acmeOrg, acmePerson, claimAs, rejection } from '../support/acme-org.ts';
import { openDatabase } from '../../src/db/client.ts';
import { describeEachDatabase } from './databases.ts';

const t0 = new Date('2026-12-01T01:00:00Z');
// ann reports to mia (not the department head boss, not the arbiter judge).
const team = [acmePerson('boss', 'roles: [manager]'), acmePerson('mia', 'manager: boss, roles: [manager]'), acmePerson('bob', 'manager: mia, roles: [rep]'), acmePerson('judge')];
const org = (people: string[]) => acmeOrg({ head: 'boss', people, extra: 'arbiter: judge' });

describeEachDatabase('person records', (getDb, _provider, getTarget) => {
  it('remembers the line of someone removed from the org file: their manager is told and may hand them over', async () => {
    const before = org([...team, acmePerson('ann', 'manager: mia, roles: [rep]')]);
    expect(await rememberPeople(getDb(), before.people, t0)).toEqual(new Map());
    await claimAs(createCustomerStore(getDb()), before, 'ann', '遗留科技', t0);

    // ann removed from the file: the records still know her name and line.
    const after = org(team);
    const later = new Date(t0.getTime() + 3_600_000);
    const former = await rememberPeople(getDb(), after.people, later);
    expect([...former.values()]).toEqual([{ id: 'ann', name: 'Ann', managerId: 'mia', departmentId: 'sales' }]);
    after.knowFormer(former);
    expect(after.formerPerson('ann')?.name).toBe('Ann');
    expect(after.formerPerson('bob')).toBeUndefined();

    expect(await noticeLeavers({ store: createHandoverStore(getDb()), outbox: createNoticeOutbox(getDb()), directory: after, now: later })).toBe(1);
    const told = (await listJobs(getDb())).filter((j) => j.idempotencyKey === 'handover-left:ann').map((j) => (JSON.parse(j.payload) as { personId: string }).personId);
    expect(told).toEqual(['mia']);

    // Her manager line plans it; someone outside it is refused.
    const plan = await planHandover({ store: createHandoverStore(getDb()), directory: after, actor: after.person('mia')!, leaverId: 'ann', now: later });
    expect(plan.items.map((i) => [i.customerName, i.successorId])).toEqual([['遗留科技', 'bob']]);
    expect((await rejection(planHandover({ store: createHandoverStore(getDb()), directory: after, actor: after.person('bob')!, leaverId: 'ann', now: later }))).details).toMatchObject({ reason: 'handover.notInLine' });

    // Back in the file: a person again, not a former one.
    const back = org([...team, acmePerson('ann', 'manager: mia, roles: [rep]')]);
    back.knowFormer(await rememberPeople(getDb(), back.people, later));
    expect(back.formerPerson('ann')).toBeUndefined();
  }, 60_000);

  it('replicas starting together each record the people at once, on their own connections: all succeed, one row each', async () => {
    // Delete-then-insert broke the primary key here on PostgreSQL: the second DELETE could not
    // see the first's new rows (issue 16: a replica refused to start).
    const people = org([...team, acmePerson('ann', 'manager: mia, roles: [rep]')]).people;
    const dbs = await Promise.all(Array.from({ length: 4 }, () => openDatabase(getTarget().url)));
    try {
      const at = (i: number) => new Date(t0.getTime() + 7_200_000 + i * 1_000);
      await Promise.all(dbs.flatMap((db, i) => [rememberPeople(db, people, at(i)), rememberPeople(db, people, at(i))]));
      const rows = await getDb().prisma.personRecord.findMany({ where: { id: { in: people.map((p) => p.id) } } });
      expect(rows.map((r) => r.id).sort()).toEqual(people.map((p) => p.id).sort());
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
    }
  }, 60_000);
});
