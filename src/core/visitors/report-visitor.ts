// Use case: anyone in the org reports a visitor at reception (before office hours too).
// kehu matches the visit to an expected one, the person they named, the owner of their
// company, the duty roster, the sales head or the arbiter (routing.ts), pings the host and
// sends the reporter a status message it keeps up to date; the first escalation check is
// written in the same transaction. The same report twice within ten minutes is one visit.
import { randomUUID } from 'node:crypto';
import type { CustomerStore } from '../customers/customer.ts';
import { findCustomers } from '../customers/find-customer.ts';
import { normaliseCompanyName } from '../customers/normalise-name.ts';
import { dayOf } from '../digests/period.ts';
import { AppError } from '../errors.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import { escalationDelayMs } from './escalation.ts';
import { matchHost } from './host-match.ts';
import { routeVisit } from './routing.ts';
import { effectsOf, feedChannels } from './snapshot.ts';
import { duplicateKey, routeOn, type CustomerSummary, type Transition, type Visit, type VisitStore } from './visit.ts';

export interface VisitorInput {
  company?: string;
  visitorNames?: string;
  headcount?: number;
  phone?: string;
  /** A person (org id, name, pinyin, a mention), free text, or nothing. */
  askedFor?: string;
  purpose?: string;
  note?: string;
}

export interface ReportVisitorOptions {
  visits: VisitStore;
  customers: CustomerStore;
  directory: OrgDirectory;
  reporter: Person;
  input: VisitorInput;
  now: Date;
}

export type ReportOutcome = { kind: 'reported'; visit: Visit } | { kind: 'duplicate'; visit: Visit };

/** Words that mean "they asked for nobody in particular". */
const NOBODY = new Set(['nobody', 'none', 'no one', '-', '无', '没有', '没', '不知道', '不清楚', '随便', '任何人']);

/** A phone number: digits with spaces, +, -, dots and parentheses; 5 to 20 digits. */
export function validPhone(raw: string): string | undefined {
  const s = raw.normalize('NFKC').trim();
  if (!/^\+?[\d\s().-]+$/.test(s)) return undefined;
  const digits = s.replace(/\D/g, '').length;
  return digits >= 5 && digits <= 20 ? s.replace(/\s+/g, ' ') : undefined;
}

export async function reportVisitor(o: ReportVisitorOptions): Promise<ReportOutcome> {
  const { directory, now } = o;
  const settings = directory.org.visitors;
  const company = o.input.company?.trim() || undefined;
  const names = o.input.visitorNames?.trim() || undefined;
  if (!company && !names) throw new AppError('INVALID_INPUT', 'no company and no name', { reason: 'visitor.companyOrName' });
  const headcount = o.input.headcount ?? 1;
  if (!Number.isInteger(headcount) || headcount < 1 || headcount > 50) throw new AppError('INVALID_INPUT', 'bad headcount', { reason: 'visitor.badHeadcount' });
  let phone: string | undefined;
  if (o.input.phone?.trim()) {
    phone = validPhone(o.input.phone);
    if (!phone) throw new AppError('INVALID_INPUT', 'not a phone number', { reason: 'visitor.badPhone' });
  }
  const companyKey = company ? normaliseCompanyName(company).key : '';

  // The owner of the visitor's company: the claims matcher (key, alias, credit code; else one search hit).
  let customer: CustomerSummary | undefined;
  let since: Date | undefined;
  if (company && companyKey) {
    const found = (await o.customers.findByKeyOrCode(companyKey)) ?? (await findCustomers({ store: o.customers, query: company, limit: 2 }).then((c) => (c.length === 1 ? c[0] : undefined)));
    if (found) {
      const followUps = await o.customers.recentFollowUps(found.id, 3);
      customer = { id: found.id, name: found.name, ownerId: found.ownerId, stage: found.stage, lost: found.lost, followUps: followUps.map((f) => ({ ...f, at: f.at.toISOString() })) };
      since = found.claimedAt;
    }
  }
  const expectedList = companyKey ? await o.visits.findExpected(customer ? normaliseCompanyName(customer.name).key : companyKey, dayOf(now, directory.org.timezone)) : [];
  const expected = expectedList.find((e) => directory.person(e.personId)) ?? (customer && companyKey !== normaliseCompanyName(customer.name).key ? (await o.visits.findExpected(companyKey, dayOf(now, directory.org.timezone)))[0] : undefined);

  const askedFor = o.input.askedFor?.trim() || undefined;
  const named = askedFor && !NOBODY.has(askedFor.toLowerCase()) ? matchHost(directory, askedFor, settings.formerStaff) : undefined;
  const route = routeVisit({
    directory,
    settings,
    now,
    expected: expected ? { personId: expected.personId, expectedAt: expected.expectedAt } : undefined,
    named,
    owner: customer?.ownerId ? { personId: customer.ownerId, customerName: customer.name, since } : undefined,
  });

  const base: Visit = {
    id: randomUUID(), reporterId: o.reporter.id, company: company ?? customer?.name ?? '—', companyKey, visitorNames: names, headcount, phone, askedFor,
    purpose: o.input.purpose?.trim() || undefined, note: o.input.note?.trim() || undefined, customer, expectedId: expected?.id,
    status: 'choosing', candidates: route.candidates, choose: route.choose?.map((p) => p.id) ?? [], namedProblem: route.namedProblem, told: [],
    version: 1, step: 0, last: { action: 'reported', byPersonId: o.reporter.id, at: now }, createdAt: now,
  };
  // An expected visit or a clear name first; several names: the reporter picks (no ping yet).
  const t: Transition = base.choose.length && !expected ? { visit: base } : routeOn(base, now, escalationDelayMs(directory, settings, now));
  const visit = { ...t.visit, version: 1, last: base.last };
  const { notices, checks } = effectsOf({ ...t, visit }, now, feedChannels(directory), true);
  const created = await o.visits.create(visit, duplicateKey(o.reporter.id, companyKey, names, now), notices, checks);
  return created.ok ? { kind: 'reported', visit } : { kind: 'duplicate', visit: created.existing };
}
