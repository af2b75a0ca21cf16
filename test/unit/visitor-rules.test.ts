// Pure rules of front-desk visitors (issue 12): whom a visitor asked for (name, pinyin,
// initials, close spelling, mention, someone who left), the routing order with its reasons,
// the duty roster at a moment (before hours, overnight, weekends), working time on the
// Chinese calendar, the escalation ladder and its timing, the visit's state machine (each
// button, stale presses), and the org file's roster checks.
import { describe, expect, it } from 'vitest';
import { OrgFileError, parseOrgText } from '../../src/config/org-file.ts';
import { escalationDelayMs, escalationTargets, rungOf } from '../../src/core/visitors/escalation.ts';
import { matchHost } from '../../src/core/visitors/host-match.ts';
import { dutyAt, routeVisit } from '../../src/core/visitors/routing.ts';
import { applyAction, duplicateKey, reask, type ActionEnv, type Visit } from '../../src/core/visitors/visit.ts';
import { isWorkingTime } from '../../src/core/time/working-days.ts';
import { effectsOf, feedChannels, hostKey, hostPingOf, repeatHostKey } from '../../src/core/visitors/snapshot.ts';
import { AppError } from '../../src/core/errors.ts';

const ORG = (extra = '') => `company: Acme
timezone: Asia/Shanghai
departments:
  - { id: sales, name: 销售部, kind: sales, head: li.na }
  - { id: sales2, name: 华南销售部, kind: sales, head: chen.jing }
  - { id: finance, name: 财务部, kind: function, head: zhou.min }
  - { id: desk, name: 前台, kind: front-desk }
people:
  - { id: li.na, name: 李娜, email: li.na@acme.test, department: sales }
  - { id: zhang.wei, name: 张伟, email: zhang.wei@acme.test, department: sales, manager: li.na, roles: [rep], slack: U0ZHANG }
  - { id: zhang.wen, name: 张文, email: zhang.wen@acme.test, department: sales, manager: li.na, roles: [rep] }
  - { id: chen.jing, name: 陈静, email: chen.jing@acme.test, department: sales2 }
  - { id: zhou.min, name: 周敏, email: zhou.min@acme.test, department: finance }
  - { id: tom, name: Tom Reed, email: tom@acme.test, department: finance, manager: zhou.min }
  - { id: wang.fang, name: 王芳, email: wang.fang@acme.test, department: desk, roles: [front-desk] }
duty:
  - { person: wang.fang, days: [mon, tue, wed, thu, fri], from: "07:30", to: "18:00" }
  - { person: zhou.min, days: [sat, sun], from: "09:00", to: "12:00" }
  - { person: tom, days: [fri], from: "22:00", to: "06:00" }
arbiter: zhou.min
${extra}`;

const d = parseOrgText(ORG(`visitors:
  salesDepartment: sales2
  formerStaff: [{ name: 刘洋, successor: zhang.wei }, { name: 赵强 }]
`), 'org.yaml');
const settings = d.org.visitors;
/** 2026-12-02 is a Wednesday; Shanghai is UTC+8. */
const at = (local: string) => new Date(`${local}+08:00`);

describe('matchHost', () => {
  const who = (q: string) => {
    const m = matchHost(d, q, settings.formerStaff);
    return m.kind === 'person' ? `${m.person.id}/${m.how}` : m.kind === 'ambiguous' ? `?${m.candidates.map((p) => p.id).join(',')}` : m.kind === 'left' ? `left:${m.name}>${m.successor ?? ''}` : m.kind;
  };
  it('finds a person by name, id, email, pinyin, initials and a Slack mention', () => {
    expect(who('李娜')).toBe('li.na/name');
    expect(who('li.na')).toBe('li.na/id');
    expect(who('Li.Na@acme.test')).toBe('li.na/id');
    expect(who('lina')).toBe('li.na/pinyin');
    expect(who('Li Na')).toBe('li.na/pinyin');
    expect(who('cj')).toBe('chen.jing/initials');
    expect(who('<@U0ZHANG>')).toBe('zhang.wei/mention');
    expect(who('<@U0ZHANG|zhang>')).toBe('zhang.wei/mention');
    expect(who('tom reed')).toBe('tom/name');
    expect(who('Tom')).toBe('tom/name');
  });
  it('takes a close spelling, one edit in a Chinese name, a typo in pinyin', () => {
    expect(who('李那')).toBe('li.na/close');
    expect(who('chenjin')).toBe('chen.jing/close');
    expect(who('Tom Reid')).toBe('tom/close');
  });
  it('answers several candidates when a name fits more than one', () => {
    expect(who('张')).toBe('?zhang.wei,zhang.wen');
    expect(who('zw')).toBe('?zhang.wei,zhang.wen');
  });
  it('says who has left, with their successor, before guessing a close spelling', () => {
    expect(who('刘洋')).toBe('left:刘洋>zhang.wei');
    expect(who('liuyang')).toBe('left:刘洋>zhang.wei');
    expect(who('赵强')).toBe('left:赵强>');
  });
  it('knows nobody by an unknown name or an unknown mention', () => {
    expect(who('欧阳修')).toBe('unknown');
    expect(who('<@U0NOBODY>')).toBe('unknown');
    expect(who('   ')).toBe('unknown');
  });
});

describe('routeVisit', () => {
  const route = (input: Partial<Parameters<typeof routeVisit>[0]>, now = at('2026-12-02T10:00:00')) => routeVisit({ directory: d, settings, now, ...input });
  const ids = (r: ReturnType<typeof routeVisit>) => r.candidates.map((c) => `${c.personId}:${c.reason.kind}`);

  it('puts the announcer of an expected visit first, then the named person, the owner, duty, the sales head, the arbiter', () => {
    const r = route({ expected: { personId: 'tom' }, named: matchHost(d, '张伟'), owner: { personId: 'zhang.wen', customerName: '华为技术', since: new Date('2026-03-05T02:00:00Z') } });
    expect(ids(r)).toEqual(['tom:expected', 'zhang.wei:named', 'zhang.wen:owner', 'wang.fang:duty', 'chen.jing:salesHead', 'zhou.min:arbiter']);
    expect(r.candidates[2]!.reason).toEqual({ kind: 'owner', customerName: '华为技术', since: '2026-03-05T02:00:00.000Z' });
  });
  it('lists each person once, at their best reason', () => {
    const r = route({ named: matchHost(d, '陈静'), owner: { personId: 'chen.jing', customerName: 'X' } });
    expect(ids(r)).toEqual(['chen.jing:named', 'wang.fang:duty', 'zhou.min:arbiter']);
  });
  it('asks the reporter to pick among several named candidates, keeping the rest as fallbacks', () => {
    const r = route({ named: matchHost(d, '张') });
    expect(r.choose?.map((p) => p.id)).toEqual(['zhang.wei', 'zhang.wen']);
    expect(ids(r)).toEqual(['wang.fang:duty', 'chen.jing:salesHead', 'zhou.min:arbiter']);
  });
  it('says the named person left and routes to the successor, or on', () => {
    const left = route({ named: matchHost(d, '刘洋', settings.formerStaff) });
    expect(left.namedProblem).toEqual({ kind: 'left', name: '刘洋', successor: 'zhang.wei' });
    expect(ids(left)[0]).toBe('zhang.wei:named');
    const gone = route({ named: matchHost(d, '赵强', settings.formerStaff), owner: { personId: 'zhang.wen', customerName: 'X' } });
    expect(ids(gone)[0]).toBe('zhang.wen:owner');
    expect(route({ named: matchHost(d, '欧阳修') }).namedProblem).toEqual({ kind: 'unknown' });
  });
  it('finds who is on duty before office hours, overnight and at the weekend, and nobody in a gap', () => {
    expect(ids(route({}, at('2026-12-02T07:45:00')))[0]).toBe('wang.fang:duty');
    expect(ids(route({}, at('2026-12-05T10:00:00')))[0]).toBe('zhou.min:duty'); // Saturday
    expect(ids(route({}, at('2026-12-05T03:00:00')))[0]).toBe('tom:duty'); // Friday night's slot, after midnight
    expect(ids(route({}, at('2026-12-04T23:00:00')))[0]).toBe('tom:duty');
    expect(ids(route({}, at('2026-12-02T19:00:00')))).toEqual(['chen.jing:salesHead', 'zhou.min:arbiter']); // a gap right now
    expect(dutyAt(d.org.duty, 'Asia/Shanghai', at('2026-12-02T18:00:00'))).toEqual([]);
  });
  it('without a sales department marked, takes the first sales department with a head', () => {
    const plain = parseOrgText(ORG(), 'org.yaml');
    expect(routeVisit({ directory: plain, settings: plain.org.visitors, now: at('2026-12-02T20:00:00') }).candidates.map((c) => c.personId)).toEqual(['li.na', 'zhou.min']);
  });
});

describe('working time and escalation timing', () => {
  it('reads working hours in the org zone on the Chinese calendar', () => {
    expect(isWorkingTime(at('2026-12-02T09:00:00'), d.org)).toBe(true);
    expect(isWorkingTime(at('2026-12-02T08:59:00'), d.org)).toBe(false);
    expect(isWorkingTime(at('2026-12-02T18:00:00'), d.org)).toBe(false);
    expect(isWorkingTime(at('2026-12-05T10:00:00'), d.org)).toBe(false); // Saturday
    expect(isWorkingTime(at('2026-10-01T10:00:00'), d.org)).toBe(false); // National Day
    expect(isWorkingTime(at('2026-10-10T10:00:00'), d.org)).toBe(true); // make-up Saturday
  });
  it('waits 3 minutes in working hours and 1 outside them (org file overrides)', () => {
    expect(escalationDelayMs(d, settings, at('2026-12-02T10:00:00'))).toBe(180_000);
    expect(escalationDelayMs(d, settings, at('2026-12-02T07:40:00'))).toBe(60_000);
    const quick = parseOrgText(ORG('visitors: { escalation: { workingMinutes: 2, outsideMinutes: 0.5 } }'), 'org.yaml');
    expect(escalationDelayMs(quick, quick.org.visitors, at('2026-12-02T10:00:00'))).toBe(120_000);
    expect(escalationDelayMs(quick, quick.org.visitors, at('2026-12-06T10:00:00'))).toBe(30_000);
  });
  it('repeats the ping with the manager and the person on duty, then the head, then again from the top', () => {
    expect([1, 2, 3, 4].map(rungOf)).toEqual(['repeat', 'head', 'repeat', 'head']);
    const now = at('2026-12-02T10:00:00');
    expect(escalationTargets(d, 'zhang.wei', 1, now)).toEqual({ host: 'zhang.wei', others: [{ personId: 'li.na', role: 'manager' }, { personId: 'wang.fang', role: 'duty' }] });
    expect(escalationTargets(d, 'zhang.wei', 2, now)).toEqual({ others: [{ personId: 'li.na', role: 'head' }] });
    // The head hosts: nobody above in the department, the arbiter is told.
    expect(escalationTargets(d, 'li.na', 2, now)).toEqual({ others: [{ personId: 'zhou.min', role: 'arbiter' }] });
    // The person on duty is the host: not told twice.
    expect(escalationTargets(d, 'wang.fang', 1, now).others).toEqual([]);
  });
});

describe('the visit state machine', () => {
  const now = at('2026-12-02T10:00:00');
  const env: ActionEnv = { now, delayMs: 180_000, isPerson: (id) => !!d.person(id), nameOf: (id) => d.person(id)?.name ?? id, timeOf: (x) => x.toISOString().slice(11, 16) };
  const base: Visit = {
    id: 'v1', reporterId: 'wang.fang', company: '华为', companyKey: '华为', headcount: 2, status: 'notified', hostId: 'zhang.wei', hostReason: { kind: 'named' },
    candidates: [{ personId: 'wang.fang', reason: { kind: 'duty', from: '07:30', to: '18:00' } }, { personId: 'chen.jing', reason: { kind: 'salesHead', department: 'x' } }],
    choose: [], told: ['li.na'], version: 1, step: 0, createdAt: new Date(now.getTime() - 60_000),
  };
  const refused = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as AppError).details.reason;
    }
    return 'accepted';
  };

  it('"Coming now" takes charge once and counts it', () => {
    const t = applyAction(base, { kind: 'coming' }, 'zhang.wei', 1, env);
    expect(t.visit).toMatchObject({ status: 'coming', takenById: 'zhang.wei', takenAt: now, version: 2 });
    expect(t.tookCharge).toBe(true);
    expect(t.nextCheckAt).toBeUndefined();
  });
  it('a second or stale press is refused naming who handled it and when', () => {
    const t = applyAction(base, { kind: 'coming' }, 'zhang.wei', 1, env);
    try {
      applyAction(t.visit, { kind: 'notMe' }, 'zhang.wei', 1, env);
      expect.unreachable();
    } catch (e) {
      expect((e as AppError).details).toEqual({ reason: 'visitor.alreadyHandled', by: '张伟', at: '02:00' });
    }
  });
  it('"wait N minutes" sets a check at the end of the wait; then the host is asked again', () => {
    const t = applyAction(base, { kind: 'wait', minutes: 10 }, 'zhang.wei', 1, env);
    expect(t.visit).toMatchObject({ status: 'delayed', waitMinutes: 10 });
    expect(t.nextCheckAt).toEqual(new Date(now.getTime() + 600_000));
    const again = reask(t.visit, t.nextCheckAt!, 60_000);
    expect(again.pingHost).toEqual({ personId: 'zhang.wei', repeat: true });
    expect(again.visit).toMatchObject({ status: 'notified', step: 0, version: 3 });
    expect(refused(() => applyAction(base, { kind: 'wait', minutes: 7 }, 'zhang.wei', 1, env))).toBe('visitor.badWait');
  });
  it('"Hand to a colleague" routes to them first, with the same clock; not to oneself or a stranger', () => {
    const t = applyAction(base, { kind: 'hand', toPersonId: 'tom' }, 'zhang.wei', 1, env);
    expect(t.visit).toMatchObject({ hostId: 'tom', hostReason: { kind: 'handedOver', byPersonId: 'zhang.wei' }, createdAt: base.createdAt, told: [] });
    expect(t.pingHost).toEqual({ personId: 'tom', repeat: false });
    expect(refused(() => applyAction(base, { kind: 'hand', toPersonId: 'zhang.wei' }, 'zhang.wei', 1, env))).toBe('visitor.badColleague');
    expect(refused(() => applyAction(base, { kind: 'hand', toPersonId: 'ghost' }, 'zhang.wei', 1, env))).toBe('visitor.badColleague');
  });
  it('"Not for me" goes on to the next candidate, and says so when nobody is left', () => {
    const t = applyAction(base, { kind: 'notMe' }, 'zhang.wei', 1, env);
    expect(t.visit.hostId).toBe('wang.fang');
    expect(t.visit.candidates.map((c) => c.personId)).toEqual(['chen.jing']);
    const last = applyAction({ ...base, candidates: [] }, { kind: 'notMe' }, 'zhang.wei', 1, env);
    expect(last.exhausted).toBe(true);
    expect(last.visit.hostId).toBeUndefined();
  });
  it('only the host presses the host buttons; someone told in an escalation may take it', () => {
    expect(refused(() => applyAction(base, { kind: 'coming' }, 'tom', 1, env))).toBe('visitor.notHost');
    const t = applyAction(base, { kind: 'coming' }, 'li.na', 1, env);
    expect(t.visit).toMatchObject({ hostId: 'li.na', takenById: 'li.na', hostReason: { kind: 'handedOver', byPersonId: 'zhang.wei' } });
    expect(refused(() => applyAction(base, { kind: 'notMe' }, 'li.na', 1, env))).toBe('visitor.notHost');
  });
  it('the reporter picks among candidates or routes on; closes the visit', () => {
    const choosing: Visit = { ...base, status: 'choosing', hostId: undefined, choose: ['zhang.wei', 'zhang.wen'] };
    expect(applyAction(choosing, { kind: 'pick', personId: 'zhang.wen' }, 'wang.fang', 1, env).visit).toMatchObject({ hostId: 'zhang.wen', hostReason: { kind: 'picked' } });
    expect(applyAction(choosing, { kind: 'pick' }, 'wang.fang', 1, env).visit.hostId).toBe('wang.fang');
    expect(refused(() => applyAction(choosing, { kind: 'pick', personId: 'tom' }, 'wang.fang', 1, env))).toBe('visitor.notCandidate');
    expect(refused(() => applyAction(choosing, { kind: 'pick', personId: 'zhang.wen' }, 'zhang.wei', 1, env))).toBe('visitor.notYours');
    expect(applyAction(base, { kind: 'close' }, 'wang.fang', 1, env).visit).toMatchObject({ status: 'closed', closedAt: now });
    expect(refused(() => applyAction(base, { kind: 'close' }, 'tom', 1, env))).toBe('visitor.notYours');
  });
  it('the same report within ten minutes has one duplicate key', () => {
    const a = duplicateKey('wang.fang', '华为', '张先生', at('2026-12-02T10:00:30'));
    expect(duplicateKey('wang.fang', '华为', ' 张先生 ', at('2026-12-02T10:01:00'))).toBe(a);
    expect(duplicateKey('wang.fang', '华为', '李先生', at('2026-12-02T10:01:00'))).not.toBe(a);
    expect(duplicateKey('li.na', '华为', '张先生', at('2026-12-02T10:01:00'))).not.toBe(a);
  });
});

describe("the front desk's feed and the host's pings", () => {
  const now = at('2026-12-02T10:00:00');
  const withChannel = parseOrgText(ORG().replace('{ id: desk, name: 前台, kind: front-desk }', '{ id: desk, name: 前台, kind: front-desk, channel: { slack: C0DESK, lark: oc_desk } }'), 'org.yaml');
  const visit: Visit = {
    id: 'v9', reporterId: 'wang.fang', company: '华为', companyKey: '华为', headcount: 1, phone: '13800138000', status: 'notified', hostId: 'zhang.wei', hostReason: { kind: 'named' },
    candidates: [], choose: [], told: [], version: 3, step: 1, createdAt: now,
  };
  it("is the front-desk departments' channels, each platform set; none without one", () => {
    expect(feedChannels(withChannel)).toEqual([{ platform: 'slack', id: 'C0DESK' }, { platform: 'lark', id: 'oc_desk' }]);
    expect(feedChannels(d)).toEqual([]);
  });
  it('sends the feed once per channel, then replaces it in place, never with the phone', () => {
    const channels = feedChannels(withChannel);
    const first = effectsOf({ visit, pingHost: { personId: 'zhang.wei', repeat: false } }, now, channels, true).notices;
    const feed = first.filter((n) => 'channel' in n);
    expect(feed.map((n) => [n.idempotencyKey, n.replaces])).toEqual([['visit:v9:feed:slack:C0DESK', undefined], ['visit:v9:feed:lark:oc_desk', undefined]]);
    expect(JSON.stringify(feed)).not.toContain('13800138000');
    // The reporter's status and the host's DM keep the phone.
    expect(JSON.stringify(first.filter((n) => !('channel' in n)))).toContain('13800138000');
    const later = effectsOf({ visit: { ...visit, version: 4 } }, now, channels).notices.filter((n) => 'channel' in n);
    expect(later.map((n) => n.replaces)).toEqual(['visit:v9:feed:slack:C0DESK', 'visit:v9:feed:lark:oc_desk']);
  });
  it("knows a host ping's visit and version from its key (a read receipt), and nothing else", () => {
    expect(hostPingOf(hostKey('v9', 3))).toEqual({ visitId: 'v9', version: 3 });
    expect(hostPingOf(repeatHostKey('v9', 3, 2))).toEqual({ visitId: 'v9', version: 3 });
    expect(hostPingOf('visit:v9:status')).toBeUndefined();
    expect(hostPingOf('visit:v9:feed:lark:oc_desk')).toBeUndefined();
    expect(hostPingOf('visit:v9:v3:s1:li.na')).toBeUndefined();
  });
  it('forgets that the ping was seen when the visit goes to a new host', () => {
    const seen: Visit = { ...visit, seenAt: now, candidates: [{ personId: 'li.na', reason: { kind: 'named' } }] };
    const env: ActionEnv = { now, delayMs: 180_000, isPerson: (id) => !!d.person(id), nameOf: (id) => id, timeOf: () => '10:00' };
    expect(applyAction(seen, { kind: 'notMe' }, 'zhang.wei', 3, env).visit.seenAt).toBeUndefined();
  });
});

describe('the org file: roster and visitor settings', () => {
  const problems = (text: string) => {
    try {
      parseOrgText(text, 'org.yaml');
      return [];
    } catch (e) {
      return (e as OrgFileError).problems;
    }
  };
  it('refuses a duty person who does not exist, an empty slot, a gap of days', () => {
    expect(problems(ORG().replace('person: tom,', 'person: ghost,')).join('\n')).toContain('duty[2].person');
    expect(problems(ORG().replace('from: "09:00", to: "12:00"', 'from: "09:00", to: "09:00"')).join('\n')).toContain('lasts no time');
    expect(problems(ORG().replace('days: [mon, tue, wed, thu, fri], from: "07:30"', 'days: [mon, tue], from: "07:30"')).join('\n')).toContain('wed, thu');
  });
  it('refuses an escalation that cannot work and a sales department that is not one', () => {
    expect(problems(ORG('visitors: { escalation: { workingMinutes: 0 } }')).join('\n')).toContain('visitors.escalation.workingMinutes');
    expect(problems(ORG('visitors: { salesDepartment: finance }')).join('\n')).toContain('not a sales one');
    expect(problems(ORG('visitors: { salesDepartment: nowhere }')).join('\n')).toContain('not a department');
    expect(problems(ORG('visitors: { formerStaff: [{ name: 李娜 }] }')).join('\n')).toContain('still a person');
    expect(problems(ORG('visitors: { formerStaff: [{ name: X, successor: ghost }] }')).join('\n')).toContain('successor');
  });
  it('defaults to 3 / 1 minutes and 180 days', () => {
    expect(parseOrgText(ORG(), 'org.yaml').org.visitors).toMatchObject({ escalation: { workingMinutes: 3, outsideMinutes: 1 }, retentionDays: 180, formerStaff: [] });
  });
});
