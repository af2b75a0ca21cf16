// Use case: the open handovers a manager (or admin) answers for, each with its progress and
// its overdue steps — for `handovers` and the digest's handovers section.
import type { OrgDirectory, Person } from '../org/org.ts';
import type { Handover, HandoverStore } from './handover.ts';
import { mayManage } from './successors.ts';

export interface HandoverProgress {
  handover: Handover;
  done: number;
  total: number;
  overdue: number;
}

export async function handoverOverview(options: { store: HandoverStore; directory: OrgDirectory; actor: Person; today: string }): Promise<HandoverProgress[]> {
  const { store, directory, actor, today } = options;
  const out: HandoverProgress[] = [];
  for (const handover of await store.listOpen()) {
    if (!mayManage(directory, actor, handover.leaverId)) continue;
    const items = await store.items(handover.id);
    const pending = items.filter((i) => i.status === 'pending');
    out.push({ handover, done: items.length - pending.length, total: items.length, overdue: pending.filter((i) => i.dueDay < today).length });
  }
  return out;
}
