// Who gets a new request (core/requests/assignment.ts): the head, a fixed person, or the next
// member in rotation, skipping anyone away that day; nobody available falls to the head.
import { describe, expect, it } from 'vitest';
import { chooseAssignee, isAway } from '../../src/core/requests/assignment.ts';

const legal = { id: 'legal', headId: 'boss', memberIds: ['boss', 'ann', 'bob', 'cat'] };
const away = [{ personId: 'bob', from: '2026-10-08', to: '2026-10-09' }];

describe('chooseAssignee', () => {
  it('rotates among the members after the last one, skipping the head and anyone away', () => {
    expect(chooseAssignee({ rule: { rule: 'rotation' }, department: legal, lastAssigneeId: undefined, away: [], day: '2026-10-08' })).toBe('ann');
    expect(chooseAssignee({ rule: { rule: 'rotation' }, department: legal, lastAssigneeId: 'ann', away: [], day: '2026-10-08' })).toBe('bob');
    expect(chooseAssignee({ rule: { rule: 'rotation' }, department: legal, lastAssigneeId: 'ann', away, day: '2026-10-08' })).toBe('cat');
    expect(chooseAssignee({ rule: { rule: 'rotation' }, department: legal, lastAssigneeId: 'cat', away, day: '2026-10-09' })).toBe('ann');
    // Back after the away period.
    expect(chooseAssignee({ rule: { rule: 'rotation' }, department: legal, lastAssigneeId: 'ann', away, day: '2026-10-10' })).toBe('bob');
  });

  it('gives the head what nobody else can take', () => {
    const allAway = ['ann', 'bob', 'cat'].map((personId) => ({ personId, from: '2026-10-01', to: '2026-10-31' }));
    expect(chooseAssignee({ rule: { rule: 'rotation' }, department: legal, lastAssigneeId: 'ann', away: allAway, day: '2026-10-08' })).toBe('boss');
    expect(chooseAssignee({ rule: { rule: 'person', person: 'bob' }, department: legal, lastAssigneeId: undefined, away, day: '2026-10-08' })).toBe('boss');
    expect(chooseAssignee({ rule: { rule: 'person', person: 'bob' }, department: legal, lastAssigneeId: undefined, away, day: '2026-10-12' })).toBe('bob');
    expect(chooseAssignee({ rule: { rule: 'head' }, department: legal, lastAssigneeId: undefined, away: [], day: '2026-10-08' })).toBe('boss');
    expect(chooseAssignee({ rule: { rule: 'rotation' }, department: { id: 'x', memberIds: [] }, lastAssigneeId: undefined, away: [], day: '2026-10-08' })).toBeUndefined();
  });

  it('reads away periods inclusively', () => {
    expect([isAway(away, 'bob', '2026-10-07'), isAway(away, 'bob', '2026-10-08'), isAway(away, 'bob', '2026-10-09'), isAway(away, 'ann', '2026-10-08')]).toEqual([false, true, true, false]);
  });
});
