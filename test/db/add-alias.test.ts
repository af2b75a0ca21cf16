// The alias use case on both databases: only the owner or their manager adds one; an
// alias that is another customer's name is refused naming it, nothing written; after it,
// a claim under the alias is refused as taken and `who` (findCustomers) finds the customer.
import { expect, it } from 'vitest';
import { loadOrgFile } from '../../src/config/org-file.ts';
import { addAlias } from '../../src/core/customers/add-alias.ts';
import { claimCustomer } from '../../src/core/customers/claim-customer.ts';
import { findCustomers } from '../../src/core/customers/find-customer.ts';
import { AppError } from '../../src/core/errors.ts';
import { createCustomerStore } from '../../src/db/repositories/customer.repository.ts';
import { TEST_ORG_FILE } from '../support/test-org.ts';
import { describeEachDatabase } from './databases.ts';

const directory = loadOrgFile(TEST_ORG_FILE);
const now = new Date('2026-12-01T02:00:00Z');
const person = (id: string) => directory.person(id)!;

describeEachDatabase('addAlias', (getDb) => {
  const reasonOf = async (p: Promise<unknown>) => {
    try {
      await p;
      return 'added';
    } catch (e) {
      if (e instanceof AppError) return e.details;
      throw e;
    }
  };

  it('adds an alias for the owner; a claim under it is refused as taken; who finds it', async () => {
    const store = createCustomerStore(getDb());
    await claimCustomer({ store, directory, claimant: person('tom.reed'), input: { name: '上海浦东发展银行股份有限公司' }, now });
    const added = await addAlias({ store, directory, actor: person('tom.reed'), name: '上海浦东发展银行', alias: '浦发银行', now });
    expect(added).toMatchObject({ alias: '浦发银行', already: false, customer: { name: '上海浦东发展银行股份有限公司' } });
    const claim = await claimCustomer({ store, directory, claimant: person('wu.hao'), input: { name: '浦发银行股份有限公司' }, now });
    expect(claim).toMatchObject({ kind: 'taken', customer: { ownerId: 'tom.reed' } });
    expect((await findCustomers({ store, query: '浦发银行' })).map((c) => c.name)).toEqual(['上海浦东发展银行股份有限公司']);
    expect(await addAlias({ store, directory, actor: person('tom.reed'), name: '浦发银行', alias: '浦发银行', now })).toMatchObject({ already: true });
  });

  it('lets the manager add one, never another rep; refuses another customer’s name, naming it', async () => {
    const db = getDb();
    const store = createCustomerStore(db);
    await claimCustomer({ store, directory, claimant: person('tom.reed'), input: { name: '华为技术有限公司' }, now });
    await claimCustomer({ store, directory, claimant: person('wu.hao'), input: { name: 'Huawei Cloud Computing Co., Ltd.' }, now });
    const before = await db.prisma.customerAlias.count();
    expect(await reasonOf(addAlias({ store, directory, actor: person('wu.hao'), name: '华为技术', alias: 'Huawei', now }))).toMatchObject({ reason: 'ownerOnly.alias' });
    expect(await reasonOf(addAlias({ store, directory, actor: person('tom.reed'), name: '华为技术', alias: 'Huawei Cloud Computing', now }))).toEqual({
      reason: 'alias.taken',
      alias: 'Huawei Cloud Computing',
      holder: 'Huawei Cloud Computing Co., Ltd.',
    });
    expect(await reasonOf(addAlias({ store, directory, actor: person('tom.reed'), name: '华为技术', alias: '华为技术股份有限公司', now }))).toMatchObject({ reason: 'alias.ownName' });
    expect(await reasonOf(addAlias({ store, directory, actor: person('tom.reed'), name: '华为技术', alias: '\u200b\u200b', now }))).toMatchObject({ reason: 'alias.onlyFormat' });
    expect(await db.prisma.customerAlias.count()).toBe(before);
    expect(await reasonOf(addAlias({ store, directory, actor: person('mei.lin'), name: '华为技术', alias: 'Huawei', now }))).toBe('added');
    expect(await db.prisma.customerAlias.count()).toBe(before + 1);
  });
});
