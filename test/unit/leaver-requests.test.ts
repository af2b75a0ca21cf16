// The rule for a leaver's open requests when their handover starts (issue 14 point 5):
// assigned ones go back to their service's assignment rule without the leaver; the ones
// they made follow the successor of the customer they name, else the leaver's manager.
import { describe, expect, it } from 'vitest';
import { routeLeaverRequests, type LeaverRequestInput } from '../../src/core/handovers/leaver-requests.ts';

const support = { id: 'support', headId: 'hana', memberIds: ['hana', 'ann', 'leo', 'mia'] };
const base = (over: Partial<LeaverRequestInput> = {}): LeaverRequestInput => ({
  leaverId: 'leo',
  assigned: [],
  made: [],
  successorOf: new Map(),
  ruleOf: () => ({ rule: 'rotation' }),
  department: (id) => (id === 'support' ? support : undefined),
  lastAssignee: new Map(),
  away: [],
  day: '2026-12-03',
  fallbackRequesterId: 'boss',
  ...over,
});

describe('routeLeaverRequests', () => {
  it('sends an assigned request back to rotation, skipping the leaver and anyone away', () => {
    const r = routeLeaverRequests(base({
      assigned: [{ id: 'r1', number: 1, serviceKey: 'laptop', departmentId: 'support' }],
      lastAssignee: new Map([['laptop', 'ann']]),
      away: [{ personId: 'mia', from: '2026-12-01', to: '2026-12-05' }],
    }));
    // After ann comes leo (leaving), then mia (away): back round to ann.
    expect(r.reassigned).toEqual([{ requestId: 'r1', number: 1, departmentId: 'support', toPersonId: 'ann' }]);
  });

  it('continues the rotation from one moved request to the next of the same service', () => {
    const r = routeLeaverRequests(base({
      assigned: [
        { id: 'r1', number: 1, serviceKey: 'laptop', departmentId: 'support' },
        { id: 'r2', number: 2, serviceKey: 'laptop', departmentId: 'support' },
      ],
      lastAssignee: new Map([['laptop', 'leo']]),
    }));
    expect(r.reassigned.map((x) => x.toPersonId)).toEqual(['mia', 'ann']);
  });

  it('a fixed person who is the leaver, and the head rule, go to the head', () => {
    const r = routeLeaverRequests(base({
      assigned: [
        { id: 'r1', number: 1, serviceKey: 'fixed', departmentId: 'support' },
        { id: 'r2', number: 2, serviceKey: 'head', departmentId: 'support' },
      ],
      ruleOf: (key) => (key === 'fixed' ? { rule: 'person', person: 'leo' } : { rule: 'head' }),
    }));
    expect(r.reassigned.map((x) => x.toPersonId)).toEqual(['hana', 'hana']);
  });

  it('nobody but the leaver to take it: left unmoved, marked with no assignee', () => {
    const r = routeLeaverRequests(base({
      leaverId: 'hana',
      assigned: [{ id: 'r1', number: 1, serviceKey: 'head', departmentId: 'support' }],
      ruleOf: () => ({ rule: 'head' }),
    }));
    expect(r.reassigned).toEqual([{ requestId: 'r1', number: 1, departmentId: 'support', toPersonId: undefined }]);
  });

  it('a service gone from the catalog goes by the head rule', () => {
    const r = routeLeaverRequests(base({ assigned: [{ id: 'r1', number: 1, serviceKey: 'gone', departmentId: 'support' }], ruleOf: () => undefined }));
    expect(r.reassigned[0]!.toPersonId).toBe('hana');
  });

  it('requests the leaver made follow the successor of the customer they name, else the manager', () => {
    const r = routeLeaverRequests(base({
      made: [
        { id: 'm1', number: 7, customerId: 'c1' },
        { id: 'm2', number: 8, customerId: 'c-not-handed' },
        { id: 'm3', number: 9 },
      ],
      successorOf: new Map([['c1', 'sam']]),
    }));
    expect(r.follow).toEqual([{ requestId: 'm1', number: 7, toPersonId: 'sam' }]);
    expect(r.stay).toEqual([
      { requestId: 'm2', number: 8, toPersonId: 'boss' },
      { requestId: 'm3', number: 9, toPersonId: 'boss' },
    ]);
  });

  it('requests waiting for the leaver’s approval as a manager go to the leaver’s own manager, who approves them instead', () => {
    const r = routeLeaverRequests(base({ awaitingApproval: [{ id: 'a1', number: 11 }, { id: 'a2', number: 12 }] }));
    expect(r.approvals).toEqual([
      { requestId: 'a1', number: 11, toPersonId: 'boss' },
      { requestId: 'a2', number: 12, toPersonId: 'boss' },
    ]);
    expect(routeLeaverRequests(base()).approvals).toEqual([]);
  });
});
