// A visit as the core sees it, its state machine and the store the use cases need.
//
//   choosing ──pick──► notified ──coming──► coming ──close──► closed
//                        │  ▲ ──wait N──► delayed ──(N minutes pass)──► notified (asked again)
//                        │  └─hand / not for me (the next candidate)─┘
//                        └─ (no answer) escalation steps, same state
//
// Every change bumps `version`; a button carries the version it was shown with, so a
// second or stale press is refused ("already handled by … at …"). Escalation steps do not
// bump it (the host's buttons stay valid) but advance `step`, which the store changes only
// from the step before: a step runs once whichever replica or retry runs it. Pure.
import { AppError } from '../errors.ts';
import type { OutboxEntry } from '../notices.ts';
import type { HostCandidate, HostReason } from './routing.ts';

export const VISIT_STATUSES = ['choosing', 'notified', 'coming', 'delayed', 'closed'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];

export const WAIT_MINUTES = [5, 10, 15] as const;

export interface CustomerSummary {
  id: string;
  name: string;
  ownerId?: string;
  stage: number;
  lost: boolean;
  followUps: { personId: string; kind: string; note: string; at: string }[];
}

export interface Visit {
  id: string;
  reporterId: string;
  company: string;
  /** Normalised company key (the claims matcher's), for expected visits and counts. */
  companyKey: string;
  visitorNames?: string;
  headcount: number;
  phone?: string;
  askedFor?: string;
  purpose?: string;
  note?: string;
  customer?: CustomerSummary;
  expectedId?: string;
  status: VisitStatus;
  hostId?: string;
  hostReason?: HostReason;
  /** Who may still host it, in order (tried ones removed). */
  candidates: HostCandidate[];
  /** Persons the reporter may pick from (an ambiguous name). */
  choose: string[];
  namedProblem?: { kind: 'left'; name: string; successor?: string } | { kind: 'unknown' };
  /** People told in an escalation: they may take the visit too. */
  told: string[];
  version: number;
  step: number;
  waitMinutes?: number;
  waitUntil?: Date;
  takenById?: string;
  takenAt?: Date;
  last?: { action: VisitAction['kind'] | 'reported' | 'reasked'; byPersonId?: string; at: Date };
  closedAt?: Date;
  createdAt: Date;
  /** When the host read the ping (a Lark read receipt): "seen, not answered". Cleared with a new host. */
  seenAt?: Date;
}

export type VisitAction =
  | { kind: 'coming' }
  | { kind: 'wait'; minutes: number }
  | { kind: 'hand'; toPersonId: string }
  | { kind: 'notMe' }
  | { kind: 'pick'; personId?: string }
  | { kind: 'close' };

/** What a transition asks the use case to do besides storing the new state. */
export interface Transition {
  visit: Visit;
  /** A new host to send the visit to (the host's DM). */
  pingHost?: { personId: string; repeat: boolean };
  /** When to look again (escalation step 1, or the end of a wait). */
  nextCheckAt?: Date;
  /** The host took charge for the first time: count it (a follow-up on a customer). */
  tookCharge?: boolean;
  /** Nobody is left to route to: the reporter is told. */
  exhausted?: boolean;
}

export interface StaleInfo {
  byPersonId?: string;
  at: Date;
  status: VisitStatus;
}

/** How a transition names people and times in a refusal (the org's names, org time). */
export interface ActionEnv {
  now: Date;
  /** How long to wait for an answer from now (escalation.ts). */
  delayMs: number;
  isPerson: (id: string) => boolean;
  nameOf: (id: string) => string;
  timeOf: (d: Date) => string;
}

/** A press or command on a visit in a state it was not shown in: "already handled by … at …". */
export function staleError(visit: Visit, env: Pick<ActionEnv, 'nameOf' | 'timeOf'>): AppError {
  return new AppError('ALREADY_DONE', 'visit already handled', {
    reason: 'visitor.alreadyHandled',
    by: env.nameOf(visit.last?.byPersonId ?? visit.reporterId),
    at: env.timeOf(visit.last?.at ?? visit.createdAt),
  });
}

/** Routes to the first candidate left (or reports that nobody is). */
export function routeOn(visit: Visit, now: Date, delayMs: number): Transition {
  const [next, ...rest] = visit.candidates;
  if (!next) {
    return { visit: { ...visit, status: 'notified', hostId: undefined, hostReason: undefined, candidates: [], version: visit.version + 1, step: 0, seenAt: undefined }, exhausted: true };
  }
  return {
    visit: { ...visit, status: 'notified', hostId: next.personId, hostReason: next.reason, candidates: rest, choose: [], version: visit.version + 1, step: 0, waitMinutes: undefined, waitUntil: undefined, seenAt: undefined },
    pingHost: { personId: next.personId, repeat: false },
    nextCheckAt: new Date(now.getTime() + delayMs),
  };
}

/**
 * Applies a press (or a typed action) by `actorId` on the visit as it was shown at
 * `shownVersion`. Throws AppError: stale, not theirs, or a wrong value.
 */
export function applyAction(visit: Visit, action: VisitAction, actorId: string, shownVersion: number, env: ActionEnv): Transition {
  const { now, delayMs, isPerson } = env;
  if (visit.status === 'closed' || visit.version !== shownVersion) throw staleError(visit, env);
  const last = (kind: VisitAction['kind']) => ({ action: kind, byPersonId: actorId, at: now });
  const isHost = visit.hostId === actorId;
  const mayHost = isHost || visit.told.includes(actorId);
  switch (action.kind) {
    case 'close':
      if (actorId !== visit.reporterId && !isHost) throw new AppError('FORBIDDEN', 'not the reporter or host', { reason: 'visitor.notYours' });
      return { visit: { ...visit, status: 'closed', closedAt: now, version: visit.version + 1, last: last('close') } };
    case 'pick': {
      if (actorId !== visit.reporterId) throw new AppError('FORBIDDEN', 'not the reporter', { reason: 'visitor.notYours' });
      if (visit.status !== 'choosing') throw staleError(visit, env);
      if (action.personId === undefined) return withLast(routeOn({ ...visit, choose: [] }, now, delayMs), last('pick'));
      if (!visit.choose.includes(action.personId)) throw new AppError('INVALID_INPUT', 'not a candidate', { reason: 'visitor.notCandidate' });
      const candidates = visit.candidates.filter((c) => c.personId !== action.personId);
      return withLast(routeOn({ ...visit, candidates: [{ personId: action.personId, reason: { kind: 'picked', byPersonId: actorId } }, ...candidates] }, now, delayMs), last('pick'));
    }
    case 'coming': {
      if (!mayHost) throw new AppError('FORBIDDEN', 'not the host', { reason: 'visitor.notHost' });
      const first = visit.takenAt === undefined;
      const reason: HostReason | undefined = isHost ? visit.hostReason : { kind: 'handedOver', byPersonId: visit.hostId ?? actorId };
      return {
        visit: { ...visit, status: 'coming', hostId: actorId, hostReason: reason, takenById: visit.takenById ?? actorId, takenAt: visit.takenAt ?? now, version: visit.version + 1, waitUntil: undefined, last: last('coming') },
        tookCharge: first,
      };
    }
    case 'wait': {
      if (!mayHost) throw new AppError('FORBIDDEN', 'not the host', { reason: 'visitor.notHost' });
      if (!(WAIT_MINUTES as readonly number[]).includes(action.minutes)) throw new AppError('INVALID_INPUT', 'bad wait', { reason: 'visitor.badWait' });
      const waitUntil = new Date(now.getTime() + action.minutes * 60_000);
      return {
        visit: { ...visit, status: 'delayed', hostId: actorId, takenById: visit.takenById ?? actorId, takenAt: visit.takenAt ?? now, waitMinutes: action.minutes, waitUntil, version: visit.version + 1, step: 0, last: last('wait') },
        nextCheckAt: waitUntil,
        tookCharge: visit.takenAt === undefined,
      };
    }
    case 'hand': {
      if (!mayHost) throw new AppError('FORBIDDEN', 'not the host', { reason: 'visitor.notHost' });
      if (action.toPersonId === actorId || !isPerson(action.toPersonId)) throw new AppError('INVALID_INPUT', 'bad colleague', { reason: 'visitor.badColleague' });
      const candidates = visit.candidates.filter((c) => c.personId !== action.toPersonId);
      // The same clock: createdAt stays; the ladder starts again for the new host.
      return withLast(routeOn({ ...visit, told: [], candidates: [{ personId: action.toPersonId, reason: { kind: 'handedOver', byPersonId: actorId } }, ...candidates] }, now, delayMs), last('hand'));
    }
    case 'notMe': {
      if (!isHost) throw new AppError('FORBIDDEN', 'not the host', { reason: 'visitor.notHost' });
      if (visit.takenAt !== undefined && visit.status !== 'notified') throw staleError(visit, env);
      return withLast(routeOn({ ...visit, told: [] }, now, delayMs), last('notMe'));
    }
  }
}

function withLast(t: Transition, last: NonNullable<Visit['last']>): Transition {
  return { ...t, visit: { ...t.visit, last } };
}

/** The end of a wait: the host is asked again and the ladder starts again. */
export function reask(visit: Visit, now: Date, delayMs: number): Transition {
  return {
    visit: { ...visit, status: 'notified', version: visit.version + 1, step: 0, waitUntil: undefined, last: { action: 'reasked', at: now } },
    pingHost: visit.hostId ? { personId: visit.hostId, repeat: true } : undefined,
    nextCheckAt: new Date(now.getTime() + delayMs),
  };
}

/** Duplicate reports: the same reporter, company and visitors within this window are one visit. */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;

export function duplicateKey(reporterId: string, companyKey: string, visitorNames: string | undefined, now: Date): string {
  const names = (visitorNames ?? '').normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
  return `${reporterId}|${companyKey}|${names}|${Math.floor(now.getTime() / DUPLICATE_WINDOW_MS)}`;
}

/** A check the job queue runs later (escalation step, end of a wait). */
export interface VisitCheck {
  visitId: string;
  version: number;
  step: number;
  runAt: Date;
}

export interface ExpectedVisit {
  id: string;
  personId: string;
  company: string;
  companyKey: string;
  visitorName?: string;
  /** Org-time day, YYYY-MM-DD. */
  day: string;
  expectedAt?: Date;
  visitId?: string;
  createdAt: Date;
}

export interface VisitListItem {
  id: string;
  company: string;
  headcount: number;
  status: VisitStatus;
  hostId?: string;
  takenById?: string;
  takenAt?: Date;
  createdAt: Date;
  closedAt?: Date;
}

export interface VisitStore {
  /** Inserts a new visit with its notices and first check; the existing one when the duplicate key was taken. */
  create(visit: Visit, duplicateKey: string, notices: OutboxEntry[], checks: VisitCheck[]): Promise<{ ok: true } | { ok: false; existing: Visit }>;
  get(id: string): Promise<Visit | undefined>;
  /**
   * Stores `next` if the visit is still at `from` (version and step): false when another
   * press, replica or retry changed it first. Notices, checks and a follow-up in the same transaction.
   */
  update(next: Visit, from: { version: number; step: number }, notices: OutboxEntry[], checks: VisitCheck[], followUp?: { customerId: string; personId: string; note: string; at: Date; releaseAt?: Date }): Promise<boolean>;
  list(from: Date, to: Date, limit: number): Promise<VisitListItem[]>;
  addExpected(e: ExpectedVisit): Promise<void>;
  /** Today's expected visits not yet matched, for a company key. */
  findExpected(companyKey: string, day: string): Promise<ExpectedVisit[]>;
  listExpected(day: string): Promise<ExpectedVisit[]>;
  /** Erases personal details of visits created before `before`; returns how many. */
  erasePersonalDetails(before: Date): Promise<number>;
}
