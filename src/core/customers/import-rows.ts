// Checking the rows of a customer-book import, one at a time as the file streams by:
// each row becomes a customer ready to insert (normalised key, pinyin, owner, stage,
// dates, pool release time) or the reasons it is refused, with its row number. Rows
// refused here never reach the database; duplicates against the database are checked by
// the use case (import-customers.ts). No I/O.
import type { OrgDirectory } from '../org/org.ts';
import { checkCreditCode } from './credit-code.ts';
import { parseStage, type Stage } from './funnel.ts';
import { parseImportDate, unguardCell, type HeaderMap, type ImportColumn } from './import-columns.ts';
import { displayKey, normaliseCompanyName } from './normalise-name.ts';
import { releaseDueAt } from './pool-rules.ts';

export type ImportRefusal =
  | 'nameEmpty'
  | 'nameTooLong'
  | 'ownerMissing'
  | 'ownerUnknown'
  | 'stageBad'
  | 'creditCodeBad'
  | 'claimedAtMissing'
  | 'claimedAtBad'
  | 'lastFollowUpBad'
  | 'dateInFuture'
  | 'duplicateInFile'
  | 'duplicateInDatabase';

export interface RowProblem {
  /** Line number as a spreadsheet shows it: the header is row 1, the first customer row 2. */
  row: number;
  reason: ImportRefusal;
  message: string;
}

export interface ImportRow {
  row: number;
  name: string;
  nameKey: string;
  pinyin: string;
  initials: string;
  creditCode?: string;
  ownerId: string;
  stage: Stage;
  claimedAt: Date;
  lastFollowUpAt?: Date;
  /** The later of claim and follow-up: pool protection counts from here. */
  lastTouchAt: Date;
  releaseAt: Date;
}

export type RowResult = { ok: true; row: ImportRow } | { ok: false; problems: RowProblem[] };

/** Longest company name kept (the claim command allows no more either). */
export const MAX_NAME_LENGTH = 200;
/** Dates before this are typing errors, not customer history. */
const EARLIEST = Date.UTC(1990, 0, 1);

export class ImportRowChecker {
  private readonly keys = new Map<string, number>();
  private readonly codes = new Map<string, number>();

  constructor(
    private readonly directory: OrgDirectory,
    private readonly columns: HeaderMap,
    private readonly now: Date,
  ) {}

  /** Checks one data row; a valid row is remembered so that a later copy is refused. */
  check(row: number, cells: readonly string[]): RowResult {
    const cell = (c: ImportColumn) => {
      const i = this.columns[c];
      return i === undefined ? '' : unguardCell((cells[i] ?? '').trim());
    };
    const problems: RowProblem[] = [];
    const refuse = (reason: ImportRefusal, message: string) => problems.push({ row, reason, message });
    const { timezone, pool } = this.directory.org;

    const name = cell('name').replace(/\s+/gu, ' ');
    const normalised = normaliseCompanyName(name);
    if (name === '' || normalised.key === '') refuse('nameEmpty', name === '' ? 'name is empty' : `name "${name}" is only a legal form or a region`);
    else if ([...name].length > MAX_NAME_LENGTH) refuse('nameTooLong', `name is longer than ${MAX_NAME_LENGTH} characters`);

    let creditCode: string | undefined;
    const rawCode = cell('creditCode');
    if (rawCode) {
      const checked = checkCreditCode(rawCode);
      if (checked.ok) creditCode = checked.code;
      else refuse('creditCodeBad', `credit code "${rawCode}" ${CODE_PROBLEMS[checked.problem]}`);
    }

    const email = cell('ownerEmail');
    const owner = email ? this.directory.personByEmail(email) : undefined;
    if (!email) refuse('ownerMissing', 'owner email is empty');
    else if (!owner) refuse('ownerUnknown', `owner email "${email}" is nobody in the org file`);

    const rawStage = cell('stage');
    const stage = rawStage === '' ? 0 : parseStage(rawStage);
    if (stage === undefined || stage === 'lost') {
      refuse('stageBad', `stage "${rawStage}" is not one of 0, 25, 50, 75, 100${stage === 'lost' ? ' (lost customers belong to the pool, not to an owner)' : ''}`);
    }

    const date = (column: 'claimedAt' | 'lastFollowUp', label: string, bad: ImportRefusal): Date | undefined => {
      const raw = cell(column);
      if (raw === '') return undefined;
      const d = parseImportDate(raw, timezone);
      if (!d || d.getTime() < EARLIEST) refuse(bad, `${label} "${raw}" is not a date like 2024-03-05 or 2024-03-05 14:30`);
      else if (d > this.now) refuse('dateInFuture', `${label} "${raw}" is in the future`);
      else return d;
      return undefined;
    };
    const claimedAt = date('claimedAt', 'claimed at', 'claimedAtBad');
    if (cell('claimedAt') === '') refuse('claimedAtMissing', 'claimed at is empty');
    const lastFollowUpAt = date('lastFollowUp', 'last follow-up', 'lastFollowUpBad');

    // Within the file the first row of a company wins, as the first claim would.
    if (normalised.key !== '') {
      const earlier = this.keys.get(normalised.key);
      if (earlier !== undefined) refuse('duplicateInFile', `same company as row ${earlier} (both normalise to "${displayKey(normalised.key)}")`);
    }
    if (creditCode) {
      const earlier = this.codes.get(creditCode);
      if (earlier !== undefined) refuse('duplicateInFile', `same credit code as row ${earlier}`);
    }

    if (problems.length) return { ok: false, problems };
    this.keys.set(normalised.key, row);
    if (creditCode) this.codes.set(creditCode, row);
    const lastTouchAt = lastFollowUpAt && lastFollowUpAt > claimedAt! ? lastFollowUpAt : claimedAt!;
    return {
      ok: true,
      row: {
        row,
        name,
        nameKey: normalised.key,
        pinyin: normalised.pinyin,
        initials: normalised.initials,
        creditCode,
        ownerId: owner!.id,
        stage: stage as Stage,
        claimedAt: claimedAt!,
        lastFollowUpAt,
        lastTouchAt,
        releaseAt: releaseDueAt(pool, stage as Stage, lastTouchAt),
      },
    };
  }
}

const CODE_PROBLEMS = {
  length: 'is not 18 characters long',
  characters: 'has characters a credit code cannot have (I, O, S, V, Z or symbols)',
  checksum: 'fails its check character (a typing error?)',
} as const;
