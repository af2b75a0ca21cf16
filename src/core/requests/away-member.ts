// Use case: `away <from> <to>` / 请假 — a member marks themselves away. Rotation skips
// them on those days (assignment.ts); their department head is offered their open
// requests, each with a Reassign button, in the same transaction as the absence.
import type { NoticeJob } from '../notices.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import type { RequestStore } from './request.ts';

export interface AwayMemberOptions {
  requests: RequestStore;
  directory: OrgDirectory;
  person: Person;
  /** YYYY-MM-DD, both included. */
  from: string;
  to: string;
  now: Date;
}

/** Records the absence; answers how many open requests the head was offered. */
export async function awayMember(o: AwayMemberOptions): Promise<number> {
  const open = await o.requests.openAssignedTo(o.person.id);
  const notices: NoticeJob[] = [];
  const details = await Promise.all(open.map((r) => o.requests.get(r.id)));
  const byHead = new Map<string, { requestId: string; number: number; version: number; serviceName: { en: string; 'zh-CN': string } }[]>();
  for (const r of details) {
    if (!r) continue;
    const head = o.directory.department(r.departmentId)?.headId;
    if (!head || head === o.person.id) continue;
    byHead.set(head, [...(byHead.get(head) ?? []), { requestId: r.id, number: r.number, version: r.version, serviceName: r.display.serviceName }]);
  }
  for (const [head, requests] of byHead) {
    notices.push({ personId: head, notice: { type: 'request.away', personId: o.person.id, from: o.from, to: o.to, requests }, idempotencyKey: `request:away:${o.person.id}:${o.from}:${o.to}:${head}`, runAt: o.now });
  }
  await o.requests.addAway({ personId: o.person.id, from: o.from, to: o.to, at: o.now }, notices);
  return [...byHead.values()].reduce((n, l) => n + l.length, 0);
}
