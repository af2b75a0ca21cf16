// Use case: someone submits a service's form. Every date field is checked like `promise`
// (not in the past, not earlier than the service's lead time in working days); the assignee
// comes from the catalog's rule (head, a fixed person, rotation skipping anyone away); the
// deadlines are counted in the department's working time. The request, its number, the
// requester's status, the assignee's DM (or the manager's approval first: their stand-in's
// while the manager is being handed over), the channel's
// card and — when it names a customer — the entry in that customer's history are written
// in one transaction. The same submission twice within ten minutes is one request.
import { createHash, randomUUID } from 'node:crypto';
import type { CustomerStore } from '../customers/customer.ts';
import { findCustomers } from '../customers/find-customer.ts';
import { normaliseCompanyName } from '../customers/normalise-name.ts';
import { AppError } from '../errors.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import { departmentSchedule, localDay } from '../time/working-time.ts';
import { chooseAssignee } from './assignment.ts';
import type { CatalogService, Texts } from './catalog.ts';
import { checkServicePromise } from './check-promise.ts';
import { withNextAlert } from './request-alerts.ts';
import { approverOf, requestEffects } from './request-effects.ts';
import { deadlines, type RequestDisplay, type RequestFieldValue, type RequestStore, type ServiceRequest } from './request.ts';

export interface SubmitRequestOptions {
  requests: RequestStore;
  customers: CustomerStore;
  directory: OrgDirectory;
  requester: Person;
  service: CatalogService;
  /** The form's values, validated by its fields already (chat/form.ts). */
  values: Record<string, RequestFieldValue>;
  now: Date;
  /** Who approves instead of the requester's manager, when someone does (a manager being handed over: core/handovers). */
  approverStandIn?: (managerId: string) => Promise<string | undefined>;
}

export type SubmitOutcome = { kind: 'submitted'; request: ServiceRequest } | { kind: 'duplicate'; request: ServiceRequest };

const DUPLICATE_WINDOW_MS = 10 * 60_000;
const YES_NO: Record<'yes' | 'no', Texts> = { yes: { en: 'yes', 'zh-CN': '是' }, no: { en: 'no', 'zh-CN': '否' } };

/** Each date field against the lead time, as `promise` checks a date. */
function checkDates(o: SubmitRequestOptions): void {
  for (const f of o.service.fields) {
    const v = o.values[f.name];
    if ((f.kind !== 'date' && f.kind !== 'dateTime') || typeof v !== 'string') continue;
    const date = v.slice(0, 10);
    const outcome = checkServicePromise({ org: o.directory.org, service: o.service, date, now: o.now });
    if (outcome.kind === 'past') throw new AppError('INVALID_INPUT', 'date in the past', { reason: 'request.pastDate', field: f.label[o.directory.localeOf(o.requester)], date });
    if (outcome.kind === 'tooEarly') {
      throw new AppError('INVALID_INPUT', 'date before the lead time', {
        reason: 'request.tooEarly', field: f.label[o.directory.localeOf(o.requester)], date, earliest: outcome.earliest, lead: outcome.leadTimeDays, holidays: outcome.holidays.join(', '),
      });
    }
  }
}

/** The form's values as they read in both languages (choices by their labels, people by name). */
export function displayOf(directory: OrgDirectory, service: CatalogService, values: Record<string, RequestFieldValue>): RequestDisplay {
  const fields: RequestDisplay['fields'] = [];
  for (const f of service.fields) {
    const v = values[f.name];
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    const choice = (x: string): Texts => f.choices?.find((c) => c.value === x)?.label ?? { en: x, 'zh-CN': x };
    let value: Texts;
    if (typeof v === 'boolean') value = v ? YES_NO.yes : YES_NO.no;
    else if (Array.isArray(v)) value = { en: v.map((x) => choice(x).en).join(', '), 'zh-CN': v.map((x) => choice(x)['zh-CN']).join('、') };
    else if (f.kind === 'choice') value = choice(String(v));
    else if (f.kind === 'person') value = { en: directory.person(String(v))?.name ?? String(v), 'zh-CN': directory.person(String(v))?.name ?? String(v) };
    else value = { en: String(v), 'zh-CN': String(v) };
    fields.push({ label: f.label, value });
  }
  return { serviceName: service.name, fields };
}

/** The customer a customer field names, by the claims matcher (else one search hit); a name nobody claimed stays text. */
async function customerOf(o: SubmitRequestOptions): Promise<{ id: string; name: string } | undefined> {
  const field = o.service.fields.find((f) => f.kind === 'customer' && typeof o.values[f.name] === 'string');
  if (!field) return undefined;
  const name = String(o.values[field.name]);
  const key = normaliseCompanyName(name).key;
  const found = (key ? await o.customers.findByKeyOrCode(key) : undefined) ?? (await findCustomers({ store: o.customers, query: name, limit: 2 }).then((c) => (c.length === 1 ? c[0] : undefined)));
  return found ? { id: found.id, name: found.name } : undefined;
}

export async function submitRequest(o: SubmitRequestOptions): Promise<SubmitOutcome> {
  const { directory, service, now, requester } = o;
  checkDates(o);
  const department = directory.department(service.departmentId);
  if (!department) throw new AppError('NOT_FOUND', 'no such department', { reason: 'request.noAssignee' });
  const schedule = departmentSchedule(directory.org, department.id);
  const day = localDay(now.getTime(), schedule.timezone);
  const assigneeId = chooseAssignee({ rule: service.assign, department, lastAssigneeId: await o.requests.lastAssignee(service.key), away: await o.requests.awayOn(day), day });
  if (!assigneeId) throw new AppError('CONFLICT', 'nobody to assign', { reason: 'request.noAssignee' });
  const manager = service.managerApproves ? approverOf(directory, { requesterId: requester.id }) : undefined;
  const standIn = manager && o.approverStandIn ? await o.approverStandIn(manager) : undefined;
  const approver = standIn ?? manager;
  const customer = await customerOf(o);
  const request: ServiceRequest = withNextAlert({
    id: randomUUID(), number: 0, serviceKey: service.key, departmentId: department.id, requesterId: requester.id, assigneeId,
    // Without a manager to approve, the request goes straight to the department.
    status: approver ? 'submitted' : 'approved', fields: o.values, customer, version: 1, clockStart: now, ...deadlines(service, now, 0, schedule),
    pausedMs: 0, extendedMs: 0, submittedAt: now, told: [approver ?? assigneeId], ...(standIn ? { approverId: standIn } : {}), last: { action: 'submitted', byPersonId: requester.id, at: now }, display: displayOf(directory, service, o.values),
  }, service, schedule);
  // The number is given in the store's transaction; what is sent quotes it.
  const effectsFor = (numbered: ServiceRequest) => {
    const effects = requestEffects(directory, undefined, numbered, now);
    if (customer) effects.followUp = { customerId: customer.id, personId: requester.id, note: `#${numbered.number} ${service.name[directory.localeOf(requester)]} (${department.name})`, at: now };
    return effects;
  };
  const hash = createHash('sha256').update(JSON.stringify([service.key, o.values])).digest('hex').slice(0, 16);
  const duplicateKey = `${requester.id}:${hash}:${Math.floor(now.getTime() / DUPLICATE_WINDOW_MS)}`;
  const created = await o.requests.create(request, duplicateKey, effectsFor);
  return created.ok ? { kind: 'submitted', request: created.request } : { kind: 'duplicate', request: created.existing };
}
