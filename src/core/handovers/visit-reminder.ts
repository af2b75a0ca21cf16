// Use case: a joint visit's reminder comes due (the working day before, the morning of):
// the leaver and the successor are told, each once — unless it became moot (the visit day
// changed, the item was done, reassigned or cancelled): then nothing is sent.
import type { NoticeOutbox } from '../notices.ts';
import type { OrgDirectory } from '../org/org.ts';
import type { HandoverStore } from './handover.ts';
import { visitReminderKey, type VisitReminderWhen } from './handover-rules.ts';

export async function remindVisit(options: { store: HandoverStore; outbox: NoticeOutbox; directory: OrgDirectory; itemId: string; visitDay: string; when: VisitReminderWhen; now: Date }): Promise<number> {
  const { store, directory, itemId, visitDay, when, now } = options;
  const item = await store.item(itemId);
  const handover = item && (await store.find(item.handoverId));
  if (!item || !handover || item.status !== 'pending' || item.visitDay !== visitDay || handover.status !== 'open') return 0;
  const key = visitReminderKey(itemId, visitDay, when);
  return options.outbox.notify(
    [handover.leaverId, item.successorId]
      .filter((p) => directory.person(p))
      .map((personId) => ({ personId, notice: { type: 'handover.visitReminder', itemId, customerName: item.customerName, visitDay, when, withId: personId === handover.leaverId ? item.successorId : handover.leaverId }, idempotencyKey: `${key}:${personId}`, runAt: now })),
  );
}
