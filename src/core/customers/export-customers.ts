// Use case: a manager takes their team's customer book out as rows in the import format
// (import-columns.ts), so the file opens in a spreadsheet and imports again unchanged.
// The team is the manager and everyone below them in the org. Rows are produced lazily
// from the store's pages, so 100,000 customers never sit in memory at once.
import { AppError } from '../errors.ts';
import type { Locale, OrgDirectory, Person } from '../org/org.ts';
import type { Stage } from './funnel.ts';
import { ALIAS_SEPARATOR, exportHeader, formatExportDate, guardCell } from './import-columns.ts';

export interface ExportedCustomer {
  name: string;
  creditCode?: string;
  ownerId: string;
  stage: Stage;
  claimedAt?: Date;
  lastFollowUpAt?: Date;
  /** Its other names, as stored. */
  aliases: string[];
}

export interface ExportSource {
  /** Owned, not lost. */
  countOwnedBy(ownerIds: readonly string[]): Promise<number>;
  /** The same customers, owner by owner, paged from the database. */
  ownedBy(ownerIds: readonly string[]): AsyncIterable<ExportedCustomer>;
}

/** The manager and everyone below them, the manager first. */
export function teamOf(directory: OrgDirectory, manager: Person): Person[] {
  return [manager, ...directory.people.filter((p) => p.id !== manager.id && directory.isAbove(manager, p))];
}

export interface CustomerExport {
  team: Person[];
  /** Customers in the file (not counting the header). */
  count: number;
  /** Header row first; each call starts a fresh pass over the database. */
  rows(): AsyncIterable<string[]>;
}

export async function exportCustomers(options: { source: ExportSource; directory: OrgDirectory; manager: Person; locale: Locale }): Promise<CustomerExport> {
  const { source, directory, manager, locale } = options;
  if (!directory.effectiveRoles(manager).has('manager')) throw new AppError('FORBIDDEN', 'only managers export', { action: 'export' });
  const team = teamOf(directory, manager);
  const ids = team.map((p) => p.id);
  const count = await source.countOwnedBy(ids);
  const tz = directory.org.timezone;
  const date = (d: Date | undefined) => (d ? formatExportDate(d, tz) : '');
  return {
    team,
    count,
    async *rows() {
      yield exportHeader(locale);
      for await (const c of source.ownedBy(ids)) {
        yield [guardCell(c.name), c.creditCode ?? '', directory.person(c.ownerId)?.email ?? '', String(c.stage), date(c.claimedAt), date(c.lastFollowUpAt), guardCell(c.aliases.join(ALIAS_SEPARATOR))];
      }
    },
  };
}
