// Use case: is a date realistic to promise a customer for a service? Its standard lead time
// in working days, counted from now in the department's calendar (holidays skipped, make-up
// days counted), gives the earliest realistic date; the holidays in between say why.
import type { Org } from '../org/org.ts';
import { checkPromise, departmentSchedule, localDay, unknownCalendarYears } from '../time/working-time.ts';
import type { CatalogService } from './catalog.ts';

export type PromiseOutcome =
  | { kind: 'past'; date: string }
  | { kind: 'realistic' | 'tooEarly'; date: string; earliest: string; holidays: string[]; leadTimeDays: number; unknownYears: number[] };

export interface CheckServicePromiseOptions {
  org: Org;
  service: CatalogService;
  /** "YYYY-MM-DD" */
  date: string;
  now: Date;
}

export function checkServicePromise({ org, service, date, now }: CheckServicePromiseOptions): PromiseOutcome {
  const schedule = departmentSchedule(org, service.departmentId);
  if (date < localDay(now.getTime(), schedule.timezone)) return { kind: 'past', date };
  const r = checkPromise(now.getTime(), date, service.leadTimeDays, schedule);
  const unknownYears = unknownCalendarYears(now.getTime(), Date.parse(`${r.earliest}T12:00:00Z`), schedule.timezone);
  return { kind: r.ok ? 'realistic' : 'tooEarly', date, earliest: r.earliest, holidays: r.holidays, leadTimeDays: service.leadTimeDays, unknownYears };
}
