// Use case: the leaver or the successor records their part of a customer's handover — "Call
// done" / "Visit done" (optionally with a note), the visit day, the handover note. Only the
// two people named do; a part done twice, or a step no longer open, changes nothing. When
// the last part lands the customer moves to the successor in the same transaction.
import { AppError } from '../errors.ts';
import type { NoticeJob } from '../notices.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import { releaseDueAt } from '../customers/pool-rules.ts';
import type { HandoverItem, HandoverStore, ItemChange, VisitReminderJob } from './handover.ts';
import { orgCalendar, orgMorning, orgToday } from './plan-handover.ts';
import { visitReminderDays } from './handover-rules.ts';

export type StepPart = 'done' | 'visitDay' | 'note';

export async function confirmStep(options: {
  store: HandoverStore;
  directory: OrgDirectory;
  actor: Person;
  itemId: string;
  part: StepPart;
  text?: string;
  visitDay?: string;
  now: Date;
}): Promise<{ item: HandoverItem; outcome: 'recorded' | 'completed' }> {
  const { store, directory, actor, now } = options;
  const item = await store.item(options.itemId);
  const handover = item && (await store.find(item.handoverId));
  if (!item || !handover || item.status !== 'pending') throw new AppError('ALREADY_DONE', 'stale', { reason: 'handover.stale' });
  const isLeaver = actor.id === handover.leaverId;
  const isSuccessor = actor.id === item.successorId;
  // The note and the visit day are the leaver's to give; both confirm the step itself.
  if (!(isLeaver || isSuccessor) || (options.part !== 'done' && !isLeaver)) throw new AppError('FORBIDDEN', 'not a party', { reason: 'handover.notParty' });
  if (options.part === 'visitDay') {
    const today = orgToday(directory, now);
    if (!options.visitDay || options.visitDay < today || options.visitDay >= handover.lastDay) throw new AppError('INVALID_INPUT', 'visit day', { reason: 'handover.visitDay', lastDay: handover.lastDay });
  }
  const part: ItemChange['part'] = options.part === 'done' ? (isLeaver ? 'leaverDone' : 'successorDone') : options.part;
  const change: ItemChange =
    part === 'leaverDone' || part === 'successorDone'
      ? { itemId: item.id, part, at: now, note: options.text }
      : part === 'visitDay'
        ? { itemId: item.id, part, at: now, visitDay: options.visitDay!, reminders: reminders(directory, item.id, options.visitDay!, now) }
        : { itemId: item.id, part, at: now, note: options.text ?? '' };
  const other = isLeaver ? item.successorId : handover.leaverId;
  const told = (completed: boolean): NoticeJob[] =>
    [other, ...(completed ? [handover.startedById] : [])].map((personId) => ({
      personId,
      notice: { type: 'handover.stepRecorded', itemId: item.id, customerName: item.customerName, byPersonId: actor.id, part, completed },
      idempotencyKey: `handover-item:${item.id}:${part}:${completed ? 'completed' : 'recorded'}:${personId}`,
      runAt: now,
    }));
  const outcome = await store.record(change, { recorded: told(false), completed: told(true) }, {
    at: now,
    byPersonId: actor.id,
    releaseAt: releaseDueAt(directory.org.pool, item.stage, now),
    // A joint visit, once both confirm, is a follow-up of kind `visit` on the customer.
    followUp: item.step === 'visit' ? { kind: 'visit', note: options.text ?? 'handover visit' } : undefined,
  });
  if (outcome === 'stale') throw new AppError('ALREADY_DONE', 'stale', { reason: 'handover.stale' });
  return { item: (await store.item(item.id))!, outcome };
}

/** The day-before and morning reminders of a visit day, each at the start of the working day (at once when that has passed). */
function reminders(directory: OrgDirectory, itemId: string, visitDay: string, now: Date): VisitReminderJob[] {
  const calendar = orgCalendar(directory);
  return visitReminderDays(calendar, orgToday(directory, now), visitDay).map((r) => {
    const at = orgMorning(directory, r.day);
    return { itemId, visitDay, when: r.when, runAt: at < now ? now : at };
  });
}
