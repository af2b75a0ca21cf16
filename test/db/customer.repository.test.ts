// The customer store on SQLite and PostgreSQL: the unique keys decide races, near-duplicate
// candidates come from the indexes, and every write is conditional on the state it saw.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { NewCustomer } from '../../src/core/customers/customer.ts';
import { probeOf } from '../../src/core/customers/claim-customer.ts';
import { normaliseCompanyName } from '../../src/core/customers/normalise-name.ts';
import { createCustomerStore } from '../../src/db/repositories/customer.repository.ts';
import { listJobs } from '../../src/db/repositories/job.repository.ts';
import { describeEachDatabase } from './databases.ts';

const at = new Date('2026-11-25T02:00:00Z');
const later = new Date('2026-12-25T02:00:00Z');

function newCustomer(name: string, ownerId: string, extra: Partial<NewCustomer> = {}): NewCustomer {
  const n = normaliseCompanyName(name);
  return { id: randomUUID(), name, nameKey: n.key, pinyin: n.pinyin, initials: n.initials, ownerId, at, releaseAt: later, ...extra };
}
const claimEvent = (who: string) => ({ kind: 'claim' as const, toPersonId: who, byPersonId: who, at });

describeEachDatabase('customer store', (getDb) => {
  it('lets the database decide a race between two inserts of the same company', async () => {
    const store = createCustomerStore(getDb());
    const [a, b] = await Promise.all([
      store.insertClaimed(newCustomer('竞速科技有限公司', 'ann'), claimEvent('ann'), []),
      store.insertClaimed(newCustomer('竞速科技', 'bob'), claimEvent('bob'), []),
    ]);
    const results = [a, b];
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const winner = results.find((r) => r.ok)!;
    const loser = results.find((r) => !r.ok)!;
    expect(loser.ok === false && winner.ok && loser.existing.id).toBe(winner.ok && winner.customer.id);
    const events = await getDb().prisma.ownershipEvent.findMany({ where: { customerId: winner.ok ? winner.customer.id : '' } });
    expect(events).toHaveLength(1);
  });

  it('refuses a second company with the same credit code, whatever its name', async () => {
    const store = createCustomerStore(getDb());
    expect((await store.insertClaimed(newCustomer('甲公司一号', 'ann', { creditCode: '91350100M000100Y43' }), claimEvent('ann'), [])).ok).toBe(true);
    const again = await store.insertClaimed(newCustomer('完全不同的名字', 'bob', { creditCode: '91350100M000100Y43' }), claimEvent('bob'), []);
    expect(again.ok).toBe(false);
  });

  it('rolls the whole claim back, notices included, when the insert loses', async () => {
    const store = createCustomerStore(getDb());
    await store.insertClaimed(newCustomer('回滚测试有限公司', 'ann'), claimEvent('ann'), []);
    const notice = { personId: 'boss', notice: { type: 'customer.released' as const, customerId: 'x', customerName: 'x', reason: 'manual' as const }, idempotencyKey: 'rollback-test', runAt: at };
    const r = await store.insertClaimed(newCustomer('回滚测试', 'bob'), claimEvent('bob'), [notice]);
    expect(r.ok).toBe(false);
    expect((await listJobs(getDb())).filter((j) => j.idempotencyKey === 'rollback-test')).toEqual([]);
  });

  it('finds candidates through the name index, key ranges and pinyin', async () => {
    const store = createCustomerStore(getDb());
    for (const name of ['字节跳动科技有限公司', '华为技术有限公司', '腾讯音乐', '美团点评', '比亚迪', '美的', '深圳市大疆创新科技有限公司']) {
      await store.insertClaimed(newCustomer(name, 'ann'), claimEvent('ann'), []);
    }
    const keys = async (typed: string) => (await store.identityCandidates(probeOf(normaliseCompanyName(typed)))).map((c) => c.nameKey).sort();
    expect(await keys('字节跳到科技')).toContain('字节跳动科技'); // one substitution
    expect(await keys('字节跳动动科技')).toContain('字节跳动科技'); // one insertion
    expect(await keys('字节跳科技')).toContain('字节跳动科技'); // one deletion
    expect(await keys('字节动跳科技')).toContain('字节跳动科技'); // a swap
    expect(await keys('美得')).toContain('美的'); // two characters
    expect(await keys('比亚笛')).toContain('比亚迪'); // same pinyin
    expect(await keys('华为')).toContain('华为技术'); // stored key starts with the typed one
    expect(await keys('华为技术服务')).toContain('华为技术'); // typed key starts with a stored one
    expect(await keys('huawei')).toContain('华为技术'); // pinyin
    expect(await keys('大疆创新科技')).toContain('大疆创新科技@CN4403'); // the same core in a region
    expect(await keys('网易音乐')).toEqual([]);
  });

  it('keeps aliases unique among all customers\' keys, and finds a customer by its alias', async () => {
    const store = createCustomerStore(getDb());
    const a = await store.insertClaimed(newCustomer('上海浦东发展银行股份有限公司', 'ann'), claimEvent('ann'), []);
    const b = await store.insertClaimed(newCustomer('招商银行股份有限公司', 'bob'), claimEvent('bob'), []);
    const id = a.ok ? a.customer.id : '';
    const alias = (key: string, customerId = id) => store.addAlias({ customerId, key, name: key, pinyin: normaliseCompanyName(key).pinyin, byPersonId: 'ann', at });
    expect(await alias('浦发银行')).toEqual({ ok: true });
    expect((await store.findByKeyOrCode('浦发银行'))?.id).toBe(id);
    expect(await alias('浦发银行', b.ok ? b.customer.id : '')).toMatchObject({ ok: false, holder: { id } });
    expect(await alias('招商银行')).toMatchObject({ ok: false, holder: { name: '招商银行股份有限公司' } });
    const found = await store.identityCandidates(probeOf(normaliseCompanyName('浦发银航')));
    expect(found.map((c) => c.id)).toContain(id);
  });

  it('searches by key prefix, pinyin and initials', async () => {
    const store = createCustomerStore(getDb());
    await store.insertClaimed(newCustomer('搜索示例科技有限公司', 'ann'), claimEvent('ann'), []);
    const names = async (q: { nameKey: string; latin?: string }) => (await store.search(q, 5)).map((c) => c.name);
    expect(await names({ nameKey: '搜索示例' })).toEqual(['搜索示例科技有限公司']);
    expect(await names({ nameKey: 'ssslkj', latin: 'ssslkj' })).toEqual(['搜索示例科技有限公司']);
    expect(await names({ nameKey: 'sousuoshili', latin: 'sousuoshili' })).toEqual(['搜索示例科技有限公司']);
  });

  it('takes a pool customer once, and writes history for release and pool claim', async () => {
    const store = createCustomerStore(getDb());
    const r = await store.insertClaimed(newCustomer('公海测试有限公司', 'ann'), claimEvent('ann'), []);
    const id = r.ok ? r.customer.id : '';
    expect(await store.release({ id, ownerId: 'bob', kind: 'release', at }, [])).toBe(false); // not bob's
    expect(await store.release({ id, ownerId: 'ann', kind: 'release', byPersonId: 'ann', at }, [])).toBe(true);
    const [x, y] = await Promise.all([store.takeFromPool(id, 'bob', later, later, []), store.takeFromPool(id, 'cat', later, later, [])]);
    expect([x, y].filter(Boolean)).toHaveLength(1);
    expect((await store.history(id)).map((e) => e.kind)).toEqual(['claim', 'release', 'pool_claim']);
    expect(await store.lastReleasedBy(id, 'ann')).toEqual(at);
  });

  it('changes a stage only from the state it saw', async () => {
    const store = createCustomerStore(getDb());
    const r = await store.insertClaimed(newCustomer('阶段测试有限公司', 'ann'), claimEvent('ann'), []);
    const id = r.ok ? r.customer.id : '';
    const move = { id, ownerId: 'ann', from: 0 as const, to: 25 as const, evidence: { contactName: 'x', phone: '1' }, byPersonId: 'ann', at };
    expect(await store.changeStage(move)).toBe(true);
    expect(await store.changeStage(move)).toBe(false); // it is no longer at 0
    expect((await store.findById(id))!.stage).toBe(25);
    expect(await store.changeStage({ ...move, from: 25, to: 'lost', evidence: { reason: 'went with a rival' } })).toBe(true);
    const lost = (await store.findById(id))!;
    expect(lost).toMatchObject({ lost: true, ownerId: undefined, previousOwnerId: 'ann' });
  });
});
