// A visit as its notices carry it (core/visitors/visitor.notices.ts), and the notices and
// checks a transition asks for: the reporter's status and the front desk's feed (its
// department's channel, each platform's) updated in place, the host's DM, the next look
// the job queue takes. Pure.
import type { ChannelPlace, NoticeJob, OutboxEntry } from '../notices.ts';
import type { OrgDirectory } from '../org/org.ts';
import type { Transition, Visit, VisitCheck } from './visit.ts';
import type { TVisitSnapshot } from './visitor.notices.ts';

export const statusKey = (visitId: string) => `visit:${visitId}:status`;
export const hostKey = (visitId: string, version: number) => `visit:${visitId}:host:v${version}`;
/** The host's ping again at an escalation step (an urgent message on Lark). */
export const repeatHostKey = (visitId: string, version: number, step: number) => `visit:${visitId}:v${version}:s${step}:host`;
export const feedKey = (visitId: string, c: ChannelPlace) => `visit:${visitId}:feed:${c.platform}:${c.id}`;

/** The visit whose host ping a sent message's key names (a read receipt finds it so), with the version it showed. */
export function hostPingOf(key: string): { visitId: string; version: number } | undefined {
  const m = /^visit:([^:]+):(?:host:v(\d+)|v(\d+):s\d+:host)$/.exec(key);
  return m ? { visitId: m[1]!, version: Number(m[2] ?? m[3]) } : undefined;
}

/** The front desk's feed: the channels of the org file's front-desk departments, on each platform set. */
export function feedChannels(directory: OrgDirectory): ChannelPlace[] {
  const out: ChannelPlace[] = [];
  for (const d of directory.org.departments) {
    if (d.kind !== 'front-desk' || !d.channel) continue;
    if (d.channel.slack) out.push({ platform: 'slack', id: d.channel.slack });
    if (d.channel.lark) out.push({ platform: 'lark', id: d.channel.lark });
  }
  return out;
}

export function snapshotOf(v: Visit, at: Date, extra: { exhausted?: boolean } = {}): TVisitSnapshot {
  return {
    visitId: v.id, version: v.version, step: v.step, reporterId: v.reporterId, company: v.company, visitorNames: v.visitorNames, headcount: v.headcount,
    phone: v.phone, askedFor: v.askedFor, purpose: v.purpose, note: v.note, status: v.status, hostId: v.hostId, hostReason: v.hostReason, choose: v.choose,
    namedProblem: v.namedProblem, told: v.told, waitMinutes: v.waitMinutes, takenById: v.takenById, takenAt: v.takenAt?.toISOString(),
    lastAction: v.last?.action, lastById: v.last?.byPersonId, createdAt: v.createdAt.toISOString(), at: at.toISOString(), closedAt: v.closedAt?.toISOString(),
    exhausted: extra.exhausted, customer: v.customer, seenAt: v.seenAt?.toISOString(),
  };
}

/** The reporter's status message: sent once, then replaced in place at every change. */
export function statusNotice(v: Visit, at: Date, first: boolean, extra: { exhausted?: boolean } = {}): NoticeJob {
  const key = statusKey(v.id);
  return {
    personId: v.reporterId,
    notice: { type: 'visitor.status', visit: snapshotOf(v, at, extra) },
    idempotencyKey: first ? key : `${key}:v${v.version}:s${v.step}`,
    runAt: at,
    ...(first ? {} : { replaces: key }),
  };
}

/**
 * The reporter's status and the feed's message in each front-desk channel, sent once and
 * replaced in place at every change. The feed never carries the phone.
 */
export function statusNotices(v: Visit, at: Date, first: boolean, channels: readonly ChannelPlace[], extra: { exhausted?: boolean } = {}): OutboxEntry[] {
  const feed = { ...snapshotOf(v, at, extra), phone: undefined };
  return [
    statusNotice(v, at, first, extra),
    ...channels.map((channel) => {
      const key = feedKey(v.id, channel);
      return { channel, notice: { type: 'visitor.feed' as const, visit: feed }, idempotencyKey: first ? key : `${key}:v${v.version}:s${v.step}`, runAt: at, ...(first ? {} : { replaces: key }) };
    }),
  ];
}

/** What a transition sends and schedules: the status and the feed, the host's DM, the next check. */
export function effectsOf(t: Transition, at: Date, channels: readonly ChannelPlace[], first = false): { notices: OutboxEntry[]; checks: VisitCheck[] } {
  const v = t.visit;
  // The host's DM first: jobs due at the same moment are taken in the order written, and a
  // person is standing at the door.
  const notices: OutboxEntry[] = t.pingHost ? [{ personId: t.pingHost.personId, notice: { type: 'visitor.host', visit: snapshotOf(v, at), repeat: t.pingHost.repeat }, idempotencyKey: hostKey(v.id, v.version), runAt: at }] : [];
  notices.push(...statusNotices(v, at, first, channels, { exhausted: t.exhausted }));
  const checks: VisitCheck[] = t.nextCheckAt ? [{ visitId: v.id, version: v.version, step: v.status === 'delayed' ? 0 : v.step + 1, runAt: t.nextCheckAt }] : [];
  return { notices, checks };
}
