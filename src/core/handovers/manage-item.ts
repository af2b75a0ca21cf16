// Use case: the manager's answer to an overdue step — Extend (one more working day, never
// past the last day), Transfer now without it (the customer moves, flagged incomplete), or
// Reassign (another successor for this customer: a rep, not the leaver, with room under
// the cap; the step starts over with them). Only the leaver's manager line or an admin; a
// step no longer pending is stale.
import { AppError } from '../errors.ts';
import type { NoticeJob } from '../notices.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import { releaseDueAt } from '../customers/pool-rules.ts';
import type { HandoverItem, HandoverStore } from './handover.ts';
import { successorProblem, workingDaysAfter } from './handover-rules.ts';
import { orgCalendar, orgToday } from './plan-handover.ts';
import { mayManage } from './successors.ts';

export type ManageWhat = { kind: 'extend' } | { kind: 'transferNow' } | { kind: 'reassign'; successorId: string };

export async function manageItem(options: { store: HandoverStore; directory: OrgDirectory; actor: Person; itemId: string; what: ManageWhat; now: Date }): Promise<{ item: HandoverItem; dueDay?: string; successorId?: string }> {
  const { store, directory, actor, now, what } = options;
  const item = await store.item(options.itemId);
  const handover = item && (await store.find(item.handoverId));
  if (!item || !handover || item.status !== 'pending') throw new AppError('ALREADY_DONE', 'stale', { reason: 'handover.stale' });
  if (!mayManage(directory, actor, handover.leaverId)) throw new AppError('FORBIDDEN', 'not in your line', { reason: 'handover.notInLine' });
  if (what.kind === 'extend') {
    const calendar = orgCalendar(directory);
    const next = workingDaysAfter(calendar, orgToday(directory, now) > item.dueDay ? orgToday(directory, now) : item.dueDay, 1);
    const dueDay = next > handover.lastDay ? handover.lastDay : next;
    if (!(await store.extend(item.id, dueDay))) throw new AppError('ALREADY_DONE', 'stale', { reason: 'handover.stale' });
    return { item, dueDay };
  }
  if (what.kind === 'reassign') {
    const to = directory.person(what.successorId);
    if (!to) throw new AppError('NOT_FOUND', 'no such person', { reason: 'handover.noPerson', person: what.successorId });
    if (to.id === item.successorId) throw new AppError('ALREADY_DONE', 'same successor', { reason: 'handover.sameSuccessor', person: to.name });
    const held = await store.held(to.id);
    const problem = successorProblem({ isLeaver: to.id === handover.leaverId, isRep: directory.effectiveRoles(to).has('rep'), gone: directory.isGone(to.id, orgToday(directory, now)) || to.leftOn !== undefined, held }, item.stage, directory.org.pool.maxHeld);
    if (problem === 'overCap') throw new AppError('CONFLICT', 'successor over the cap', { reason: 'handover.overCap', person: to.name, held, adding: 1, cap: directory.org.pool.maxHeld });
    if (problem) throw new AppError('INVALID_INPUT', problem, { reason: `handover.${problem}`, person: to.name });
    const change = { kind: 'reassigned' as const, customerName: item.customerName, itemId: item.id, fromId: item.successorId, toId: to.id };
    const told: NoticeJob[] = [...new Set([to.id, item.successorId, handover.leaverId])]
      .filter((p) => directory.person(p))
      .map((personId) => ({ personId, notice: { type: 'handover.changed', leaverId: handover.leaverId, byPersonId: actor.id, change }, idempotencyKey: `handover-item:${item.id}:reassigned:${to.id}:${personId}:${now.getTime()}`, runAt: now }));
    if (!(await store.reassign(item.id, to.id, told))) throw new AppError('ALREADY_DONE', 'stale', { reason: 'handover.stale' });
    return { item, successorId: to.id };
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
