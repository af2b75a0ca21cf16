// The pool warning and the extension request change in place as their story moves on:
// the pure rules that say which message a change updates, to whom, and to what state.
import { describe, expect, it } from 'vitest';
import { extensionUpdate, warningUpdate } from '../../src/core/customers/pool-messages.ts';
import { releaseWarningKey } from '../../src/core/customers/pool-rules.ts';

const now = new Date('2026-12-03T02:00:00Z');
const releaseAt = new Date('2026-12-06T16:00:00Z'); // 2026-12-07 in Shanghai
const customer = { id: 'c1', name: '华为', ownerId: 'tom.reed', releaseAt };
const TZ = 'Asia/Shanghai';

describe('warningUpdate', () => {
  it('replaces the warning sent for the release day the customer had, for its owner', () => {
    const job = warningUpdate(customer, TZ, { state: 'extensionAsked', approverId: 'mei.lin' }, now)!;
    expect(job.replaces).toBe(releaseWarningKey('c1', releaseAt, TZ));
    expect(job.replaces).toBe('pool-warning:c1:2026-12-07');
    expect(job.personId).toBe('tom.reed');
    expect(job.runAt).toBe(now);
    expect(job.notice).toEqual({
      type: 'customer.releaseWarning',
      customerId: 'c1',
      customerName: '华为',
      releaseAt: releaseAt.toISOString(),
      outcome: { state: 'extensionAsked', approverId: 'mei.lin' },
    });
  });

  it('keys each change apart, so two changes of one warning are two updates', () => {
    const a = warningUpdate(customer, TZ, { state: 'extensionAsked', approverId: 'mei.lin' }, now)!;
    const b = warningUpdate(customer, TZ, { state: 'extended', byPersonId: 'mei.lin', releaseAt: '2026-12-22T16:00:00.000Z' }, now)!;
    expect(a.idempotencyKey).not.toBe(b.idempotencyKey);
    expect(b.replaces).toBe(a.replaces);
  });

  it('has nothing to update for a customer in the pool or without a release date', () => {
    expect(warningUpdate({ ...customer, ownerId: undefined }, TZ, { state: 'released', reason: 'manual' }, now)).toBeUndefined();
    expect(warningUpdate({ ...customer, releaseAt: undefined }, TZ, { state: 'released', reason: 'manual' }, now)).toBeUndefined();
  });
});

describe('extensionUpdate', () => {
  const request = { id: 'r1', customerId: 'c1', ownerId: 'tom.reed', approverId: 'mei.lin', releaseAt };
  it('replaces the approver’s request message with the decision', () => {
    const job = extensionUpdate(request, '华为', new Date('2026-12-21T16:00:00Z'), { state: 'approved', byPersonId: 'mei.lin' }, now);
    expect(job).toMatchObject({
      personId: 'mei.lin',
      replaces: 'extension:r1:asked',
      notice: { type: 'customer.extensionRequested', requestId: 'r1', customerId: 'c1', customerName: '华为', ownerId: 'tom.reed', releaseAt: releaseAt.toISOString(), until: '2026-12-21T16:00:00.000Z', outcome: { state: 'approved', byPersonId: 'mei.lin' } },
    });
  });
  it('says why a request ended without a decision', () => {
    const job = extensionUpdate(request, '华为', releaseAt, { state: 'void', why: 'released' }, now);
    expect(job.notice).toMatchObject({ outcome: { state: 'void', why: 'released' } });
  });
});
