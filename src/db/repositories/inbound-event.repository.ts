// Inbound deliveries already taken (Slack event_id, Lark event_id, ...). The primary key
// makes "first one wins" hold across retries, double clicks and replicas.
import type { Database } from '../client.ts';
import { isUniqueViolation } from './prisma-errors.ts';

/** Records the delivery; false when it was seen before (a retry or duplicate). */
export async function markInboundEventSeen(db: Database, platform: string, eventId: string): Promise<boolean> {
  try {
    await db.prisma.inboundEvent.create({ data: { platform, eventId }, select: { eventId: true } });
    return true;
  } catch (e) {
    if (isUniqueViolation(e)) return false;
    throw e;
  }
}

/** Drops records older than `before` (platforms stop retrying after a few hours). */
export async function pruneInboundEvents(db: Database, before: Date): Promise<number> {
  const { count } = await db.prisma.inboundEvent.deleteMany({ where: { receivedAt: { lt: before } } });
  return count;
}
