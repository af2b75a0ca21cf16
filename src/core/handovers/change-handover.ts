// Use case: the manager line (or an admin) changes or cancels an open handover — a new last
// day (the pending steps' due day follows it), or cancelled (pending items end, their
// customers stay with the leaver, protected from the pool while the leaver is gone, and the
// plan can be made again). Everyone in it is told; a handover no longer open is stale.
import { AppError } from '../errors.ts';
import type { NoticeJob } from '../notices.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import type { Handover, HandoverStore } from './handover.ts';
import { lastDayProblem, stepDueDay } from './handover-rules.ts';
import { orgCalendar, orgToday } from './plan-handover.ts';
import { mayManage } from './successors.ts';

export type HandoverChange = { kind: 'cancel' } | { kind: 'lastDay'; lastDay: string };

export async function changeHandover(options: { store: HandoverStore; directory: OrgDirectory; actor: Person; leaverId: string; change: HandoverChange; now: Date }): Promise<{ handover: Handover; dueDay?: string }> {
  const { store, directory, actor, now, change } = options;
  const handover = await store.findOpenByLeaver(options.leaverId);
  if (!handover) throw new AppError('NOT_FOUND', 'no open handover', { reason: 'handover.noneOpen', person: directory.person(options.leaverId)?.name ?? options.leaverId });
  if (!mayManage(directory, actor, handover.leaverId)) throw new AppError('FORBIDDEN', 'not in your line', { reason: 'handover.notInLine' });
  const items = await store.items(handover.id);
  const people = [...new Set([handover.leaverId, handover.startedById, ...items.filter((i) => i.status === 'pending').map((i) => i.successorId)])].filter((p) => p !== actor.id && directory.person(p));
  const notices = (c: NoticeJob['notice'] & { type: 'handover.changed' }, key: string): NoticeJob[] =>
    people.map((personId) => ({ personId, notice: c, idempotencyKey: `handover:${handover.id}:${key}:${personId}`, runAt: now }));
  if (change.kind === 'cancel') {
    const ok = await store.cancel(handover.id, now, notices({ type: 'handover.changed', leaverId: handover.leaverId, byPersonId: actor.id, change: { kind: 'cancelled' } }, 'cancelled'));
    if (!ok) throw new AppError('ALREADY_DONE', 'stale', { reason: 'handover.stale' });
    return { handover };
  }
  const today = orgToday(directory, now);
  if (lastDayProblem(today, change.lastDay)) throw new AppError('INVALID_INPUT', 'last day in the past', { reason: 'handover.lastDayPast' });
  const dueDay = stepDueDay(orgCalendar(directory), today, change.lastDay);
  const ok = await store.changeLastDay(handover.id, change.lastDay, dueDay, notices({ type: 'handover.changed', leaverId: handover.leaverId, byPersonId: actor.id, change: { kind: 'lastDay', lastDay: change.lastDay } }, `lastDay:${change.lastDay}`));
  if (!ok) throw new AppError('ALREADY_DONE', 'stale', { reason: 'handover.stale' });
  return { handover: { ...handover, lastDay: change.lastDay }, dueDay };
}
