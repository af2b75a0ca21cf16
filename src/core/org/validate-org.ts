// Cross-reference rules of an org file that a schema alone cannot express: every
// reference names a real person or department, nothing is duplicated, and the
// management chain has no cycle. Pure: returns problems with their path in the file.
import { normaliseEmail, type Org } from './org.ts';
import { rosterProblems } from '../visitors/routing.ts';

export interface OrgProblem {
  path: (string | number)[];
  message: string;
}

export function validateOrg(org: Org): OrgProblem[] {
  const problems: OrgProblem[] = [];
  const personIds = new Set<string>();
  const departmentIds = new Set<string>();

  const firstSeen = (seen: Map<string, number>, key: string, index: number, path: (string | number)[], what: string) => {
    const earlier = seen.get(key);
    if (earlier !== undefined) problems.push({ path, message: `duplicate ${what} "${key}" (also on entry ${earlier})` });
    else seen.set(key, index);
  };

  const deptSeen = new Map<string, number>();
  org.departments.forEach((d, i) => {
    firstSeen(deptSeen, d.id, i, ['departments', i, 'id'], 'department id');
    departmentIds.add(d.id);
  });

  const idSeen = new Map<string, number>();
  const emailSeen = new Map<string, number>();
  const slackSeen = new Map<string, number>();
  const larkSeen = new Map<string, number>();
  org.people.forEach((p, i) => {
    firstSeen(idSeen, p.id, i, ['people', i, 'id'], 'person id');
    firstSeen(emailSeen, normaliseEmail(p.email), i, ['people', i, 'email'], 'email');
    if (p.slackId) firstSeen(slackSeen, p.slackId, i, ['people', i, 'slack'], 'Slack id');
    if (p.larkId) firstSeen(larkSeen, p.larkId, i, ['people', i, 'lark'], 'Lark id');
    personIds.add(p.id);
  });

  org.people.forEach((p, i) => {
    if (p.departmentId === '') {
      problems.push({ path: ['people', i], message: 'has no department: give it "department:" or list it in a department\'s members' });
    } else if (!departmentIds.has(p.departmentId)) {
      problems.push({ path: ['people', i, 'department'], message: `"${p.departmentId}" is not a department in this file` });
    }
    if (p.managerId !== undefined) {
      if (p.managerId === p.id) problems.push({ path: ['people', i, 'manager'], message: 'a person cannot be their own manager' });
      else if (!personIds.has(p.managerId)) {
        problems.push({ path: ['people', i, 'manager'], message: `"${p.managerId}" is not a person in this file` });
      }
    }
  });

  org.departments.forEach((d, i) => {
    if (d.headId !== undefined && !personIds.has(d.headId)) {
      problems.push({ path: ['departments', i, 'head'], message: `"${d.headId}" is not a person in this file` });
    }
    if (d.arbiterId !== undefined && !personIds.has(d.arbiterId)) {
      problems.push({ path: ['departments', i, 'arbiter'], message: `"${d.arbiterId}" is not a person in this file` });
    }
  });

  if (org.arbiterId !== undefined && !personIds.has(org.arbiterId)) {
    problems.push({ path: ['arbiter'], message: `"${org.arbiterId}" is not a person in this file` });
  }

  org.duty.forEach((slot, i) => {
    if (!personIds.has(slot.personId)) {
      problems.push({ path: ['duty', i, 'person'], message: `"${slot.personId}" is not a person in this file` });
    }
  });

  for (const p of rosterProblems(org.duty, org.workingHours.days)) problems.push({ path: p.index === undefined ? ['duty'] : ['duty', p.index], message: p.message });
  const sales = org.visitors.salesDepartment;
  if (sales !== undefined) {
    const d = org.departments.find((x) => x.id === sales);
    if (!d) problems.push({ path: ['visitors', 'salesDepartment'], message: `"${sales}" is not a department in this file` });
    else if (d.kind !== 'sales') problems.push({ path: ['visitors', 'salesDepartment'], message: `"${sales}" is a ${d.kind} department, not a sales one` });
    else if (!d.headId) problems.push({ path: ['visitors', 'salesDepartment'], message: `"${sales}" has no head to receive visitors` });
  }
  org.visitors.formerStaff.forEach((f, i) => {
    if (f.successor !== undefined && !personIds.has(f.successor)) problems.push({ path: ['visitors', 'formerStaff', i, 'successor'], message: `"${f.successor}" is not a person in this file` });
    if (org.people.some((p) => p.name === f.name)) problems.push({ path: ['visitors', 'formerStaff', i, 'name'], message: `"${f.name}" is still a person in this file` });
  });

  problems.push(...managementCycles(org));
  return problems;
}

function managementCycles(org: Org): OrgProblem[] {
  const managerOf = new Map(org.people.map((p) => [p.id, p.managerId]));
  const indexOf = new Map(org.people.map((p, i) => [p.id, i]));
  const reported = new Set<string>();
  const problems: OrgProblem[] = [];
  for (const start of org.people) {
    const chain: string[] = [];
    let current: string | undefined = start.id;
    while (current !== undefined && managerOf.has(current) && !chain.includes(current)) {
      chain.push(current);
      current = managerOf.get(current);
    }
    if (current === undefined || !chain.includes(current)) continue;
    const cycle = chain.slice(chain.indexOf(current));
    const key = [...cycle].sort().join('>');
    if (reported.has(key) || cycle.length < 2) continue;
    reported.add(key);
    problems.push({
      path: ['people', indexOf.get(cycle[0]!)!, 'manager'],
      message: `the management chain is a cycle: ${[...cycle, cycle[0]].join(' → ')}`,
    });
  }
  return problems;
}
