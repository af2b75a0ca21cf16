// Where a leaver's open requests go when their handover starts (issue 14 point 5). Pure.
// Assigned to them: back to the service's assignment rule (assignment.ts), the leaver
// skipped like someone away for good, the rotation continuing from one moved request to
// the next; nobody but the leaver to take it leaves it where it is (no assignee found).
// Made by them: they follow the successor of the handed-over customer they name; the
// others go to the leaver's manager line (their manager, else whoever started it).
// Waiting for the leaver's approval as a manager: the same manager line approves instead.
import type { Department } from '../org/org.ts';
import { chooseAssignee, type AwayPeriod } from '../requests/assignment.ts';
import type { AssignRule } from '../requests/catalog.ts';

export interface LeaverRequestInput {
  leaverId: string;
  assigned: readonly { id: string; number: number; serviceKey: string; departmentId: string }[];
  made: readonly { id: string; number: number; customerId?: string }[];
  /** Submitted requests of the leaver's reports that wait for the leaver's approval. */
  awaitingApproval?: readonly { id: string; number: number }[];
  /** Handed-over customer → its successor. */
  successorOf: ReadonlyMap<string, string>;
  /** The service's rule; undefined when the catalog no longer has it (the head then). */
  ruleOf: (serviceKey: string) => AssignRule | undefined;
  department: (id: string) => Pick<Department, 'id' | 'headId' | 'memberIds'> | undefined;
  /** Who each service's previous request went to. */
  lastAssignee: ReadonlyMap<string, string | undefined>;
  away: readonly AwayPeriod[];
  day: string;
  /** The leaver's manager, else whoever started the handover: the new requester of what they made, the new approver. */
  fallbackRequesterId: string;
}

export interface LeaverRequestRoutes {
  reassigned: { requestId: string; number: number; departmentId: string; toPersonId: string | undefined }[];
  follow: { requestId: string; number: number; toPersonId: string }[];
  stay: { requestId: string; number: number; toPersonId: string }[];
  /** Waiting for the leaver's approval: approved (or declined) by `toPersonId` instead. */
  approvals: { requestId: string; number: number; toPersonId: string }[];
}

const FOREVER = { from: '0000-01-01', to: '9999-12-31' };

export function routeLeaverRequests(i: LeaverRequestInput): LeaverRequestRoutes {
  const away: AwayPeriod[] = [...i.away, { personId: i.leaverId, ...FOREVER }];
  const last = new Map(i.lastAssignee);
  const reassigned = i.assigned.map((r) => {
    const department = i.department(r.departmentId);
    let to: string | undefined;
    if (department) {
      to = chooseAssignee({ rule: i.ruleOf(r.serviceKey) ?? { rule: 'head' }, department, lastAssigneeId: last.get(r.serviceKey), away, day: i.day });
      if (to === i.leaverId) to = undefined;
      if (to) last.set(r.serviceKey, to);
    }
    return { requestId: r.id, number: r.number, departmentId: r.departmentId, toPersonId: to };
  });
  const follow: LeaverRequestRoutes['follow'] = [];
  const stay: LeaverRequestRoutes['stay'] = [];
  for (const r of i.made) {
    const successor = r.customerId ? i.successorOf.get(r.customerId) : undefined;
    if (successor) follow.push({ requestId: r.id, number: r.number, toPersonId: successor });
    else stay.push({ requestId: r.id, number: r.number, toPersonId: i.fallbackRequesterId });
  }
  const approvals = (i.awaitingApproval ?? []).map((r) => ({ requestId: r.id, number: r.number, toPersonId: i.fallbackRequesterId }));
  return { reassigned, follow, stay, approvals };
}
