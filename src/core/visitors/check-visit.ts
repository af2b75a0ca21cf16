// Use case run by the job queue at a check's due time (visitor.check job): the next
// escalation step of a visit nobody answered (ping the host again, tell the manager and the
// person on duty; then the department head; then again from the top), or the end of a
// "wait N minutes" (the host is asked again). A check that became moot — someone took
// charge, the visit was handed on or closed — does nothing. Each step is stored only from
// the step before, with its notices and the next check, in one transaction: a retry or a
// second replica sends nothing twice, and a crash loses nothing.
import type { OutboxEntry } from '../notices.ts';
import type { OrgDirectory } from '../org/org.ts';
import { escalationDelayMs, escalationTargets } from './escalation.ts';
import { effectsOf, feedChannels, repeatHostKey, snapshotOf, statusNotices } from './snapshot.ts';
import { reask, type Visit, type VisitStore } from './visit.ts';

export interface CheckVisitOptions {
  visits: VisitStore;
  directory: OrgDirectory;
  visitId: string;
  version: number;
  step: number;
  now: Date;
}

export type CheckOutcome = 'moot' | 'reasked' | 'escalated' | 'stopped';

export async function checkVisit(o: CheckVisitOptions): Promise<CheckOutcome> {
  const { directory, now } = o;
  const settings = directory.org.visitors;
  const visit = await o.visits.get(o.visitId);
  if (!visit || visit.version !== o.version) return 'moot';
  const delayMs = escalationDelayMs(directory, settings, now);
  const channels = feedChannels(directory);
  if (visit.status === 'delayed' && o.step === 0) {
    const t = reask(visit, now, delayMs);
    const { notices, checks } = effectsOf(t, now, channels);
    return (await o.visits.update(t.visit, { version: visit.version, step: visit.step }, notices, checks)) ? 'reasked' : 'moot';
  }
  if (visit.status !== 'notified' || visit.step !== o.step - 1) return 'moot';
  if (o.step > settings.escalation.maxSteps) {
    const next: Visit = { ...visit, step: o.step };
    return (await o.visits.update(next, { version: visit.version, step: visit.step }, statusNotices(next, now, false, channels, { exhausted: true }), [])) ? 'stopped' : 'moot';
  }
  const targets = escalationTargets(directory, visit.hostId ?? '', o.step, now);
  const told = [...visit.told, ...targets.others.map((x) => x.personId).filter((id) => !visit.told.includes(id))];
  const next: Visit = { ...visit, step: o.step, told };
  const key = `visit:${visit.id}:v${visit.version}:s${o.step}`;
  // The host's repeat ping first (taken first among jobs due at once), then the status and the feed.
  const notices: OutboxEntry[] = targets.host ? [{ personId: targets.host, notice: { type: 'visitor.host', visit: snapshotOf(next, now), repeat: true }, idempotencyKey: repeatHostKey(visit.id, visit.version, o.step), runAt: now }] : [];
  notices.push(...statusNotices(next, now, false, channels));
  for (const other of targets.others) {
    // The phone is for the host and the reporter only.
    notices.push({ personId: other.personId, notice: { type: 'visitor.escalated', visit: { ...snapshotOf(next, now), phone: undefined }, role: other.role }, idempotencyKey: `${key}:${other.personId}`, runAt: now });
  }
  const checks = [{ visitId: visit.id, version: visit.version, step: o.step + 1, runAt: new Date(now.getTime() + delayMs) }];
  return (await o.visits.update(next, { version: visit.version, step: visit.step }, notices, checks)) ? 'escalated' : 'moot';
}
