// Use case: the org file noticed — someone removed from it, or past their `left:` day, who
// still owns customers, hosts expected visits, decides open contests, holds open requests
// or sits on the duty roster, and is in no open handover: the person who should act (their
// manager, else the department head, else the org's arbiter, else an admin) is told once,
// with the command that shows the plan. Run every few minutes, so an edit is noticed at once.
import type { NoticeJob, NoticeOutbox } from '../notices.ts';
import type { OrgDirectory } from '../org/org.ts';
import type { HandoverStore } from './handover.ts';
import { orgToday } from './plan-handover.ts';
import { leaverContact } from './successors.ts';

export async function noticeLeavers(options: { store: HandoverStore; outbox: NoticeOutbox; directory: OrgDirectory; now: Date }): Promise<number> {
  const { store, directory, now } = options;
  const today = orgToday(directory, now);
  const open = new Set((await store.listOpen()).map((h) => h.leaverId));
  // Everything a gone person may still hold: customers, expected visits, contests to decide, duty slots, open requests assigned.
  const held = new Map<string, { count: number; visits: number; contests: number; duty: number; requests: number }>();
  const of = (id: string) => held.get(id) ?? held.set(id, { count: 0, visits: 0, contests: 0, duty: 0, requests: 0 }).get(id)!;
  for (const { ownerId, count } of await store.owners()) of(ownerId).count += count;
  for (const w of await store.openWork(today)) Object.assign(of(w.personId), { visits: w.visits, contests: w.contests, requests: w.requests });
  for (const d of directory.org.duty) of(d.personId).duty++;
  const notices: NoticeJob[] = [];
  for (const [personId, work] of held) {
    if (open.has(personId) || !directory.isGone(personId, today)) continue;
    // Removed from the file: the line the file last gave them (the person records).
    const leaver = directory.person(personId) ?? directory.formerPerson(personId);
    const contact = leaverContact(directory, { managerId: leaver?.managerId, departmentId: leaver?.departmentId }) ?? directory.people.find((p) => directory.effectiveRoles(p).has('admin'))?.id;
    if (!contact) continue;
    notices.push({
      personId: contact,
      notice: { type: 'handover.ownerLeft', leaverId: personId, ...work },
      idempotencyKey: `handover-left:${personId}`,
      runAt: now,
    });
  }
  return options.outbox.notify(notices);
}
