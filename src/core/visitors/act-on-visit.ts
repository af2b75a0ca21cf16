// Use case: a press on a visit — the host's "Coming now", "Ask them to wait N minutes",
// "Hand to a colleague", "Not for me"; "I'll take it" by someone told in an escalation; the
// reporter's pick among candidates and "Close". Applied once, from the version the button
// was shown with; the reporter's status updates in place, a new host gets the visit with the
// same clock. A host taking charge of a customer's visit is logged as a follow-up of kind
// `visit` (the pool timer starts again) and the owner is told when someone else hosted.
import type { CustomerStore } from '../customers/customer.ts';
import { releaseDueAt } from '../customers/pool-rules.ts';
import { AppError } from '../errors.ts';
import type { NoticeJob } from '../notices.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import { wallClock } from '../time/wall-clock.ts';
import { escalationDelayMs } from './escalation.ts';
import { effectsOf, feedChannels } from './snapshot.ts';
import { applyAction, staleError, type ActionEnv, type Visit, type VisitAction, type VisitStore } from './visit.ts';

export interface ActOnVisitOptions {
  visits: VisitStore;
  customers: CustomerStore;
  directory: OrgDirectory;
  actor: Person;
  visitId: string;
  /** The version the pressed message showed. */
  version: number;
  action: VisitAction;
  now: Date;
}

/** Presses re-applied after an escalation step moved the visit under them (a step every few seconds at the fastest). */
const MAX_LADDER_RETRIES = 3;

/** The env a transition refuses with: names from the org file, times in the org's zone. */
export function actionEnv(directory: OrgDirectory, now: Date): ActionEnv {
  return {
    now,
    delayMs: escalationDelayMs(directory, directory.org.visitors, now),
    isPerson: (id) => directory.person(id) !== undefined,
    nameOf: (id) => directory.person(id)?.name ?? id,
    timeOf: (d) => {
      const w = wallClock(d.getTime(), directory.org.timezone);
      return `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
    },
  };
}

export async function actOnVisit(o: ActOnVisitOptions): Promise<Visit> {
  const { directory, now } = o;
  const env = actionEnv(directory, now);
  for (let attempt = 1; ; attempt++) {
    const visit = await o.visits.get(o.visitId);
    if (!visit) throw new AppError('NOT_FOUND', 'no such visit', { reason: 'visitor.notFound' });
    const t = applyAction(visit, o.action, o.actor.id, o.version, env);
    const { notices, checks } = effectsOf(t, now, feedChannels(directory));
    let followUp: Parameters<VisitStore['update']>[4];
    if (t.tookCharge && visit.customer) {
      const c = await o.customers.findById(visit.customer.id);
      if (c) {
        const note = [visit.visitorNames ?? '', visit.purpose ?? ''].filter(Boolean).join(' — ') || visit.company;
        followUp = { customerId: c.id, personId: o.actor.id, note, at: now, releaseAt: c.ownerId ? releaseDueAt(directory.org.pool, c.stage, now, c.extendedUntil) : undefined };
        if (c.ownerId && c.ownerId !== o.actor.id) notices.push(ownerTold(c.ownerId, c.id, c.name, o.actor.id, note, visit.id, now));
      }
    }
    if (await o.visits.update(t.visit, { version: visit.version, step: visit.step }, notices, checks, followUp)) return t.visit;
    // Someone else changed it between the read and the write (a second press, another replica).
    const now2 = await o.visits.get(o.visitId);
    // Only the escalation ladder moved on (same version, a later step: a check ran on this or
    // another replica meanwhile): the button pressed is still current, so the press is applied
    // to the visit as it is now. Anything else (a press, a hand-over, a close) made it stale.
    if (now2 && now2.version === visit.version && now2.step !== visit.step && attempt < MAX_LADDER_RETRIES) continue;
    throw staleError(now2 ?? visit, env);
  }
}

function ownerTold(ownerId: string, customerId: string, customerName: string, byPersonId: string, note: string, visitId: string, at: Date): NoticeJob {
  return { personId: ownerId, notice: { type: 'customer.followUpLogged', customerId, customerName, byPersonId, kind: 'visit', note }, idempotencyKey: `visit:${visitId}:owner`, runAt: at };
}
