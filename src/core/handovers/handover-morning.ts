// Use case: the working morning of every open handover. Each person with pending steps gets
// one prompt (keyed per person per day, so replicas, restarts and a crash between two
// prompts send each once), the manager who started it the progress; a step past its due
// day is escalated to that manager once per due day; on the last day whatever is left
// moves to the successor flagged `incomplete`, each move its own transaction with its
// notices. Nothing on a day off.
import type { NoticeJob, NoticeOutbox } from '../notices.ts';
import type { OrgDirectory } from '../org/org.ts';
import { releaseDueAt } from '../customers/pool-rules.ts';
import type { HandoverStore } from './handover.ts';
import { countPending, escalationKey, promptKey, workingDaysLeft, type PendingKind } from './handover-rules.ts';
import { orgCalendar, orgToday } from './plan-handover.ts';

export async function handoverMorning(options: { store: HandoverStore; outbox: NoticeOutbox; directory: OrgDirectory; now: Date }): Promise<{ prompts: number; escalations: number; swept: number }> {
  const { store, directory, now } = options;
  const today = orgToday(directory, now);
  const calendar = orgCalendar(directory);
  if (!calendar.isWorkingDay(today)) return { prompts: 0, escalations: 0, swept: 0 };
  type Step = { itemId: string; customerName: string; kind: PendingKind; visitDay?: string; lastDay: string; leaver?: boolean };
  const steps = new Map<string, Step[]>();
  const add = (personId: string, s: Step) => {
    let list = steps.get(personId);
    if (!list) steps.set(personId, (list = []));
    list.push(s);
  };
  const notices: NoticeJob[] = [];
  let swept = 0;
  for (const h of await store.listOpen()) {
    const items = await store.items(h.id);
    const pending = items.filter((i) => i.status === 'pending');
    if (today >= h.lastDay) {
      // The last day: nothing stays with someone who has left.
      for (const i of pending) {
        const told: NoticeJob[] = [i.successorId, h.startedById].map((personId) => ({
          personId,
          notice: { type: 'handover.incomplete', itemId: i.id, customerName: i.customerName, leaverId: h.leaverId, successorId: i.successorId },
          idempotencyKey: `handover-item:${i.id}:incomplete:${personId}`,
          runAt: now,
        }));
        if (await store.transferNow(i.id, 'incomplete', { at: now, releaseAt: releaseDueAt(directory.org.pool, i.stage, now) }, told)) swept++;
      }
      continue;
    }
    for (const i of pending) {
      const base = { itemId: i.id, customerName: i.customerName, visitDay: i.visitDay, lastDay: h.lastDay };
      if (i.step !== 'transfer' && !(i.step === 'call' && i.successorDoneAt) && !i.leaverDoneAt) add(h.leaverId, { ...base, kind: i.step === 'call' ? 'call' : 'visit', leaver: true });
      if (i.needsNote && i.note === undefined) add(h.leaverId, { ...base, kind: 'note' });
      if (i.step !== 'transfer' && !i.successorDoneAt) add(i.successorId, { ...base, kind: i.step === 'call' ? 'call' : 'visit' });
      if (i.dueDay < today) {
        notices.push({
          personId: h.startedById,
          notice: { type: 'handover.overdue', itemId: i.id, customerName: i.customerName, leaverId: h.leaverId, successorId: i.successorId, dueDay: i.dueDay },
          idempotencyKey: escalationKey(i.id, i.step === 'visit' ? 'visit' : 'call', i.dueDay),
          runAt: now,
        });
      }
    }
    const done = items.length - pending.length;
    notices.push({
      personId: h.startedById,
      notice: { type: 'handover.progress', handoverId: h.id, leaverId: h.leaverId, done, total: items.length, daysLeft: workingDaysLeft(calendar, today, h.lastDay) },
      idempotencyKey: `handover-progress:${h.id}:${today}`,
      runAt: now,
    });
  }
  for (const [personId, list] of steps) {
    const lastDay = list.reduce((min, s) => (s.lastDay < min ? s.lastDay : min), list[0]!.lastDay);
    notices.push({
      personId,
      notice: { type: 'handover.prompt', daysLeft: workingDaysLeft(calendar, today, lastDay), counts: countPending(list.map((s) => s.kind)), steps: list.slice(0, 40).map(({ lastDay: _ld, ...s }) => s) },
      idempotencyKey: promptKey(personId, today),
      runAt: now,
    });
  }
  const escalations = notices.filter((n) => n.notice.type === 'handover.overdue').length;
  await options.outbox.notify(notices);
  return { prompts: steps.size, escalations, swept };
}
