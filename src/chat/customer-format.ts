// How customers read in replies: stage labels, dates in the org's time zone, owner names.
import type { Customer } from '../core/customers/customer.ts';
import type { Locale, OrgDirectory } from '../core/org/org.ts';
import { t } from './i18n.ts';

export function stageText(locale: Locale, c: Pick<Customer, 'stage' | 'lost'>): string {
  return c.lost ? (locale === 'en' ? 'lost' : '丢失') : `${c.stage}%`;
}

export function dateText(directory: OrgDirectory, d: Date | undefined, locale: Locale): string {
  if (!d) return t(locale, 'never');
  // sv-SE formats as YYYY-MM-DD; the org's time zone decides which day it was.
  return d.toLocaleDateString('sv-SE', { timeZone: directory.org.timezone });
}

export function personName(directory: OrgDirectory, id: string | undefined, locale: Locale): string {
  if (!id) return t(locale, 'pool.nobody');
  const p = directory.person(id);
  // Never silently ownerless: a removed or leaving owner says so wherever they are named.
  // Removed from the org file: the name it last gave them (the person records), else their id.
  if (!p) return t(locale, 'person.left', { name: bareName(directory, id) });
  return p.leftOn ? t(locale, 'person.leaving', { name: p.name, day: p.leftOn }) : p.name;
}

/** The name alone, for a sentence that itself says the person left; someone removed from the org file by the name it last gave them, else their id. */
export function bareName(directory: OrgDirectory, id: string): string {
  return directory.person(id)?.name ?? directory.formerPerson(id)?.name ?? id;
}

/** "2026-11-26 01:33:03" in the org's time zone: the exact time a claim was registered. */
export function dateTimeText(directory: OrgDirectory, d: Date | undefined, locale: Locale): string {
  if (!d) return t(locale, 'never');
  return d.toLocaleString('sv-SE', { timeZone: directory.org.timezone });
}
