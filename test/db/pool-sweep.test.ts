// The public pool on SQLite and PostgreSQL with a fixed clock: the nightly sweep warns once
// per release day however often it runs, releases what is due (history, previous owner,
// the owner told), spares an extended customer, and works through batches; extensions are
// approved only by the owner's manager, once; the re-claim cool-down and the cap hold.
import { expect, it } from 'vitest';
import { claimCustomer } from '../../src/core/customers/claim-customer.ts';
import type { Customer } from '../../src/core/customers/customer.ts';
import { decideExtension } from '../../src/core/customers/decide-extension.ts';
import { releaseCustomer } from '../../src/core/customers/release-customer.ts';
import { requestExtension } from '../../src/core/customers/request-extension.ts';
import { sweepPool } from '../../src/core/customers/sweep-pool.ts';
import { AppError } from '../../src/core/errors.ts';
import { parseOrgText } from '../../src/config/org-file.ts';
import { createCustomerStore } from '../../src/db/repositories/customer.repository.ts';
import { createExtensionStore } from '../../src/db/repositories/extension-request.repository.ts';
import { createNoticeOutbox } from '../../src/db/repositories/outbox.ts';
import { listJobs } from '../../src/db/repositories/job.repository.ts';
import { describeEachDatabase } from './databases.ts';

const directory = parseOrgText(
  `company: Acme
timezone: Asia/Shanghai
pool: { maxHeld: 3, cooldownDays: 14, warningDays: 5, extensionDays: 15 }
departments:
  - { id: sales, name: Sales, kind: sales, head: boss }
people:
  - { id: boss, name: Boss, email: boss@acme.test, department: sales }
  - { id: ann, name: Ann, email: ann@acme.test, department: sales, manager: boss, roles: [rep] }
  - { id: bob, name: Bob, email: bob@acme.test, department: sales, manager: boss, roles: [rep] }
  - { id: cap, name: Cap, email: cap@acme.test, department: sales, manager: boss, roles: [rep] }
`,
  'org.yaml',
);
const person = (id: string) => directory.person(id)!;
const DAY = 86_400_000;
// Each test runs months after the previous one and first sweeps at its own start, so what
// earlier tests left behind is released before it counts.
const base = (n: number) => new Date(Date.UTC(2027, n * 3, 1, 2));
const daysAfter = (d: Date, n: number) => new Date(d.getTime() + n * DAY);

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describeEachDatabase('public pool', (getDb) => {
  const store = () => createCustomerStore(getDb());
  const extensions = () => createExtensionStore(getDb());
  const claim = async (name: string, by: string, now: Date): Promise<Customer> => {
    const r = await claimCustomer({ store: store(), directory, claimant: person(by), input: { name }, now });
    if (r.kind !== 'claimed' && r.kind !== 'fromPool') throw new Error(`expected a claim, got ${r.kind}`);
    return r.customer;
  };
  const sweep = (now: Date, batchSize?: number) => sweepPool({ store: store(), extensions: extensions(), outbox: createNoticeOutbox(getDb()), directory, now, batchSize });
  const jobsFor = async (customerId: string, prefix: string) =>
    (await listJobs(getDb())).filter((j) => j.idempotencyKey.startsWith(prefix) && j.idempotencyKey.includes(customerId));

  it('releases a customer claimed 31 days ago without a follow-up, and tells the owner', async () => {
    const t0 = base(0);
    await sweep(t0);
    const c = await claim('Zephyrcorp', 'ann', t0);
    const now = daysAfter(t0, 31);
    expect(await sweep(now)).toEqual({ warned: 0, released: 1 });
    const after = (await store().findById(c.id))!;
    expect(after).toMatchObject({ ownerId: undefined, previousOwnerId: 'ann', releasedAt: now, releaseAt: undefined });
    expect((await store().history(c.id)).at(-1)).toMatchObject({ kind: 'auto_release', fromPersonId: 'ann', reason: 'no_follow_up', at: now });
    const told = await jobsFor(c.id, 'pool-release:');
    expect(told).toHaveLength(1);
    expect(JSON.parse(told[0]!.payload)).toMatchObject({ personId: 'ann', notice: { type: 'customer.released', reason: 'no_follow_up' } });
    // The next night finds nothing more to do.
    expect(await sweep(daysAfter(now, 1))).toEqual({ warned: 0, released: 0 });
  });

  it('warns a customer at 26 days exactly once, however often the sweep runs', async () => {
    const t0 = base(1);
    await sweep(t0);
    const c = await claim('Quillworks', 'ann', t0);
    const now = daysAfter(t0, 26);
    expect(await sweep(now)).toEqual({ warned: 1, released: 0 });
    expect(await sweep(now)).toEqual({ warned: 0, released: 0 });
    expect(await sweep(new Date(now.getTime() + 3_600_000))).toEqual({ warned: 0, released: 0 });
    const warnings = await jobsFor(c.id, 'pool-warning:');
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!.payload)).toMatchObject({ personId: 'ann', notice: { type: 'customer.releaseWarning', customerId: c.id } });
    expect((await store().findById(c.id))?.ownerId).toBe('ann');
    // A follow-up by the owner moves the release date: no release, and a fresh warning only near the new date.
    await store().addFollowUp({ customerId: c.id, personId: 'ann', kind: 'call', note: 'called', at: now, releaseAt: daysAfter(now, 30) }, []);
    expect(await sweep(daysAfter(t0, 31))).toEqual({ warned: 0, released: 0 });
  });

  it("extends on the manager's approval only, once, and does not release the extended customer", async () => {
    const t0 = base(2);
    await sweep(t0);
    const c = await claim('Marbleton', 'ann', t0);
    const asked = daysAfter(t0, 27);
    const r1 = await requestExtension({ store: store(), extensions: extensions(), directory, owner: person('ann'), customerId: c.id, now: asked });
    const r2 = await requestExtension({ store: store(), extensions: extensions(), directory, owner: person('ann'), customerId: c.id, now: asked });
    expect([r1.kind, r2.kind]).toEqual(['requested', 'alreadyRequested']);
    expect(r1.approver.id).toBe('boss');
    expect(r2.request.id).toBe(r1.request.id);
    expect(await jobsFor(r1.request.id, 'extension:')).toHaveLength(1);
    expect((await rejection(requestExtension({ store: store(), extensions: extensions(), directory, owner: person('bob'), customerId: c.id, now: asked }))).details.reason).toBe('extension.ownerOnly');

    const decide = (by: string, approve: boolean) => decideExtension({ store: store(), extensions: extensions(), directory, approver: person(by), requestId: r1.request.id, approve, now: asked });
    for (const who of ['ann', 'bob']) expect((await rejection(decide(who, true))).details.reason).toBe('extension.approverOnly');
    expect((await store().findById(c.id))?.extendedUntil).toBeUndefined();

    const done = await decide('boss', true);
    const until = daysAfter(t0, 45);
    expect(done.customer).toMatchObject({ releaseAt: until, extendedUntil: until, ownerId: 'ann' });
    expect((await rejection(decide('boss', true))).details.reason).toBe('extension.alreadyDecided');
    expect((await rejection(decide('boss', false))).details.reason).toBe('extension.alreadyDecided');
    expect((await store().findById(c.id))?.releaseAt).toEqual(until);
    const told = await jobsFor(r1.request.id, 'extension:');
    expect(told.map((j) => j.idempotencyKey).sort()).toEqual([`extension:${r1.request.id}:asked`, `extension:${r1.request.id}:decided`]);

    expect(await sweep(daysAfter(t0, 31))).toEqual({ warned: 0, released: 0 });
    expect((await store().findById(c.id))?.ownerId).toBe('ann');
    expect(await sweep(daysAfter(t0, 46))).toEqual({ warned: 0, released: 1 });
  });

  it('withdraws a request whose customer changed hands, and shows that on the approver’s message, in the same transaction', async () => {
    const t0 = base(7);
    await sweep(t0);
    const c = await claim('Wanderhold', 'ann', t0);
    const asked = daysAfter(t0, 27);
    const r = await requestExtension({ store: store(), extensions: extensions(), directory, owner: person('ann'), customerId: c.id, now: asked });
    // Someone else holds it now (a transfer that did not go through this request).
    await getDb().prisma.customer.update({ where: { id: c.id }, data: { ownerId: 'bob' } });
    const e = await rejection(decideExtension({ store: store(), extensions: extensions(), directory, approver: person('boss'), requestId: r.request.id, approve: true, now: asked }));
    expect(e.details.reason).toBe('extension.ownerChanged');
    expect((await extensions().find(r.request.id))?.status).toBe('void');
    const key = `extension:${r.request.id}:asked`;
    const updates = (await listJobs(getDb())).filter((j) => j.kind === 'message.update' && j.payload.includes(key));
    expect(updates).toHaveLength(1);
    const row = await getDb().prisma.sentMessage.findUniqueOrThrow({ where: { key } });
    expect(JSON.parse(row.content!)).toMatchObject({ notice: { type: 'customer.extensionRequested', outcome: { state: 'void', why: 'ownerChanged' } } });
  });

  it('releases in batches, each customer once', async () => {
    const t0 = base(3);
    await sweep(t0);
    const ids: string[] = [];
    for (const [i, who] of ['ann', 'bob', 'cap', 'ann', 'bob'].entries()) ids.push((await claim(['Amberline', 'Bluestone', 'Copperfield', 'Driftwood', 'Evergreen'][i]!, who, new Date(t0.getTime() + i * 1000))).id);
    expect(await sweep(daysAfter(t0, 31), 2)).toEqual({ warned: 0, released: 5 });
    for (const id of ids) expect((await store().history(id)).filter((e) => e.kind === 'auto_release')).toHaveLength(1);
  });

  it('keeps the previous owner out for the cool-down, then lets them claim from the pool (recorded)', async () => {
    const t0 = base(4);
    await sweep(t0);
    const c = await claim('Frostbyte', 'bob', t0);
    await sweep(daysAfter(t0, 31));
    const early = await claimCustomer({ store: store(), directory, claimant: person('bob'), input: { name: 'Frostbyte' }, now: daysAfter(t0, 40) });
    expect(early).toMatchObject({ kind: 'cooldown', until: daysAfter(t0, 45) });
    const back = await claimCustomer({ store: store(), directory, claimant: person('bob'), input: { name: 'Frostbyte' }, now: daysAfter(t0, 46) });
    expect(back.kind).toBe('fromPool');
    expect((await store().history(c.id)).map((e) => e.kind)).toEqual(['claim', 'auto_release', 'pool_claim']);
  });

  it('refuses a claim over the cap, not counting 100% customers', async () => {
    const t0 = base(5);
    await sweep(t0);
    const held = await store().countHeld('cap');
    for (let i = held; i < 3; i++) await claim(['Harborview', 'Ironclad', 'Juniper'][i]!, 'cap', t0);
    const refused = await claimCustomer({ store: store(), directory, claimant: person('cap'), input: { name: 'Kestrelnest' }, now: t0 });
    expect(refused).toEqual({ kind: 'cap', held: 3, max: 3 });
    await getDb().prisma.customer.updateMany({ where: { ownerId: 'cap', stage: 0 }, data: { stage: 100 } });
    expect((await claimCustomer({ store: store(), directory, claimant: person('cap'), input: { name: 'Kestrelnest' }, now: t0 })).kind).toBe('claimed');
  });

  it('Release now releases the customer its button names, by id, whatever its stored name resolves to today', async () => {
    const t0 = base(6);
    await sweep(t0);
    const c = await claim('Quillfeather', 'ann', t0);
    // A key stored by an older normaliser: the typed name no longer finds it, the id still does.
    await getDb().prisma.customer.update({ where: { id: c.id }, data: { nameKey: 'legacy-key-1', pinyin: 'legacy-key-1', initials: 'lk1' } });
    const byName = await rejection(releaseCustomer({ store: store(), extensions: extensions(), directory, actor: person('ann'), name: 'Quillfeather', now: t0 }));
    expect(byName.code).toBe('NOT_FOUND');
    await releaseCustomer({ store: store(), extensions: extensions(), directory, actor: person('ann'), customerId: c.id, now: t0 });
    expect(await store().findById(c.id)).toMatchObject({ ownerId: undefined, previousOwnerId: 'ann' });
    // The usual owner check and the usual "gone" answer.
    const again = await claim('Quillfeather two', 'bob', t0);
    expect((await rejection(releaseCustomer({ store: store(), extensions: extensions(), directory, actor: person('ann'), customerId: again.id, now: t0 }))).details.reason).toBe('ownerOnly.release');
    expect((await rejection(releaseCustomer({ store: store(), extensions: extensions(), directory, actor: person('ann'), customerId: 'nope', now: t0 }))).details.reason).toBe('contest.customerGone');
  });
});
