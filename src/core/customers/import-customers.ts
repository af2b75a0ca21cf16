// Use case: bring an existing customer book in from a spreadsheet (CSV records). Every
// row is checked as it streams by; rows are looked up in the database in batches, so a
// company someone already registered is refused, not overwritten. A dry run stops there;
// `apply` writes all the valid rows in one transaction (all or nothing), each with its
// original claim date as ownership history.
import { sameCompanyKeys } from './identity.ts';
import { splitKey } from './normalise-name.ts';
import { AppError } from '../errors.ts';
import type { OrgDirectory } from '../org/org.ts';
import { mapHeader } from './import-columns.ts';
import { ImportRowChecker, type ImportRow, type RowProblem } from './import-rows.ts';

export interface ExistingCustomer {
  name: string;
  /** The key that matched: the customer's own, or one of its aliases'. */
  nameKey: string;
  creditCode?: string;
}

export interface ImportStore {
  /**
   * Customers already stored under one of these keys (their own or an alias) or credit
   * codes, and under any key of these cores with a region (`core@…`: the same company when
   * one region contains the other).
   */
  findExisting(nameKeys: string[], creditCodes: string[], regionalCores?: string[]): Promise<ExistingCustomer[]>;
  /**
   * Writes every row, its aliases, its name variants and an `import` ownership event, in one
   * transaction; throws AppError CONFLICT (and writes nothing) when a row's company was
   * registered meanwhile.
   */
  insertImported(rows: readonly ImportRow[], source: string, onWritten?: (written: number) => void): Promise<void>;
}

/** How far an import has got: data rows read, rows refused so far, customers written. */
export interface ImportProgress {
  read: number;
  refused: number;
  written: number;
}

export interface ImportReport {
  /** Data rows read (blank lines not counted). */
  rows: number;
  valid: number;
  /** Every reason, ordered by row; a row may have several. */
  problems: RowProblem[];
  refusedRows: number;
  /** Header names that are no column of ours (left alone). */
  ignoredColumns: string[];
  /** Valid rows whose protection has already run out: the next pool sweep releases them. */
  alreadyDue: number;
  applied: boolean;
  written: number;
}

/** Rows looked up in the database per query (keeps each IN list small on both databases). */
export const LOOKUP_BATCH = 500;

export async function importCustomers(options: {
  records: AsyncIterable<string[]>;
  directory: OrgDirectory;
  store: ImportStore;
  apply: boolean;
  now: Date;
  /** Where the rows came from, for the ownership history ("file.csv"). */
  source: string;
  /** Told as rows are read and written (often: a caller throttles). */
  onProgress?: (p: ImportProgress) => void;
}): Promise<ImportReport> {
  const { directory, store, apply, now, source } = options;
  const onProgress = options.onProgress ?? (() => {});
  const problems: RowProblem[] = [];
  const valid: ImportRow[] = [];
  let pending: ImportRow[] = [];
  let checker: ImportRowChecker | undefined;
  let ignoredColumns: string[] = [];
  let rows = 0;
  let record = 0;
  let refused = 0;

  const lookUp = async () => {
    if (!pending.length) return;
    const batch = pending;
    pending = [];
    const keysOf = (r: ImportRow) => [r.nameKey, ...r.aliases.map((a) => a.key)];
    const existing = await store.findExisting(
      batch.flatMap(keysOf),
      batch.flatMap((r) => (r.creditCode ? [r.creditCode] : [])),
      [...new Set(batch.flatMap(keysOf).map(splitKey).flatMap((k) => (k.region ? [k.core] : [])))],
    );
    const byKey = new Map(existing.map((e) => [e.nameKey, e]));
    const byCode = new Map(existing.flatMap((e) => (e.creditCode ? [[e.creditCode, e] as const] : [])));
    /** A stored customer that is the same company as `key`: the key itself, or the same core in a containing region. */
    const sameAs = (key: string) => byKey.get(key) ?? existing.find((e) => sameCompanyKeys(key, e.nameKey));
    for (const r of batch) {
      const hit = sameAs(r.nameKey) ?? (r.creditCode ? byCode.get(r.creditCode) : undefined);
      const aliasHits = r.aliases.flatMap((a) => {
        const holder = sameAs(a.key);
        return holder ? [{ alias: a, holder }] : [];
      });
      if (!hit && !aliasHits.length) {
        valid.push(r);
        continue;
      }
      refused++;
      if (hit) {
        const same = byKey.has(r.nameKey) ? 'the same company' : hit === sameAs(r.nameKey) ? 'the same company, one region containing the other' : 'the same credit code';
        problems.push({ row: r.row, reason: 'duplicateInDatabase', message: `already registered: "${hit.name}" (${same})` });
      }
      for (const { alias, holder } of aliasHits) {
        problems.push({ row: r.row, reason: 'duplicateInDatabase', message: `alias "${alias.name}" is already the name of another customer, "${holder.name}"` });
      }
    }
  };

  for await (const cells of options.records) {
    record++;
    if (!checker) {
      const header = mapHeader(cells);
      if (!header.ok) throw new AppError('INVALID_INPUT', `the header row is not a customer book:\n${header.problems.map((p) => `  - ${p}`).join('\n')}`, { reason: 'importHeader' });
      ignoredColumns = header.ignored;
      checker = new ImportRowChecker(directory, header.columns, now);
      continue;
    }
    if (cells.every((c) => c.trim() === '')) continue;
    rows++;
    const result = checker.check(record, cells);
    if (!result.ok) {
      problems.push(...result.problems);
      refused++;
    } else {
      pending.push(result.row);
      if (pending.length >= LOOKUP_BATCH) await lookUp();
    }
    onProgress({ read: rows, refused, written: 0 });
  }
  if (!checker) throw new AppError('INVALID_INPUT', 'the file is empty (not even a header row)', { reason: 'importEmpty' });
  await lookUp();
  onProgress({ read: rows, refused, written: 0 });

  problems.sort((a, b) => a.row - b.row);
  valid.sort((a, b) => a.row - b.row);
  const report: ImportReport = {
    rows,
    valid: valid.length,
    problems,
    refusedRows: new Set(problems.map((p) => p.row)).size,
    ignoredColumns,
    alreadyDue: valid.filter((r) => r.releaseAt <= now).length,
    applied: false,
    written: 0,
  };
  if (!apply || !valid.length) return report;
  await store.insertImported(valid, source, (written) => onProgress({ read: rows, refused, written }));
  return { ...report, applied: true, written: valid.length };
}
