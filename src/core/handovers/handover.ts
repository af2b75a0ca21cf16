// Handovers as the core sees them, and the store the use cases need. Implemented by
// db/repositories/handover.repository.ts: every ownership change is one transaction with its
// history (kind `handover`), its notices and its jobs.
import type { Stage } from '../customers/funnel.ts';
import type { NoticeJob } from '../notices.ts';
import type { RequestEffects, ServiceRequest } from '../requests/request.ts';
import type { Candidate, HandoverStep, PlanCustomer, VisitReminderWhen } from './handover-rules.ts';

export type HandoverStatus = 'open' | 'done' | 'cancelled';
export type ItemStatus = 'pending' | 'done' | 'incomplete' | 'cancelled';

export interface Handover {
  id: string;
  leaverId: string;
  startedById: string;
  lastDay: string;
  status: HandoverStatus;
  createdAt: Date;
}

export interface HandoverItem {
  id: string;
  handoverId: string;
  customerId: string;
  customerName: string;
  successorId: string;
  stage: Stage;
  step: HandoverStep;
  needsNote: boolean;
  dueDay: string;
  status: ItemStatus;
  leaverDoneAt?: Date;
  successorDoneAt?: Date;
  visitDay?: string;
  note?: string;
}

export interface NewHandover {
  id: string;
  leaverId: string;
  startedById: string;
  lastDay: string;
  at: Date;
  items: Omit<HandoverItem, 'handoverId' | 'status' | 'leaverDoneAt' | 'successorDoneAt' | 'visitDay' | 'note'>[];
  /** The pool clock the successor starts with, per customer moved at once. */
  releaseAt: (stage: Stage) => Date;
  /** Expected visits (`expect`) the leaver hosts from this day on: to the successor of that customer, else to whoever started it. */
  today: string;
  /** The leaver's open requests, reassigned or given a new requester (leaver-requests.ts), each stored only from the version read. */
  requests?: RequestMove[];
}

/** One request changed by a handover's start, with the effects any change of it has (DMs, messages updated in place, the card). */
export interface RequestMove {
  next: ServiceRequest;
  fromVersion: number;
  effects: RequestEffects;
}

export type StartResult = { ok: true; transferred: number; visitsMoved: number; requestsMoved: number } | { ok: false; reason: 'alreadyOpen' };

/** A joint visit's reminder, written as a job with the visit day (core/handovers/visit-reminder.ts drops it once moot). */
export interface VisitReminderJob {
  itemId: string;
  visitDay: string;
  when: VisitReminderWhen;
  runAt: Date;
}

export interface HandoverStore {
  /** What a plan is built from, read in a few grouped queries (never per customer). */
  planInputs(q: { leaverId: string; candidateIds: string[]; recordSince: Date; repeatSince: Date }): Promise<{ customers: PlanCustomer[]; candidates: Candidate[] }>;
  /**
   * Opens the handover, its items, and moves the 0% customers at once (still the leaver's
   * only), each with its `handover` history, in one transaction with `notices`; refused
   * when the leaver already has an open handover.
   */
  start(h: NewHandover, notices: NoticeJob[]): Promise<StartResult>;
  findOpenByLeaver(leaverId: string): Promise<Handover | undefined>;
  /** The leaver's latest handover that was not cancelled (open, or done: everything moved). */
  lastByLeaver(leaverId: string): Promise<Handover | undefined>;
  find(id: string): Promise<Handover | undefined>;
  items(handoverId: string): Promise<HandoverItem[]>;
  item(id: string): Promise<HandoverItem | undefined>;
  listOpen(): Promise<Handover[]>;
  /** Every owner of customers, with how many they own (one grouped index read). */
  owners(): Promise<{ ownerId: string; count: number }[]>;
  /** The rest of the open work people hold: expected visits they host from `today` on, open contests they are to decide, open requests assigned to them. */
  openWork(today: string): Promise<{ personId: string; visits: number; contests: number; requests: number }[]>;
  /**
   * Records one part of an item (the leaver's or the successor's "done", the visit day, the
   * note) if the item is still pending; when that completes the item, the customer moves to
   * the successor (if still the leaver's) in the same transaction, with its history and notices.
   */
  record(change: ItemChange, notices: { recorded: NoticeJob[]; completed: NoticeJob[] }, completion: { releaseAt: Date; at: Date; byPersonId: string; followUp?: { kind: string; note: string } }): Promise<'recorded' | 'completed' | 'stale'>;
  /** Moves an item's customer now, complete or flagged `incomplete`; closes the handover when nothing is left. */
  transferNow(itemId: string, flag: 'done' | 'incomplete', c: { releaseAt: Date; at: Date; byPersonId?: string }, notices: NoticeJob[]): Promise<boolean>;
  /** Extends a pending item's due day. */
  extend(itemId: string, dueDay: string): Promise<boolean>;
  /** Gives a pending item to another successor (the step starts over with them: their confirmation, and a visit's day and the leaver's). */
  reassign(itemId: string, successorId: string, notices: NoticeJob[]): Promise<boolean>;
  /** Customers a person holds that count toward the cap. */
  held(personId: string): Promise<number>;
  /** Cancels an open handover: pending items end `cancelled`, their customers stay where they are. */
  cancel(handoverId: string, at: Date, notices: NoticeJob[]): Promise<boolean>;
  /** A new last day: the handover's, and the due day of every pending item. */
  changeLastDay(handoverId: string, lastDay: string, dueDay: string, notices: NoticeJob[]): Promise<boolean>;
  /** The latest handover note on a customer, for `who`. */
  latestNote(customerId: string): Promise<{ note: string; at: Date; leaverId: string; successorId: string } | undefined>;
}

export type ItemChange =
  | { itemId: string; part: 'leaverDone' | 'successorDone'; at: Date; note?: string }
  | { itemId: string; part: 'visitDay'; visitDay: string; at: Date; reminders: VisitReminderJob[] }
  | { itemId: string; part: 'note'; note: string; at: Date };

/** Whether every part of an item is done: the step's confirmations and the note it needs. */
export function itemComplete(i: Pick<HandoverItem, 'step' | 'needsNote' | 'leaverDoneAt' | 'successorDoneAt' | 'note'>): boolean {
  if (i.step === 'transfer') return true;
  // A call is done when the successor confirms it; a visit when both have.
  const stepDone = i.successorDoneAt !== undefined && (i.step === 'call' || i.leaverDoneAt !== undefined);
  return stepDone && (!i.needsNote || i.note !== undefined);
}
