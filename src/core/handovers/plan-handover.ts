// Use cases: build the plan of a leaver's handover (nothing moves), and start it. The plan
// is built the same way both times, from the state at that moment, so a plan accepted
// after the customers changed is the plan of what there is now, and a double start is
// refused by the store (one open handover per leaver).
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { NoticeJob } from '../notices.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import { releaseDueAt } from '../customers/pool-rules.ts';
import { nextWorkingDay, type WorkingCalendar } from '../time/working-days.ts';
import { departmentSchedule, scheduleCalendar } from '../time/working-time.ts';
import { instantsOf } from '../time/wall-clock.ts';
import type { Catalog } from '../requests/catalog.ts';
import type { RequestStore } from '../requests/request.ts';
import type { HandoverStore } from './handover.ts';
import { leaverRequestMoves, leaverRequests, leaverStandIn, NO_REQUESTS, type LeaverRequests } from './handover-requests.ts';
import type { LeaverRequestRoutes } from './leaver-requests.ts';
import {
  DEFAULT_NOTICE_WORKING_DAYS,
  lastDayProblem,
  overCap,
  proposeSuccessors,
  RECORD_WINDOW_DAYS,
  REPEAT_WINDOW_DAYS,
  stepDueDay,
  workingDaysAfter,
  type PlanItem,
} from './handover-rules.ts';
import { adminsOr, candidatesForRemoved, hasLeft, mayManage, orgRolesOf, successorCandidates, type OrgRole } from './successors.ts';

const DAY = 86_400_000;

export interface Plan {
  leaverId: string;
  lastDay: string;
  dueDay: string;
  items: PlanItem[];
  /** The leaver's duty slots, arbiter and head roles: org-file edits for the admins (issue 14 point 5). */
  orgRoles: OrgRole[];
  /** The leaver's open requests: assigned ones back to their department's rule, the ones they made to a successor or their manager (point 5). */
  requests: LeaverRequestRoutes;
}

export interface PlanHandoverOptions {
  store: HandoverStore;
  directory: OrgDirectory;
  actor: Person;
  leaverId: string;
  /** One successor for all, or several to split among (each customer to the best of them). */
  successorIds?: string[];
  lastDay?: string;
  now: Date;
  /** The service requests and their catalog: the leaver's open requests are in the plan and move at the start. */
  requests?: RequestStore;
  catalog?: Catalog;
}

export function orgToday(directory: OrgDirectory, now: Date): string {
  return now.toLocaleDateString('sv-SE', { timeZone: directory.org.timezone });
}

/** The org's working calendar: the package's Chinese calendar with the org file's `calendar:` days added and removed (working-time.ts). */
export function orgCalendar(directory: OrgDirectory): WorkingCalendar {
  return scheduleCalendar(departmentSchedule(directory.org, ''));
}

/** The start of the working day `ymd` in the org's zone (a reminder's time). */
export function orgMorning(directory: OrgDirectory, ymd: string): Date {
  const [hour, minute] = directory.org.workingHours.start.split(':').map(Number);
  const [year, month, day] = ymd.split('-').map(Number);
  const at = instantsOf({ year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: 0 }, directory.org.timezone)[0];
  return new Date(at ?? Date.UTC(year!, month! - 1, day!, hour!, minute!));
}

export async function planHandover(options: PlanHandoverOptions): Promise<Plan> {
  return (await planWithRequests(options)).plan;
}

async function planWithRequests(options: PlanHandoverOptions): Promise<{ plan: Plan; found: LeaverRequests }> {
  const { store, directory, actor, leaverId, now } = options;
  // Someone removed from the org file still has a plan while they own customers (issue 14 point 2).
  const leaver = directory.person(leaverId);
  if (leaver && !mayManage(directory, actor, leaver.id)) throw new AppError('FORBIDDEN', 'not in your line', { reason: 'handover.notInLine' });
  const name = leaver?.name ?? leaverId;
  const today = orgToday(directory, now);
  const calendar = orgCalendar(directory);
  // Gone already: nobody is left to phone or visit, so the steps are due today and the next morning moves what is left.
  const lastDay = options.lastDay ?? (leaver ? (leaver.leftOn && leaver.leftOn > today ? leaver.leftOn : leaver.leftOn ? today : workingDaysAfter(calendar, today, DEFAULT_NOTICE_WORKING_DAYS)) : today);
  if (lastDayProblem(today, lastDay)) throw new AppError('INVALID_INPUT', 'last day in the past', { reason: 'handover.lastDayPast' });

  let candidates = leaver ? successorCandidates(directory, leaver, today) : candidatesForRemoved(directory, actor, today);
  if (options.successorIds?.length) {
    candidates = options.successorIds.map((id) => {
      const p = directory.person(id);
      if (!p) throw new AppError('NOT_FOUND', 'no such person', { reason: 'handover.noPerson', person: id });
      if (p.id === leaverId) throw new AppError('INVALID_INPUT', 'successor is the leaver', { reason: 'handover.successorIsLeaver', person: p.name });
      if (!directory.effectiveRoles(p).has('rep') || hasLeft(p, today) || p.leftOn) throw new AppError('INVALID_INPUT', 'not a rep', { reason: 'handover.notRep', person: p.name });
      return p;
    });
  }
  const inputs = await store.planInputs({
    leaverId,
    candidateIds: candidates.map((c) => c.id),
    recordSince: new Date(now.getTime() - RECORD_WINDOW_DAYS * DAY),
    repeatSince: new Date(now.getTime() - REPEAT_WINDOW_DAYS * DAY),
  });
  if (!leaver) {
    // Not in the org file and owning nothing: a name nobody knows.
    if (inputs.customers.length === 0) throw new AppError('NOT_FOUND', 'no such person', { reason: 'handover.noPerson', person: leaverId });
    if (!mayManage(directory, actor, leaverId)) throw new AppError('FORBIDDEN', 'not in your line', { reason: 'handover.notInLine' });
  }
  if (inputs.customers.length === 0) throw new AppError('INVALID_INPUT', 'no customers', { reason: 'handover.noCustomers', person: name });
  const cap = directory.org.pool.maxHeld;
  // Named successors are held to the cap too: proposed with unlimited room, then checked.
  const named = Boolean(options.successorIds?.length);
  const items = proposeSuccessors(inputs.customers, inputs.candidates, named ? Number.MAX_SAFE_INTEGER : cap);
  if (named) {
    const over = overCap(items, inputs.candidates, cap)[0];
    if (over) throw new AppError('CONFLICT', 'successor over the cap', { reason: 'handover.overCap', person: directory.person(over.personId)?.name ?? over.personId, held: over.held, adding: over.adding, cap });
  }
  const found =
    options.requests && options.catalog
      ? await leaverRequests({
          requests: options.requests,
          catalog: options.catalog,
          directory,
          leaverId,
          successorOf: new Map(items.filter((i) => i.successorId).map((i) => [i.customerId, i.successorId!])),
          fallbackRequesterId: leaverStandIn(directory, leaverId, actor.id),
          now,
        })
      : NO_REQUESTS;
  return { plan: { leaverId, lastDay, dueDay: stepDueDay(calendar, today, lastDay), items, orgRoles: orgRolesOf(directory, leaverId), requests: found.routes }, found };
}

/** Starts the handover as planned now: 0% customers move at once; everyone involved is told. */
export async function startHandover(options: PlanHandoverOptions): Promise<{ plan: Plan; handoverId: string; transferred: number; visitsMoved: number; requestsMoved: number }> {
  const { store, directory, actor, now } = options;
  const { plan, found } = await planWithRequests(options);
  const missing = plan.items.find((i) => !i.successorId);
  if (missing) throw new AppError('CONFLICT', 'no successor with room', { reason: 'handover.noSuccessor', person: missing.customerName });
  if (plan.items.some((i) => i.needsAdmin) && !directory.effectiveRoles(actor).has('admin')) throw new AppError('FORBIDDEN', 'a third handover in 90 days', { reason: 'handover.needsAdmin' });
  const id = randomUUID();
  // Someone removed from the org file cannot be told; everyone else involved is.
  const people = new Set([plan.leaverId, ...plan.items.map((i) => i.successorId!)].filter((p) => directory.person(p)));
  const notices: NoticeJob[] = [...people].map((personId) => ({
    personId,
    notice: { type: 'handover.started', handoverId: id, leaverId: plan.leaverId, lastDay: plan.lastDay, byPersonId: actor.id },
    idempotencyKey: `handover:${id}:started:${personId}`,
    runAt: now,
  }));
  // Duty slots and arbiter roles are the org file's: the admins are told which edits to make.
  if (plan.orgRoles.length) {
    for (const personId of adminsOr(directory, actor.id)) {
      notices.push({ personId, notice: { type: 'handover.orgEdits', leaverId: plan.leaverId, roles: plan.orgRoles }, idempotencyKey: `handover:${id}:orgEdits:${personId}`, runAt: now });
    }
  }
  const requests = options.catalog ? leaverRequestMoves({ directory, catalog: options.catalog, leaverId: plan.leaverId, actorId: actor.id, handoverId: id, found, now }) : { moves: [], notices: [] };
  notices.push(...requests.notices);
  const result = await store.start(
    {
      id,
      leaverId: plan.leaverId,
      startedById: actor.id,
      lastDay: plan.lastDay,
      at: now,
      items: plan.items.map((i) => ({ id: randomUUID(), customerId: i.customerId, customerName: i.customerName, successorId: i.successorId!, stage: i.stage, step: i.step, needsNote: i.note, dueDay: plan.dueDay })),
      releaseAt: (stage) => releaseDueAt(directory.org.pool, stage, now),
      today: orgToday(directory, now),
      requests: requests.moves,
    },
    notices,
  );
  if (!result.ok) throw new AppError('ALREADY_DONE', 'a handover is open', { reason: 'handover.alreadyOpen', person: directory.person(plan.leaverId)?.name ?? plan.leaverId });
  return { plan, handoverId: id, transferred: result.transferred, visitsMoved: result.visitsMoved, requestsMoved: result.requestsMoved };
}

/** The next working day a step could be done (for a plan shown on a holiday). */
export function firstWorkingDay(directory: OrgDirectory, now: Date): string {
  return nextWorkingDay(orgCalendar(directory), orgToday(directory, now));
}
