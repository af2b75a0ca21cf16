// Use case: the host read the ping (a Lark read receipt): the reporter's status and the
// front desk's feed say "seen at HH:MM, not answered" instead of nothing. Only the current
// host, only while nobody has answered, only for a ping of the visit as it stands (an older
// version's ping says nothing about the new host), and once: a second receipt changes
// nothing. The buttons stay valid (the version does not change).
import type { OrgDirectory } from '../org/org.ts';
import { feedChannels, statusNotices } from './snapshot.ts';
import type { VisitStore } from './visit.ts';

export async function markHostSeen(o: { visits: VisitStore; directory: OrgDirectory; visitId: string; version: number; readerId: string; at: Date }): Promise<boolean> {
  const visit = await o.visits.get(o.visitId);
  if (!visit || visit.status !== 'notified' || visit.hostId !== o.readerId || visit.version !== o.version || visit.seenAt) return false;
  const next = { ...visit, seenAt: o.at };
  return o.visits.update(next, { version: visit.version, step: visit.step }, statusNotices(next, o.at, false, feedChannels(o.directory)), []);
}
