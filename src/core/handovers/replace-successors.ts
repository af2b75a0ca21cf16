// Use case: a successor who leaves mid-handover (removed from the org file, or marked
// `left:`) sends their pending customers back to the plan: each gets the best other
// successor with room, as a plan would give it, and the manager who started the handover is
// told (with a Reassign button, to pick someone else); when nobody has room, the item waits
// for the manager's Reassign. Run with the leavers' check, every ten minutes.
import type { NoticeJob, NoticeOutbox } from '../notices.ts';
import type { OrgDirectory } from '../org/org.ts';
import type { HandoverStore } from './handover.ts';
import { proposeSuccessors, RECORD_WINDOW_DAYS, REPEAT_WINDOW_DAYS } from './handover-rules.ts';
import { orgToday } from './plan-handover.ts';
import { candidatesForRemoved, successorCandidates } from './successors.ts';

const DAY = 86_400_000;

export async function replaceGoneSuccessors(options: { store: HandoverStore; outbox: NoticeOutbox; directory: OrgDirectory; now: Date }): Promise<number> {
  const { store, directory, now } = options;
  const today = orgToday(directory, now);
  const leaving = (id: string) => directory.isGone(id, today) || directory.person(id)?.leftOn !== undefined;
  let replaced = 0;
  for (const h of await store.listOpen()) {
    const stranded = (await store.items(h.id)).filter((i) => i.status === 'pending' && leaving(i.successorId));
    if (!stranded.length) continue;
    const leaver = directory.person(h.leaverId);
    const starter = directory.person(h.startedById);
    const pool = (leaver ? successorCandidates(directory, leaver, today) : starter ? candidatesForRemoved(directory, starter, today) : []).filter((p) => !leaving(p.id));
    const inputs = await store.planInputs({ leaverId: h.leaverId, candidateIds: pool.map((p) => p.id), recordSince: new Date(now.getTime() - RECORD_WINDOW_DAYS * DAY), repeatSince: new Date(now.getTime() - REPEAT_WINDOW_DAYS * DAY) });
    const byId = new Map(inputs.customers.map((c) => [c.id, c]));
    const proposed = proposeSuccessors(stranded.flatMap((i) => byId.get(i.customerId) ?? []), inputs.candidates, directory.org.pool.maxHeld);
    const next = new Map(proposed.map((p) => [p.customerId, p.successorId]));
    for (const i of stranded) {
      const to = next.get(i.customerId);
      const toManager: NoticeJob = {
        personId: h.startedById,
        notice: { type: 'handover.successorLeft', itemId: i.id, customerName: i.customerName, leaverId: h.leaverId, goneId: i.successorId, newId: to },
        idempotencyKey: `handover-item:${i.id}:successorLeft:${i.successorId}`,
        runAt: now,
      };
      if (!to) {
        await options.outbox.notify([toManager]);
        continue;
      }
      const toSuccessor: NoticeJob = {
        personId: to,
        notice: { type: 'handover.changed', leaverId: h.leaverId, byPersonId: h.startedById, change: { kind: 'reassigned', customerName: i.customerName, itemId: i.id, fromId: i.successorId, toId: to } },
        idempotencyKey: `handover-item:${i.id}:reassigned:${to}:${to}:successorLeft`,
        runAt: now,
      };
      if (await store.reassign(i.id, to, [toManager, toSuccessor].filter((n) => directory.person(n.personId)))) replaced++;
    }
  }
  return replaced;
}
