// Where each message kehu sent landed (Slack channel + ts, Lark message_id, the shell's
// number), and the newest state asked for it: the two halves of an update in place. A
// change that should update a message calls requestMessageUpdate in its own transaction;
// the `message.update` job (jobs/message-update.job.ts) applies the newest content under a
// short lease per message, so updates to one message run one at a time, a burst coalesces
// into its last state, and an update older than what the message shows is dropped.
import type { Prisma } from '../generated/sqlite/client.ts';
import type { Database, Tx } from '../client.ts';
import { enqueueJob } from './job.repository.ts';

/** The job kind that applies the newest state of one sent message. */
export const MESSAGE_UPDATE = 'message.update';
/** A channel's message is recorded under this "person": the department's id, or the platform and channel id, after it (notify-channel.job.ts). */
export const CHANNEL_PERSON_PREFIX = 'channel:';
/** The "person" a message posted into this channel is recorded under. */
export const channelPersonId = (place: { platform: string; id: string }) => `${CHANNEL_PERSON_PREFIX}${place.platform}:${place.id}`;

const SELECT = { key: true, platform: true, personId: true, channel: true, ref: true, wanted: true, applied: true, content: true, sentAt: true } as const;
export type SentMessageRow = Prisma.SentMessageGetPayload<{ select: typeof SELECT }>;

/** The place of a message that was never sent (its platform is not connected): updates to it are dropped. */
export const NOWHERE = 'none';

export interface MessagePlace {
  /** NOWHERE: a channel message no connected platform could post (its updates end at once). */
  platform: 'slack' | 'lark' | 'shell' | typeof NOWHERE;
  /** Slack's channel; empty elsewhere. */
  channel: string;
  /** Slack ts, Lark message_id, shell number. */
  ref: string;
}

/** Records where the message sent under `key` landed (a first send, or a new message after one could not be updated). */
export async function recordSentMessage(db: Database, m: MessagePlace & { key: string; personId: string; at: Date; version?: number }): Promise<void> {
  await db.prisma.sentMessage.upsert({
    where: { key: m.key },
    create: { key: m.key, platform: m.platform, personId: m.personId, channel: m.channel, ref: m.ref, sentAt: m.at, updatedAt: m.at },
    update: { platform: m.platform, channel: m.channel, ref: m.ref, sentAt: m.at, updatedAt: m.at, ...(m.version !== undefined ? { applied: m.version } : {}) },
  });
}

/**
 * The keys of messages that landed on `platform` as these refs (a read receipt's message ids,
 * a thread's root), in the order of `refs`; in `channel` only when given (a Slack ts is unique
 * within its channel).
 */
export async function sentMessageKeys(db: Database, platform: MessagePlace['platform'], refs: readonly string[], channel?: string): Promise<string[]> {
  if (refs.length === 0) return [];
  const rows = await db.prisma.sentMessage.findMany({ where: { platform, ref: { in: [...refs] }, ...(channel !== undefined ? { channel } : {}) }, select: { key: true, ref: true } });
  return rows.sort((a, b) => refs.indexOf(a.ref) - refs.indexOf(b.ref)).map((r) => r.key);
}

export function findSentMessage(db: Database, key: string): Promise<SentMessageRow | null> {
  return db.prisma.sentMessage.findUnique({ where: { key }, select: SELECT });
}

/**
 * Asks, in `tx`, for the message sent under `key` to show `content` (JSON: { notice } or
 * { reply }) and queues the job that applies it. The message may not have landed yet: the
 * job waits for it. Returns the new version.
 */
export async function requestMessageUpdate(tx: Tx, u: { key: string; personId: string; content: unknown; at: Date }): Promise<number> {
  const content = JSON.stringify(u.content);
  const row = await tx.sentMessage.upsert({
    where: { key: u.key },
    create: { key: u.key, personId: u.personId, wanted: 1, content, updatedAt: u.at },
    update: { wanted: { increment: 1 }, content, updatedAt: u.at },
    select: { wanted: true },
  });
  await enqueueJob(tx, { kind: MESSAGE_UPDATE, payload: { key: u.key, version: row.wanted }, runAt: u.at, idempotencyKey: `${MESSAGE_UPDATE}:${u.key}:${row.wanted}` });
  return row.wanted;
}

/** Takes the message's lease (one update at a time per message, across replicas); false when another run holds it. */
export async function leaseSentMessage(db: Database, key: string, now: Date, ms: number): Promise<boolean> {
  const { count } = await db.prisma.sentMessage.updateMany({
    where: { key, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
    data: { leaseUntil: new Date(now.getTime() + ms) },
  });
  return count === 1;
}

/** The message shows `version` now (never lowered); the lease is given back. */
export async function markMessageApplied(db: Database, key: string, version: number, at: Date): Promise<void> {
  await db.prisma.sentMessage.updateMany({ where: { key, applied: { lt: version } }, data: { applied: version, updatedAt: at } });
  await db.prisma.sentMessage.updateMany({ where: { key }, data: { leaseUntil: null } });
}

export async function releaseSentMessage(db: Database, key: string): Promise<void> {
  await db.prisma.sentMessage.updateMany({ where: { key }, data: { leaseUntil: null } });
}

/** Forgets where messages landed that have not changed since `before` (nothing waits on them). */
export async function pruneSentMessages(db: Database, before: Date): Promise<number> {
  const { count } = await db.prisma.sentMessage.deleteMany({ where: { updatedAt: { lt: before }, leaseUntil: null } });
  return count;
}
