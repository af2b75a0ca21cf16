// Use case: the org file noticed — an owner removed from it, or past their `left:` day, who
// still owns customers and is in no open handover: the person who should act (their
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
  const notices: NoticeJob[] = [];
  for (const { ownerId, count } of await store.owners()) {
    if (open.has(ownerId) || !directory.isGone(ownerId, today)) continue;
    const leaver = directory.person(ownerId);
    const contact = leaverContact(directory, { managerId: leaver?.managerId, departmentId: leaver?.departmentId }) ?? directory.people.find((p) => directory.effectiveRoles(p).has('admin'))?.id;
    if (!contact) continue;
    notices.push({
      personId: contact,
      notice: { type: 'handover.ownerLeft', leaverId: ownerId, count },
      idempotencyKey: `handover-left:${ownerId}`,
      runAt: now,
    });
  }
  return options.outbox.notify(notices);
}
