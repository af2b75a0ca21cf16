// Departure handovers on SQLite and PostgreSQL: the plan moves nothing; the start moves the
// 0% customers at once with their `handover` history and tells everyone in one transaction;
// a double start is refused; the call step completes on the successor's press, the note
// being there; refusals write nothing.
import { expect, it } from 'vitest';
import type { Customer } from '../../src/core/customers/customer.ts';
import type { Stage } from '../../src/core/customers/funnel.ts';
import { confirmStep } from '../../src/core/handovers/confirm-step.ts';
import { handoverMorning } from '../../src/core/handovers/handover-morning.ts';
import { noticeLeavers } from '../../src/core/handovers/notice-leavers.ts';
import { sweepPool } from '../../src/core/customers/sweep-pool.ts';
import { createExtensionStore } from '../../src/db/repositories/extension-request.repository.ts';
import { createNoticeOutbox } from '../../src/db/repositories/outbox.ts';
import { planHandover, startHandover } from '../../src/core/handovers/plan-handover.ts';
import { createCustomerStore } from '../../src/db/repositories/customer.repository.ts';
import { createHandoverStore } from '../../src/db/repositories/handover.repository.ts';
import { listJobs } from '../../src/db/repositories/job.repository.ts';
import { describeEachDatabase } from './databases.ts';
import { manageItem } from '../../src/core/handovers/manage-item.ts';
import { changeHandover } from '../../src/core/handovers/change-handover.ts';
import { remindVisit } from '../../src/core/handovers/visit-reminder.ts';
import { replaceGoneSuccessors } from '../../src/core/handovers/replace-successors.ts';
import { handoverNoteFor } from '../../src/core/handovers/handover-note.ts';
import { createVisitStore } from '../../src/db/repositories/visit.repository.ts';
import { acmeOrg, acmePerson, claimAs, rejection } from '../support/acme-org.ts';
import { seedCustomers } from '../support/seed-customers.ts';

const reps = ['ann', 'bob', 'cat'].map((id) => acmePerson(id, 'manager: boss, roles: [rep]'));
const directory = acmeOrg({ head: 'boss', people: [acmePerson('boss', 'roles: [manager]'), ...reps, acmePerson('root', 'roles: [admin]')], extra: 'pool: { maxHeld: 5 }' });
const person = (id: string) => directory.person(id)!;
const t0 = new Date('2026-12-01T01:00:00Z'); // Tuesday morning in Shanghai

describeEachDatabase('handovers', (getDb) => {
  const customers = () => createCustomerStore(getDb());
  const handovers = () => createHandoverStore(getDb());
  const claim = async (name: string, by: string, stage: Stage = 0, at = t0): Promise<Customer> => {
    const customer = await claimAs(customers(), directory, by, name, new Date(at.getTime() - 86_400_000));
    let from: Stage = 0;
    for (const to of [25, 50, 75, 100] as const) {
      if (to > stage) break;
      await customers().changeStage({ id: customer.id, ownerId: by, from, to, evidence: {}, byPersonId: by, at: new Date(at.getTime() - 3600_000) });
      from = to;
    }
    return customer;
  };
  const opts = (over: Partial<Parameters<typeof planHandover>[0]> = {}) => ({ store: handovers(), directory, actor: person('boss'), leaverId: 'ann', lastDay: '2026-12-10', now: t0, ...over });

  it('plans by stage with the stronger rep at each stage, moves nothing, then starts once', async () => {
    // bob moved a 25% customer past 25% recently; cat did not: cat's record at 25% is 0.
    const b = await claim('博远科技', 'bob', 50);
    void b;
    await claim('慢行科技', 'cat', 25);
    const zero = await claim('零号科技', 'ann', 0);
    const call = await claim('电话科技', 'ann', 25);
    const visit = await claim('拜访科技', 'ann', 75);

    const plan = await planHandover(opts());
    expect(plan.items.map((i) => [i.customerName, i.step, i.successorId])).toEqual([
      ['拜访科技', 'visit', expect.any(String)],
      ['电话科技', 'call', 'bob'],
      ['零号科技', 'transfer', expect.any(String)],
    ]);
    expect(plan.dueDay).toBe('2026-12-08');
    expect((await customers().findById(zero.id))!.ownerId).toBe('ann');

    const started = await startHandover(opts({ successorIds: undefined }));
    expect(started.transferred).toBe(1);
    const moved = (await customers().findById(zero.id))!;
    expect(moved.ownerId).not.toBe('ann');
    expect((await customers().history(zero.id)).at(-1)).toMatchObject({ kind: 'handover', fromPersonId: 'ann', byPersonId: 'boss' });
    expect((await customers().findById(call.id))!.ownerId).toBe('ann');
    expect((await customers().findById(visit.id))!.ownerId).toBe('ann');
    const told = (await listJobs(getDb())).filter((j) => j.idempotencyKey.startsWith(`handover:${started.handoverId}:started:`));
    expect(told.length).toBeGreaterThanOrEqual(2);

    const again = await rejection(startHandover(opts()));
    expect(again.details).toMatchObject({ reason: 'handover.alreadyOpen' });

    // The call: the leaver's press alone does not move it; the note and the successor's do.
    const items = await handovers().items(started.handoverId);
    const callItem = items.find((i) => i.customerId === call.id)!;
    const stranger = await rejection(confirmStep({ store: handovers(), directory, actor: person('cat'), itemId: callItem.id, part: 'done', now: t0 }));
    expect(stranger.details).toMatchObject({ reason: 'handover.notParty' });
    expect((await confirmStep({ store: handovers(), directory, actor: person('ann'), itemId: callItem.id, part: 'done', now: t0 })).outcome).toBe('recorded');
    expect((await rejection(confirmStep({ store: handovers(), directory, actor: person('ann'), itemId: callItem.id, part: 'done', now: t0 }))).details).toMatchObject({ reason: 'handover.stale' });
    expect((await confirmStep({ store: handovers(), directory, actor: person(callItem.successorId), itemId: callItem.id, part: 'done', now: t0 })).outcome).toBe('recorded');
    expect((await customers().findById(call.id))!.ownerId).toBe('ann');
    const done = await confirmStep({ store: handovers(), directory, actor: person('ann'), itemId: callItem.id, part: 'note', text: 'Mr Li decides; promised a demo in January', now: t0 });
    expect(done.outcome).toBe('completed');
    const after = (await customers().findById(call.id))!;
    expect(after.ownerId).toBe(callItem.successorId);
    expect(after.releaseAt!.getTime()).toBeGreaterThan(t0.getTime());
    expect((await customers().history(call.id)).at(-1)).toMatchObject({ kind: 'handover', fromPersonId: 'ann', toPersonId: callItem.successorId });

    // The visit: a follow-up of kind visit once both confirm (and the note is there).
    const visitItem = items.find((i) => i.customerId === visit.id)!;
    const late = await rejection(confirmStep({ store: handovers(), directory, actor: person('ann'), itemId: visitItem.id, part: 'visitDay', visitDay: '2026-12-10', now: t0 }));
    expect(late.details).toMatchObject({ reason: 'handover.visitDay', lastDay: '2026-12-10' });
    await confirmStep({ store: handovers(), directory, actor: person('ann'), itemId: visitItem.id, part: 'visitDay', visitDay: '2026-12-04', now: t0 });
    await confirmStep({ store: handovers(), directory, actor: person('ann'), itemId: visitItem.id, part: 'note', text: 'CFO cares about uptime', now: t0 });
    await confirmStep({ store: handovers(), directory, actor: person('ann'), itemId: visitItem.id, part: 'done', now: t0 });
    expect((await confirmStep({ store: handovers(), directory, actor: person(visitItem.successorId), itemId: visitItem.id, part: 'done', now: t0 })).outcome).toBe('completed');
    expect((await customers().recentFollowUps(visit.id, 5)).map((f) => f.kind)).toContain('visit');
    expect(await handovers().findOpenByLeaver('ann')).toBeUndefined();
  }, 60_000);

  it('refuses what must be refused, writing nothing', async () => {
    await claim('拒绝科技', 'cat', 25);
    const outside = await rejection(planHandover(opts({ leaverId: 'cat', actor: person('bob') })));
    expect(outside.details).toMatchObject({ reason: 'handover.notInLine' });
    expect((await rejection(planHandover(opts({ leaverId: 'boss', actor: person('root') })))).details).toMatchObject({ reason: 'handover.noCustomers' });
    expect((await rejection(planHandover(opts({ leaverId: 'cat', successorIds: ['cat'] })))).details).toMatchObject({ reason: 'handover.successorIsLeaver' });
    expect((await rejection(planHandover(opts({ leaverId: 'cat', successorIds: ['root'] })))).details).toMatchObject({ reason: 'handover.notRep' });
    expect((await rejection(planHandover(opts({ leaverId: 'cat', lastDay: '2026-11-30' })))).details).toMatchObject({ reason: 'handover.lastDayPast' });
    // bob filled up to maxHeld (5): named, with the count.
    const names = ['北极熊', '长颈鹿', '企鹅王', '海豚湾', '松鼠林'];
    for (let held = await customers().countHeld('bob'); held < 5; held++) await claim(`${names[held]}贸易`, 'bob', 25);
    const over = await rejection(planHandover(opts({ leaverId: 'cat', successorIds: ['bob'] })));
    expect(over.details).toMatchObject({ reason: 'handover.overCap', person: 'Bob', adding: await customers().countHeld('cat'), cap: 5 });
    expect(await handovers().findOpenByLeaver('cat')).toBeUndefined();
  }, 60_000);
});

describeEachDatabase('handover mornings', (getDb) => {
  const customers = () => createCustomerStore(getDb());
  const handovers = () => createHandoverStore(getDb());
  const outbox = () => createNoticeOutbox(getDb());
  const morning = (ymd: string) => handoverMorning({ store: handovers(), outbox: outbox(), directory, now: new Date(`${ymd}T01:00:00Z`) });
  const keys = async (prefix: string) => (await listJobs(getDb())).map((j) => j.idempotencyKey).filter((k) => k.startsWith(prefix)).sort();

  it('prompts each person once a working day, escalates an overdue step, sweeps the last day incomplete', async () => {
    const at = new Date('2026-11-30T01:00:00Z');
    const r1 = { customer: await claimAs(customers(), directory, 'ann', '晨光电话', at) };
    const r2 = { customer: await claimAs(customers(), directory, 'ann', '暮色拜访', at) };
    await customers().changeStage({ id: r1.customer.id, ownerId: 'ann', from: 0, to: 25, evidence: {}, byPersonId: 'ann', at });
    await customers().changeStage({ id: r2.customer.id, ownerId: 'ann', from: 0, to: 75, evidence: {}, byPersonId: 'ann', at });
    // Tuesday 12-01; last day Monday 12-07; steps due Thursday 12-03.
    const started = await startHandover({ store: handovers(), directory, actor: person('boss'), leaverId: 'ann', successorIds: ['bob'], lastDay: '2026-12-07', now: t0 });

    expect(await morning('2026-12-02')).toMatchObject({ prompts: 2, escalations: 0, swept: 0 });
    // A crash and a re-run, or a second replica: nothing is sent twice.
    await morning('2026-12-02');
    expect(await keys('handover-prompt:')).toEqual(['handover-prompt:ann:2026-12-02', 'handover-prompt:bob:2026-12-02']);
    const prompt = (await listJobs(getDb())).find((j) => j.idempotencyKey === 'handover-prompt:ann:2026-12-02')!;
    expect(JSON.parse(prompt.payload).notice).toMatchObject({ daysLeft: 3, counts: { call: 1, visit: 1, note: 2 } });

    // Saturday: a day off, nothing. Friday 12-04: past the due day, escalated to the manager once.
    expect(await morning('2026-12-05')).toEqual({ prompts: 0, escalations: 0, swept: 0 });
    expect((await morning('2026-12-04')).escalations).toBe(2);
    await morning('2026-12-04');
    expect((await keys('handover-escalation:')).length).toBe(2);

    // The last day: whatever is left moves to the successor, flagged incomplete, with its history.
    expect((await morning('2026-12-07')).swept).toBe(2);
    expect((await customers().findById(r1.customer.id))!.ownerId).toBe('bob');
    expect((await customers().history(r2.customer.id)).at(-1)).toMatchObject({ kind: 'handover', fromPersonId: 'ann', toPersonId: 'bob', reason: 'incomplete' });
    expect((await handovers().items(started.handoverId)).map((i) => i.status)).toEqual(['incomplete', 'incomplete']);
    expect(await handovers().findOpenByLeaver('ann')).toBeUndefined();
  }, 60_000);
});

describeEachDatabase('owners who left', (getDb) => {
  const left = acmeOrg({ head: 'boss', people: [acmePerson('boss', 'roles: [manager]'), acmePerson('ann', 'manager: boss, roles: [rep], left: "2026-11-30"'), acmePerson('bob', 'manager: boss, roles: [rep]')] });

  it("tells the manager once and keeps the leaver's customers out of the pool", async () => {
    const store = createCustomerStore(getDb());
    const claimedLongAgo = new Date('2026-09-01T01:00:00Z');
    const r = { customer: await claimAs(store, directory, 'ann', '留守科技', claimedLongAgo) };
    const now = new Date('2026-12-02T01:00:00Z');
    const run = () => noticeLeavers({ store: createHandoverStore(getDb()), outbox: createNoticeOutbox(getDb()), directory: left, now });
    // She also hosts an expected visit: the notice names it beside the customers.
    await createVisitStore(getDb()).addExpected({ id: 'ev-left', personId: 'ann', company: '来访公司', companyKey: 'visit-key', day: '2026-12-05', createdAt: now });
    expect(await run()).toBe(1);
    expect(await run()).toBe(0);
    expect((await listJobs(getDb())).filter((j) => j.idempotencyKey === 'handover-left:ann').map((j) => JSON.parse(j.payload))).toMatchObject([{ personId: 'boss', notice: { count: 1, visits: 1, contests: 0 } }]);
    // Its protection ran out long ago, but the owner left: the sweep leaves it for the handover.
    expect(await sweepPool({ store, extensions: createExtensionStore(getDb()), outbox: createNoticeOutbox(getDb()), directory: left, now })).toEqual({ warned: 0, released: 0 });
    expect((await store.findById(r.customer.id))!.ownerId).toBe('ann');
  }, 60_000);
});

describeEachDatabase('changing a handover', (getDb) => {
  const customers = () => createCustomerStore(getDb());
  const handovers = () => createHandoverStore(getDb());
  const outbox = () => createNoticeOutbox(getDb());
  const jobs = async (prefix: string) => (await listJobs(getDb())).filter((j) => j.idempotencyKey.startsWith(prefix));
  const manage = (actor: string, itemId: string, what: Parameters<typeof manageItem>[0]['what']) => manageItem({ store: handovers(), directory, actor: person(actor), itemId, what, now: t0 });

  it('reassigns, moves the last day and cancels — only the manager line; the visit day brings two reminders, a new day makes them moot', async () => {
    const at = new Date('2026-11-30T01:00:00Z');
    const call = await claimAs(customers(), directory, 'ann', '改派电话', at);
    const visit = await claimAs(customers(), directory, 'ann', '改期拜访', at);
    await customers().changeStage({ id: call.id, ownerId: 'ann', from: 0, to: 25, evidence: {}, byPersonId: 'ann', at });
    await customers().changeStage({ id: visit.id, ownerId: 'ann', from: 0, to: 75, evidence: {}, byPersonId: 'ann', at });
    const started = await startHandover({ store: handovers(), directory, actor: person('boss'), leaverId: 'ann', successorIds: ['bob'], lastDay: '2026-12-10', now: t0 });
    const items = await handovers().items(started.handoverId);
    const callItem = items.find((i) => i.customerId === call.id)!;
    const visitItem = items.find((i) => i.customerId === visit.id)!;

    // Reassign: refusals in words, nothing changed; then the step starts over with the new successor.
    await confirmStep({ store: handovers(), directory, actor: person('bob'), itemId: callItem.id, part: 'done', now: t0 });
    expect((await rejection(manage('bob', callItem.id, { kind: 'reassign', successorId: 'cat' }))).details).toMatchObject({ reason: 'handover.notInLine' });
    expect((await rejection(manage('boss', callItem.id, { kind: 'reassign', successorId: 'ann' }))).details).toMatchObject({ reason: 'handover.successorIsLeaver' });
    expect((await rejection(manage('boss', callItem.id, { kind: 'reassign', successorId: 'root' }))).details).toMatchObject({ reason: 'handover.notRep', person: 'Root' });
    expect((await rejection(manage('boss', callItem.id, { kind: 'reassign', successorId: 'bob' }))).details).toMatchObject({ reason: 'handover.sameSuccessor' });
    expect((await handovers().item(callItem.id))!.successorId).toBe('bob');
    await manage('boss', callItem.id, { kind: 'reassign', successorId: 'cat' });
    const moved = (await handovers().item(callItem.id))!;
    expect(moved).toMatchObject({ successorId: 'cat', status: 'pending' });
    expect(moved.successorDoneAt).toBeUndefined();
    const told = (await jobs(`handover-item:${callItem.id}:reassigned:cat:`)).map((j) => JSON.parse(j.payload).personId).sort();
    expect(told).toEqual(['ann', 'bob', 'cat']);
    // The old successor's press is now refused; the new one's counts.
    expect((await rejection(confirmStep({ store: handovers(), directory, actor: person('bob'), itemId: callItem.id, part: 'done', now: t0 }))).details).toMatchObject({ reason: 'handover.notParty' });

    // The visit day: reminders the working day before (Friday 12-04) and on the morning (Monday 12-07), 09:00 Shanghai.
    await confirmStep({ store: handovers(), directory, actor: person('ann'), itemId: visitItem.id, part: 'visitDay', visitDay: '2026-12-07', now: t0 });
    const reminders = await jobs(`handover.visitReminder:${visitItem.id}:`);
    expect(reminders.map((j) => [j.idempotencyKey.split(':').slice(2).join(':'), j.runAt.toISOString()]).sort()).toEqual([
      ['2026-12-07:dayBefore', '2026-12-04T01:00:00.000Z'],
      ['2026-12-07:morning', '2026-12-07T01:00:00.000Z'],
    ]);
    const remind = (visitDay: string, when: 'dayBefore' | 'morning') => remindVisit({ store: handovers(), outbox: outbox(), directory, itemId: visitItem.id, visitDay, when, now: new Date('2026-12-04T01:00:00Z') });
    expect(await remind('2026-12-07', 'dayBefore')).toBe(2);
    expect(await remind('2026-12-07', 'dayBefore')).toBe(0);
    const dayBefore = (await jobs(`handover-visit:${visitItem.id}:2026-12-07:dayBefore:`)).map((j) => JSON.parse(j.payload));
    expect(dayBefore.map((p) => [p.personId, p.notice.withId]).sort()).toEqual([['ann', 'bob'], ['bob', 'ann']]);
    // A new day: fresh reminders; the old day's morning finds itself moot and sends nothing.
    await confirmStep({ store: handovers(), directory, actor: person('ann'), itemId: visitItem.id, part: 'visitDay', visitDay: '2026-12-08', now: t0 });
    expect(await remind('2026-12-07', 'morning')).toBe(0);
    expect(await remind('2026-12-08', 'morning')).toBe(2);

    // A new last day moves the due day of what is pending; a past one is refused.
    const change = (actor: string, c: Parameters<typeof changeHandover>[0]['change']) => changeHandover({ store: handovers(), directory, actor: person(actor), leaverId: 'ann', change: c, now: t0 });
    expect((await rejection(change('boss', { kind: 'lastDay', lastDay: '2026-11-01' }))).details).toMatchObject({ reason: 'handover.lastDayPast' });
    expect((await change('boss', { kind: 'lastDay', lastDay: '2026-12-18' })).dueDay).toBe('2026-12-16');
    expect((await handovers().items(started.handoverId)).map((i) => i.dueDay)).toEqual(['2026-12-16', '2026-12-16']);

    // Cancel: the line only; pending customers stay with the leaver; the handover can be planned again.
    expect((await rejection(change('bob', { kind: 'cancel' }))).details).toMatchObject({ reason: 'handover.notInLine' });
    await change('boss', { kind: 'cancel' });
    expect(await handovers().findOpenByLeaver('ann')).toBeUndefined();
    expect((await handovers().items(started.handoverId)).map((i) => i.status)).toEqual(['cancelled', 'cancelled']);
    expect((await customers().findById(call.id))!.ownerId).toBe('ann');
    expect((await rejection(change('boss', { kind: 'cancel' }))).details).toMatchObject({ reason: 'handover.noneOpen' });
    expect(await remind('2026-12-08', 'morning')).toBe(0);
    expect((await planHandover(opts())).items).toHaveLength(2);
  }, 60_000);

  const opts = () => ({ store: handovers(), directory, actor: person('boss'), leaverId: 'ann', lastDay: '2026-12-10', now: t0 });
});

describeEachDatabase('leavers the org file lost, successors who leave, the rest of their work', (getDb) => {
  const customers = () => createCustomerStore(getDb());
  const handovers = () => createHandoverStore(getDb());
  const outbox = () => createNoticeOutbox(getDb());
  const jobs = async (prefix: string) => (await listJobs(getDb())).filter((j) => j.idempotencyKey.startsWith(prefix));
  const duty = 'duty:\n  - { person: ann, days: [mon, tue, wed, thu, fri], from: "08:00", to: "09:00" }';
  // ann on duty and the org's arbiter; later removed from the file (and bob marked leaving).
  const before = acmeOrg({ head: 'boss', people: [acmePerson('boss', 'roles: [manager]'), ...reps, acmePerson('root', 'roles: [admin]')], extra: `pool: { maxHeld: 5 }\narbiter: ann\n${duty}` });
  const after = acmeOrg({
    head: 'boss',
    people: [acmePerson('boss', 'roles: [manager]'), acmePerson('bob', 'manager: boss, roles: [rep], left: "2026-12-20"'), acmePerson('cat', 'manager: boss, roles: [rep]'), acmePerson('root', 'roles: [admin]')],
    extra: 'pool: { maxHeld: 5 }\narbiter: root',
  });

  it("reports the leaver's org-file roles and moves their expected visits; plans for someone removed; a successor who leaves goes back to the plan; the note shows in who for the owner's line", async () => {
    const at = new Date('2026-11-30T01:00:00Z');
    const call = await claimAs(customers(), before, 'ann', '备注电话', at);
    await customers().changeStage({ id: call.id, ownerId: 'ann', from: 0, to: 25, evidence: {}, byPersonId: 'ann', at });
    const { nameKey } = await getDb().prisma.customer.findUniqueOrThrow({ where: { id: call.id }, select: { nameKey: true } });
    await createVisitStore(getDb()).addExpected({ id: 'ev1', personId: 'ann', company: '备注电话', companyKey: nameKey, day: '2026-12-03', createdAt: t0 });
    await createVisitStore(getDb()).addExpected({ id: 'ev2', personId: 'ann', company: '别家公司', companyKey: 'other-key', day: '2026-12-04', createdAt: t0 });

    // Started while ann is still in the file: the plan names her roles; the admins are told the edits; her visits move.
    const plan = await planHandover({ store: handovers(), directory: before, actor: person('boss'), leaverId: 'ann', successorIds: ['bob'], lastDay: '2026-12-10', now: t0 });
    expect(plan.orgRoles).toEqual([{ kind: 'duty', days: 'mon,tue,wed,thu,fri', from: '08:00', to: '09:00' }, { kind: 'orgArbiter' }]);
    const started = await startHandover({ store: handovers(), directory: before, actor: before.person('boss')!, leaverId: 'ann', successorIds: ['bob'], lastDay: '2026-12-10', now: t0 });
    expect(started.visitsMoved).toBe(2);
    const edits = (await jobs(`handover:${started.handoverId}:orgEdits:`)).map((j) => JSON.parse(j.payload));
    expect(edits.map((e) => e.personId)).toEqual(['root']);
    expect(edits[0].notice.roles).toHaveLength(2);
    expect((await getDb().prisma.expectedVisit.findMany({ orderBy: { id: 'asc' }, select: { personId: true } })).map((v) => v.personId)).toEqual(['bob', 'boss']);

    // ann's note, then bob (the successor) is marked leaving: the pending customer goes to cat, the manager told with a Reassign.
    const [item] = await handovers().items(started.handoverId);
    await confirmStep({ store: handovers(), directory: before, actor: before.person('ann')!, itemId: item!.id, part: 'note', text: '王总拍板；答应一月演示；别提价格', now: t0 });
    const replace = () => replaceGoneSuccessors({ store: handovers(), outbox: outbox(), directory: after, now: t0 });
    expect(await replace()).toBe(1);
    expect(await replace()).toBe(0);
    expect((await handovers().item(item!.id))!.successorId).toBe('cat');
    const toBoss = (await jobs(`handover-item:${item!.id}:successorLeft:bob`)).map((j) => JSON.parse(j.payload));
    expect(toBoss).toMatchObject([{ personId: 'boss', notice: { goneId: 'bob', newId: 'cat' } }]);
    const done = await confirmStep({ store: handovers(), directory: after, actor: after.person('cat')!, itemId: item!.id, part: 'done', now: t0 });
    expect(done.outcome).toBe('completed');

    // The note, in `who`, for the owner's line only.
    const note = (actor: string) => handoverNoteFor({ store: handovers(), directory: after, actor: after.person(actor)!, customer: { id: call.id, ownerId: 'cat' } });
    expect(await note('cat')).toEqual({ note: '王总拍板；答应一月演示；别提价格', leaverId: 'ann' });
    expect(await note('boss')).toBeDefined();
    expect(await note('bob')).toBeUndefined();

    // Someone removed from the file who still owns customers: the org's arbiter (told of them) plans it.
    await claimAs(customers(), directory, 'cat', '遗留客户', at);
    const gone = acmeOrg({ head: 'boss', people: [acmePerson('boss', 'roles: [manager]'), acmePerson('bob', 'manager: boss, roles: [rep]'), acmePerson('root', 'roles: [admin]'), acmePerson('judge')], extra: 'pool: { maxHeld: 5 }\narbiter: judge' });
    expect((await rejection(planHandover({ store: handovers(), directory: gone, actor: gone.person('boss')!, leaverId: 'cat', now: t0 }))).details).toMatchObject({ reason: 'handover.notInLine' });
    expect((await rejection(planHandover({ store: handovers(), directory: gone, actor: gone.person('judge')!, leaverId: 'nobody', now: t0 }))).details).toMatchObject({ reason: 'handover.noPerson' });
    const removed = await startHandover({ store: handovers(), directory: gone, actor: gone.person('judge')!, leaverId: 'cat', now: t0 });
    // Gone already: the last day is today (the next morning moves what the steps did not), successors from the arbiter's pick of reps.
    expect(removed.plan.lastDay).toBe('2026-12-01');
    expect(removed.plan.items.map((i) => [i.customerName, i.step, i.successorId])).toEqual([['备注电话', 'call', 'bob'], ['遗留客户', 'transfer', 'bob']]);
    expect(removed.transferred).toBe(1);
    // The morning after: nothing stays with someone who is gone.
    expect((await handoverMorning({ store: handovers(), outbox: outbox(), directory: gone, now: new Date('2026-12-02T01:00:00Z') })).swept).toBe(1);
    expect((await customers().findById(call.id))!.ownerId).toBe('bob');
  }, 60_000);

  it('the start moves 0% customers to several successors set-based, in chunks, with clocks, history, extension requests and contests; one the leaver no longer owns stays', async () => {
    // 1,000 customers of dan (more than one chunk of 900), for three successors in turn.
    await seedCustomers(getDb(), Array.from({ length: 1_000 }, (_, i) => ({ name: `分批${i}`, ownerId: 'dan' })));
    const owned = await getDb().prisma.customer.findMany({ where: { ownerId: 'dan' }, orderBy: { seq: 'asc' }, select: { id: true, name: true } });
    expect(owned).toHaveLength(1_000);
    const successorOf = (i: number) => ['bob', 'cat', 'eve'][i % 3]!;
    // Taken by someone else since the plan: it does not move.
    const gone = owned[950]!;
    await getDb().prisma.customer.update({ where: { id: gone.id }, data: { ownerId: 'zed' } });
    // dan's pending extension request and an open contest against dan's claim, on customers in the second chunk.
    const asked = owned[901]!;
    const contested = owned[902]!;
    await getDb().prisma.extensionRequest.create({ data: { id: 'x-dan', customerId: asked.id, ownerId: 'dan', approverId: 'boss', releaseAt: t0, createdAt: t0 } });
    await getDb().prisma.contest.create({ data: { id: 'c-dan', customerId: contested.id, challengerId: 'ann', ownerId: 'dan', arbiterId: 'boss', createdAt: t0, openKey: `${contested.id}:ann` } });
    const at = new Date('2026-12-02T02:00:00Z');
    const releaseAt = new Date('2027-01-01T16:00:00Z');
    const result = await handovers().start(
      {
        id: 'h-dan', leaverId: 'dan', startedById: 'boss', lastDay: '2026-12-10', at, releaseAt: () => releaseAt, today: '2026-12-02',
        items: owned.map((c, i) => ({ id: `i-dan-${i}`, customerId: c.id, customerName: c.name, successorId: successorOf(i), stage: 0 as Stage, step: 'transfer' as const, needsNote: false, dueDay: '2026-12-08' })),
      },
      [],
    );
    expect(result).toEqual({ ok: true, transferred: 999, visitsMoved: 0, requestsMoved: 0 });
    const after = new Map((await getDb().prisma.customer.findMany({ where: { id: { in: owned.map((c) => c.id) } }, select: { id: true, ownerId: true, previousOwnerId: true, claimedAt: true, lastTouchAt: true, releaseAt: true, extendedUntil: true } })).map((c) => [c.id, c]));
    owned.forEach((c, i) => {
      if (c.id === gone.id) return;
      expect(after.get(c.id)).toEqual({ id: c.id, ownerId: successorOf(i), previousOwnerId: 'dan', claimedAt: at, lastTouchAt: at, releaseAt, extendedUntil: null });
    });
    expect(after.get(gone.id)).toMatchObject({ ownerId: 'zed', previousOwnerId: null });
    // One history row per customer moved, to its own successor; none for the one that stayed.
    const history = await getDb().prisma.ownershipEvent.findMany({ where: { kind: 'handover', fromPersonId: 'dan' }, select: { customerId: true, toPersonId: true, byPersonId: true, at: true } });
    expect(history).toHaveLength(999);
    const index = new Map(owned.map((c, i) => [c.id, i]));
    expect(history.every((h) => h.toPersonId === successorOf(index.get(h.customerId)!) && h.byPersonId === 'boss' && h.at.getTime() === at.getTime())).toBe(true);
    expect(history.some((h) => h.customerId === gone.id)).toBe(false);
    // The extension request and the contest follow their customer's successor.
    expect((await getDb().prisma.extensionRequest.findUniqueOrThrow({ where: { id: 'x-dan' } })).ownerId).toBe(successorOf(901));
    expect((await getDb().prisma.contest.findUniqueOrThrow({ where: { id: 'c-dan' } })).ownerId).toBe(successorOf(902));
    // Every item was a transfer: the handover is done at once.
    expect(await handovers().findOpenByLeaver('dan')).toBeUndefined();
    expect((await handovers().lastByLeaver('dan'))?.status).toBe('done');
  }, 60_000);
});
