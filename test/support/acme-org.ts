// The small sales org the repository tests of claims, contests and handovers share
// (test/db/*.test.ts), and their two helpers: a claim that must succeed, and the AppError a
// use case must refuse with.
import { expect } from 'vitest';
import { parseOrgText } from '../../src/config/org-file.ts';
import { claimCustomer } from '../../src/core/customers/claim-customer.ts';
import type { Customer, CustomerStore } from '../../src/core/customers/customer.ts';
import { AppError } from '../../src/core/errors.ts';
import type { OrgDirectory } from '../../src/core/org/org.ts';

/** One `people:` line of the org file: `id` with its name capitalised and an acme.test email. */
export function acmePerson(id: string, more = ''): string {
  const name = id.charAt(0).toUpperCase() + id.slice(1);
  return `  - { id: ${id}, name: ${name}, email: ${id}@acme.test, department: sales${more ? `, ${more}` : ''} }`;
}

/** Acme: one sales department headed by `head`, the given people, and anything else the org file should say. */
export function acmeOrg(o: { head: string; people: string[]; extra?: string }): OrgDirectory {
  return parseOrgText(
    `company: Acme
timezone: Asia/Shanghai
departments:
  - { id: sales, name: Sales, kind: sales, head: ${o.head} }
people:
${o.people.join('\n')}
${o.extra ?? ''}`,
    'org.yaml',
  );
}

/** A claim that must land (the test's seeding), as `by` at `now`. */
export async function claimAs(store: CustomerStore, directory: OrgDirectory, by: string, name: string, now: Date): Promise<Customer> {
  const r = await claimCustomer({ store, directory, claimant: directory.person(by)!, input: { name }, now });
  if (r.kind !== 'claimed') throw new Error(`expected a claim, got ${r.kind}`);
  return r.customer;
}

/** The AppError a promise rejects with (failing the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}
