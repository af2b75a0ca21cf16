// Pure rules of arbitration and the pool sweep: who decides a contest and who approves an
// extension (never a party), the owner's registration time from the history, and which
// customers the sweep warns or releases at a given time.
import { describe, expect, it } from 'vitest';
import { chooseApprover, chooseArbiter, ownerSince } from '../../src/core/customers/arbitration.ts';
import type { OwnershipEvent } from '../../src/core/customers/customer.ts';
import { DEFAULT_POOL_RULES, extendedReleaseAt, poolDue, releaseWarningKey, sweepHorizon } from '../../src/core/customers/pool-rules.ts';
import { OrgFileError, parseOrgText } from '../../src/config/org-file.ts';

const org = (extra = '', salesExtra = '') => `company: Acme
${extra}
departments:
  - { id: sales, name: Sales, kind: sales, head: head${salesExtra} }
  - { id: ops, name: Ops, kind: function }
people:
  - { id: head, name: Head, email: head@acme.test, department: sales }
  - { id: boss, name: Boss, email: boss@acme.test, department: sales, manager: head }
  - { id: ann, name: Ann, email: ann@acme.test, department: sales, manager: boss, roles: [rep] }
  - { id: bob, name: Bob, email: bob@acme.test, department: sales, manager: boss, roles: [rep] }
  - { id: cfo, name: Cfo, email: cfo@acme.test, department: ops }
  - { id: loner, name: Loner, email: loner@acme.test, department: ops, roles: [rep] }
`;

describe('chooseArbiter', () => {
  const d = parseOrgText(org(), 'org.yaml');

  it("sends a contest to the owner's manager", () => {
    expect(chooseArbiter(d, 'ann', 'bob')?.id).toBe('boss');
  });

  it('skips a manager who is a party: the department head decides', () => {
    expect(chooseArbiter(d, 'ann', 'boss')?.id).toBe('head');
  });

  it('goes to the department head when the owner has no manager, but never to the owner', () => {
    expect(chooseArbiter(d, 'boss', 'ann')?.id).toBe('head');
    expect(chooseArbiter(d, 'head', 'ann')).toBeUndefined();
  });

  it('uses the org-wide arbiter when nobody in the line is impartial, and nobody otherwise', () => {
    expect(chooseArbiter(parseOrgText(org('arbiter: cfo'), 'org.yaml'), 'head', 'ann')?.id).toBe('cfo');
    expect(chooseArbiter(d, 'loner', 'ann')).toBeUndefined();
  });

  it("prefers the department's configured arbiter over the hierarchy", () => {
    expect(chooseArbiter(parseOrgText(org('', ', arbiter: cfo'), 'org.yaml'), 'ann', 'bob')?.id).toBe('cfo');
  });

  it('refuses an arbiter who is not a person in the org file', () => {
    try {
      parseOrgText(org('arbiter: nobody', ', arbiter: ghost'), 'org.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(OrgFileError);
      expect((e as OrgFileError).problems.join('\n')).toMatch(/departments\[0\]\.arbiter.*"ghost" is not a person[\s\S]*arbiter.*"nobody" is not a person/);
    }
  });
});

describe('chooseApprover', () => {
  const d = parseOrgText(org('arbiter: cfo'), 'org.yaml');
  it("asks the owner's manager, else the department head, else the arbiter; never the owner", () => {
    expect(chooseApprover(d, 'ann')?.id).toBe('boss');
    expect(chooseApprover(d, 'boss')?.id).toBe('head');
    expect(chooseApprover(d, 'head')?.id).toBe('cfo');
    expect(chooseApprover(parseOrgText(org(), 'org.yaml'), 'loner')).toBeUndefined();
  });
});

describe('ownerSince', () => {
  const at = (day: number) => new Date(Date.UTC(2026, 10, day));
  it('is when the current owner last gained the customer', () => {
    const history: OwnershipEvent[] = [
      { kind: 'claim', toPersonId: 'ann', at: at(1) },
      { kind: 'release', fromPersonId: 'ann', at: at(5) },
      { kind: 'pool_claim', toPersonId: 'ann', at: at(9) },
      { kind: 'keep', fromPersonId: 'bob', toPersonId: 'ann', at: at(12) },
    ];
    expect(ownerSince(history, 'ann')).toEqual(at(9));
    expect(ownerSince(history, 'bob')).toBeUndefined();
  });
});

describe('pool sweep rules', () => {
  const rules = DEFAULT_POOL_RULES; // stage 0: 30 days, warning 5 days, extension 15 days
  const DAY = 86_400_000;
  const claimed = new Date('2026-10-01T02:00:00Z');
  const releaseAt = new Date(claimed.getTime() + 30 * DAY);
  const owned = { ownerId: 'ann', lost: false, releaseAt };
  const dayAfterClaim = (n: number) => new Date(claimed.getTime() + n * DAY);

  it('releases a customer claimed 31 days ago without a follow-up', () => {
    expect(poolDue(rules, owned, dayAfterClaim(31))).toBe('release');
    expect(poolDue(rules, owned, releaseAt)).toBe('release');
  });

  it('warns within warningDays of the release, not before', () => {
    expect(poolDue(rules, owned, dayAfterClaim(26))).toBe('warn');
    expect(poolDue(rules, owned, dayAfterClaim(25))).toBe('warn');
    expect(poolDue(rules, owned, dayAfterClaim(24))).toBe('none');
  });

  it('leaves pool, lost and extended customers alone', () => {
    expect(poolDue(rules, { lost: false, releaseAt }, dayAfterClaim(40))).toBe('none');
    expect(poolDue(rules, { ...owned, lost: true }, dayAfterClaim(40))).toBe('none');
    const until = extendedReleaseAt(rules, releaseAt);
    expect(until).toEqual(dayAfterClaim(45));
    expect(poolDue(rules, { ...owned, extendedUntil: until }, dayAfterClaim(31))).toBe('none');
    expect(poolDue(rules, { ...owned, extendedUntil: until }, dayAfterClaim(41))).toBe('warn');
  });

  it('looks warningDays ahead, and keys a warning by the release day in the org time zone', () => {
    expect(sweepHorizon(rules, claimed)).toEqual(dayAfterClaim(5));
    // 17:00 UTC is already the next day in Shanghai.
    expect(releaseWarningKey('c1', new Date('2026-10-31T17:00:00Z'), 'Asia/Shanghai')).toBe('pool-warning:c1:2026-11-01');
    expect(releaseWarningKey('c1', new Date('2026-10-31T17:00:00Z'), 'UTC')).toBe('pool-warning:c1:2026-10-31');
  });
});
