// Use case: is a date realistic to promise a customer for a service? Its standard lead time
// in working days, counted from now in the department's calendar (holidays skipped, make-up
// days counted), gives the earliest realistic date; the holidays in between say why.
import type { CustomerStore } from '../customers/customer.ts';
import { normaliseCompanyName } from '../customers/normalise-name.ts';
import type { Org, Person } from '../org/org.ts';
import { checkPromise, departmentSchedule, localDay, unknownCalendarYears } from '../time/working-time.ts';
import type { CatalogService } from './catalog.ts';
import type { RequestStore } from './request.ts';

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

export interface RecordPromiseOptions {
  requests: Pick<RequestStore, 'recordPromise'>;
  customers: Pick<CustomerStore, 'findByKeyOrCode'>;
  company: string;
  service: CatalogService;
  date: string;
  person: Person;
  now: Date;
}

/** A realistic date checked is the promise made: recorded against the customer (when claimed) for its outcome (kept / broken once a request of that service for them resolves) and the digest. */
export async function recordServicePromise(o: RecordPromiseOptions): Promise<void> {
  const key = normaliseCompanyName(o.company).key;
  const customer = key ? await o.customers.findByKeyOrCode(key) : undefined;
  await o.requests.recordPromise({ customerId: customer?.id, company: customer?.name ?? o.company, serviceKey: o.service.key, date: o.date, personId: o.person.id, at: o.now });
}
