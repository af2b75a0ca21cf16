// Use cases: announce a visitor ahead (`expect <company> [name] [time]`), the front desk's
// list of today's expected visitors, and the visits of a period with the time until a host
// took charge, who did, and the visits nobody took.
import { median } from '../stats.ts';
import { randomUUID } from 'node:crypto';
import { normaliseCompanyName } from '../customers/normalise-name.ts';
import { addDays } from '../time/working-days.ts';
import { dayOf, instantAt, mondayOf } from '../digests/period.ts';
import { AppError } from '../errors.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import type { ExpectedVisit, VisitListItem, VisitStore } from './visit.ts';

/** "14:30" today, "2026-12-03" or "2026-12-03 14:30", org time; undefined when absent. */
export function parseExpectedTime(raw: string | undefined, now: Date, timezone: string): { day: string; at?: Date } {
  const today = dayOf(now, timezone);
  const s = raw?.trim();
  if (!s) return { day: today };
  const m = /^(?:(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2}))?|(\d{1,2}:\d{2}))$/.exec(s);
  if (!m) throw new AppError('INVALID_INPUT', 'bad time', { reason: 'visitor.badTime' });
  const day = m[1] ?? today;
  const time = m[2] ?? m[3];
  if (!/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(day) || (time && !/^([01]?\d|2[0-3]):[0-5]\d$/.test(time))) throw new AppError('INVALID_INPUT', 'bad time', { reason: 'visitor.badTime' });
  return { day, at: time ? instantAt(day, time.padStart(5, '0'), timezone) : undefined };
}

export async function expectVisitor(o: { visits: VisitStore; directory: OrgDirectory; person: Person; company: string; visitorName?: string; time?: string; now: Date }): Promise<ExpectedVisit> {
  const { key } = normaliseCompanyName(o.company);
  if (!key) throw new AppError('INVALID_INPUT', 'empty company', { reason: 'nameEmpty' });
  const { day, at } = parseExpectedTime(o.time, o.now, o.directory.org.timezone);
  const e: ExpectedVisit = { id: randomUUID(), personId: o.person.id, company: o.company.trim(), companyKey: key, visitorName: o.visitorName?.trim() || undefined, day, expectedAt: at, createdAt: o.now };
  await o.visits.addExpected(e);
  return e;
}

export function expectedToday(o: { visits: VisitStore; directory: OrgDirectory; now: Date }): Promise<ExpectedVisit[]> {
  return o.visits.listExpected(dayOf(o.now, o.directory.org.timezone));
}

export type VisitPeriod = { kind: 'today' } | { kind: 'week' } | { kind: 'day'; day: string };

export interface VisitReport {
  from: Date;
  to: Date;
  visits: VisitListItem[];
  /** Minutes from arrival to a host taking charge, per visit taken. */
  medianMinutes?: number;
  untaken: number;
}

export function periodRange(period: VisitPeriod, now: Date, timezone: string): { from: Date; to: Date } {
  const today = dayOf(now, timezone);
  const first = period.kind === 'week' ? mondayOf(today) : period.kind === 'day' ? period.day : today;
  const last = period.kind === 'week' ? addDays(first, 7) : addDays(first, 1);
  return { from: instantAt(first, '00:00', timezone), to: instantAt(last, '00:00', timezone) };
}

/** The figures of a list of visits: median minutes to a host, and how many nobody took. */
export function visitFigures(visits: readonly VisitListItem[]): { medianMinutes?: number; untaken: number } {
  const taken = visits.filter((v) => v.takenAt).map((v) => (v.takenAt!.getTime() - v.createdAt.getTime()) / 60_000);
  return { medianMinutes: median(taken), untaken: visits.length - taken.length };
}

export async function listVisits(o: { visits: VisitStore; directory: OrgDirectory; period: VisitPeriod; now: Date }): Promise<VisitReport> {
  const { from, to } = periodRange(o.period, o.now, o.directory.org.timezone);
  const visits = await o.visits.list(from, to, 500);
  return { from, to, visits, ...visitFigures(visits) };
}
