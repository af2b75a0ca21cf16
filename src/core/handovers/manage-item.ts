// Use case: the manager's answer to an overdue step — Extend (one more working day, never
// past the day before the last day… or the last day itself when that is all there is) or
// Transfer now without it (the customer moves, flagged incomplete). Only the leaver's
// manager line or an admin; a step no longer pending is stale.
import { AppError } from '../errors.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import { releaseDueAt } from '../customers/pool-rules.ts';
import { chineseWorkingCalendar } from '../time/working-days.ts';
import type { HandoverItem, HandoverStore } from './handover.ts';
import { workingDaysAfter } from './handover-rules.ts';
import { orgToday } from './plan-handover.ts';
import { mayManage } from './successors.ts';

export async function manageItem(options: { store: HandoverStore; directory: OrgDirectory; actor: Person; itemId: string; what: 'extend' | 'transferNow'; now: Date }): Promise<{ item: HandoverItem; dueDay?: string }> {
  const { store, directory, actor, now } = options;
  const item = await store.item(options.itemId);
  const handover = item && (await store.find(item.handoverId));
  if (!item || !handover || item.status !== 'pending') throw new AppError('ALREADY_DONE', 'stale', { reason: 'handover.stale' });
  if (!mayManage(directory, actor, handover.leaverId)) throw new AppError('FORBIDDEN', 'not in your line', { reason: 'handover.notInLine' });
  if (options.what === 'extend') {
    const calendar = chineseWorkingCalendar(directory.org.workingHours.days);
    const next = workingDaysAfter(calendar, orgToday(directory, now) > item.dueDay ? orgToday(directory, now) : item.dueDay, 1);
    const dueDay = next > handover.lastDay ? handover.lastDay : next;
    if (!(await store.extend(item.id, dueDay))) throw new AppError('ALREADY_DONE', 'stale', { reason: 'handover.stale' });
    return { item, dueDay };
  }
  const moved = await store.transferNow(item.id, 'incomplete', { at: now, byPersonId: actor.id, releaseAt: releaseDueAt(directory.org.pool, item.stage, now) }, [
    {
      personId: item.successorId,
      notice: { type: 'handover.incomplete', itemId: item.id, customerName: item.customerName, leaverId: handover.leaverId, successorId: item.successorId },
      idempotencyKey: `handover-item:${item.id}:incomplete:${item.successorId}`,
      runAt: now,
    },
  ]);
  if (!moved) throw new AppError('ALREADY_DONE', 'stale', { reason: 'handover.stale' });
  return { item };
}
