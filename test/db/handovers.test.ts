// Departure handovers on SQLite and PostgreSQL: the plan moves nothing; the start moves the
// 0% customers at once with their `handover` history and tells everyone in one transaction;
// a double start is refused; the call step completes on the successor's press, the note
// being there; refusals write nothing.
import { expect, it } from 'vitest';
import { claimCustomer } from '../../src/core/customers/claim-customer.ts';
import type { Customer } from '../../src/core/customers/customer.ts';
import type { Stage } from '../../src/core/customers/funnel.ts';
import { AppError } from '../../src/core/errors.ts';
import { confirmStep } from '../../src/core/handovers/confirm-step.ts';
import { handoverMorning } from '../../src/core/handovers/handover-morning.ts';
import { noticeLeavers } from '../../src/core/handovers/notice-leavers.ts';
import { sweepPool } from '../../src/core/customers/sweep-pool.ts';
import { createExtensionStore } from '../../src/db/repositories/extension-request.repository.ts';
import { createNoticeOutbox } from '../../src/db/repositories/outbox.ts';
import { planHandover, startHandover } from '../../src/core/handovers/plan-handover.ts';
import { parseOrgText } from '../../src/config/org-file.ts';
import { createCustomerStore } from '../../src/db/repositories/customer.repository.ts';
import { createHandoverStore } from '../../src/db/repositories/handover.repository.ts';
import { listJobs } from '../../src/db/repositories/job.repository.ts';
import { describeEachDatabase } from './databases.ts';

const directory = parseOrgText(
  `company: Acme
timezone: Asia/Shanghai
departments:
  - { id: sales, name: Sales, kind: sales, head: boss }
people:
  - { id: boss, name: Boss, email: boss@acme.test, department: sales, roles: [manager] }
  - { id: ann, name: Ann, email: ann@acme.test, department: sales, manager: boss, roles: [rep] }
  - { id: bob, name: Bob, email: bob@acme.test, department: sales, manager: boss, roles: [rep] }
  - { id: cat, name: Cat, email: cat@acme.test, department: sales, manager: boss, roles: [rep] }
  - { id: root, name: Root, email: root@acme.test, department: sales, roles: [admin] }
pool: { maxHeld: 5 }
`,
  'org.yaml',
);
const person = (id: string) => directory.person(id)!;
const t0 = new Date('2026-12-01T01:00:00Z'); // Tuesday morning in Shanghai

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describeEachDatabase('handovers', (getDb) => {
  const customers = () => createCustomerStore(getDb());
  const handovers = () => createHandoverStore(getDb());
  const claim = async (name: string, by: string, stage: Stage = 0, at = t0): Promise<Customer> => {
    const r = await claimCustomer({ store: customers(), directory, claimant: person(by), input: { name }, now: new Date(at.getTime() - 86_400_000) });
    if (r.kind !== 'claimed') throw new Error(`expected a claim, got ${r.kind}`);
    let from: Stage = 0;
    for (const to of [25, 50, 75, 100] as const) {
      if (to > stage) break;
      await customers().changeStage({ id: r.customer.id, ownerId: by, from, to, evidence: {}, byPersonId: by, at: new Date(at.getTime() - 3600_000) });
      from = to;
    }
    return r.customer;
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
    const r1 = await claimCustomer({ store: customers(), directory, claimant: person('ann'), input: { name: '晨光电话' }, now: at });
    const r2 = await claimCustomer({ store: customers(), directory, claimant: person('ann'), input: { name: '暮色拜访' }, now: at });
    if (r1.kind !== 'claimed' || r2.kind !== 'claimed') throw new Error('claims');
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
  const left = parseOrgText(
    `company: Acme
timezone: Asia/Shanghai
departments:
  - { id: sales, name: Sales, kind: sales, head: boss }
people:
  - { id: boss, name: Boss, email: boss@acme.test, department: sales, roles: [manager] }
  - { id: ann, name: Ann, email: ann@acme.test, department: sales, manager: boss, roles: [rep], left: "2026-11-30" }
  - { id: bob, name: Bob, email: bob@acme.test, department: sales, manager: boss, roles: [rep] }
`,
    'org.yaml',
  );

  it("tells the manager once and keeps the leaver's customers out of the pool", async () => {
    const store = createCustomerStore(getDb());
    const claimedLongAgo = new Date('2026-09-01T01:00:00Z');
    const r = await claimCustomer({ store, directory, claimant: person('ann'), input: { name: '留守科技' }, now: claimedLongAgo });
    if (r.kind !== 'claimed') throw new Error('claim');
    const now = new Date('2026-12-02T01:00:00Z');
    const run = () => noticeLeavers({ store: createHandoverStore(getDb()), outbox: createNoticeOutbox(getDb()), directory: left, now });
    expect(await run()).toBe(1);
    expect(await run()).toBe(0);
    expect((await listJobs(getDb())).filter((j) => j.idempotencyKey === 'handover-left:ann').map((j) => JSON.parse(j.payload).personId)).toEqual(['boss']);
    // Its protection ran out long ago, but the owner left: the sweep leaves it for the handover.
    expect(await sweepPool({ store, extensions: createExtensionStore(getDb()), outbox: createNoticeOutbox(getDb()), directory: left, now })).toEqual({ warned: 0, released: 0 });
    expect((await store.findById(r.customer.id))!.ownerId).toBe('ann');
  }, 60_000);
});
