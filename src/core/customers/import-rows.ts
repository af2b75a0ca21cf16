// Checking the rows of a customer-book import, one at a time as the file streams by:
// each row becomes a customer ready to insert (normalised key, pinyin, owner, stage,
// dates, pool release time) or the reasons it is refused, with its row number. Rows
// refused here never reach the database; duplicates against the database are checked by
// the use case (import-customers.ts). No I/O.
import type { OrgDirectory } from '../org/org.ts';
import { checkAlias, type AliasProblem } from './add-alias.ts';
import { checkCreditCode } from './credit-code.ts';
import { parseStage, type Stage } from './funnel.ts';
import { ALIAS_SEPARATOR, parseImportDate, unguardCell, type HeaderMap, type ImportColumn } from './import-columns.ts';
import { sameCompanyKeys } from './identity.ts';
import { displayKey, normaliseCompanyName, splitKey } from './normalise-name.ts';
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
  | 'aliasBad'
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
  /** Other names (简称, 曾用名, English name): keys of the same customer, written with it. */
  aliases: ImportAlias[];
  /** The later of claim and follow-up: pool protection counts from here. */
  lastTouchAt: Date;
  releaseAt: Date;
}

export interface ImportAlias {
  key: string;
  name: string;
  pinyin: string;
}

export type RowResult = { ok: true; row: ImportRow } | { ok: false; problems: RowProblem[] };

/** Longest company name kept (the claim command allows no more either). */
export const MAX_NAME_LENGTH = 200;
/** Dates before this are typing errors, not customer history. */
const EARLIEST = Date.UTC(1990, 0, 1);

export class ImportRowChecker {
  private readonly keys = new Map<string, number>();
  /** The regional keys taken so far, by core: 广东省深圳市X after 深圳市X is the same company. */
  private readonly regional = new Map<string, { key: string; row: number }[]>();
  private readonly codes = new Map<string, number>();

  constructor(
    private readonly directory: OrgDirectory,
    private readonly columns: HeaderMap,
    private readonly now: Date,
  ) {}

  /** The earlier row that is the same company as `key`: the same key, or the same core in a region containing the other. */
  private earlierRowOf(key: string): { row: number; why: (shown: string) => string } | undefined {
    const exact = this.keys.get(key);
    if (exact !== undefined) return { row: exact, why: (shown) => `both normalise to "${shown}"` };
    const { core, region } = splitKey(key);
    if (!region) return undefined;
    const same = this.regional.get(core)?.find((e) => sameCompanyKeys(key, e.key));
    return same && { row: same.row, why: (shown) => `"${shown}" and "${displayKey(same.key)}": one region contains the other` };
  }

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

    // Other names, checked as the alias command checks them; one named twice counts once.
    const aliases = new Map<string, ImportAlias>();
    if (normalised.key !== '') {
      for (const raw of cell('aliases').split(ALIAS_SEPARATOR)) {
        if (raw.trim() === '') continue;
        const checked = checkAlias(raw, normalised.key);
        if (!checked.ok) refuse('aliasBad', `alias "${raw.trim()}" ${ALIAS_PROBLEMS[checked.problem]}`);
        else if (!aliases.has(checked.normalised.key)) aliases.set(checked.normalised.key, { key: checked.normalised.key, name: checked.name, pinyin: checked.normalised.pinyin });
      }
    }

    // Within the file the first row of a company wins, as the first claim would; an alias
    // is a name of its company like the one in the name column.
    if (normalised.key !== '') {
      const earlier = this.earlierRowOf(normalised.key);
      if (earlier) refuse('duplicateInFile', `same company as row ${earlier.row} (${earlier.why(displayKey(normalised.key))})`);
    }
    for (const a of aliases.values()) {
      const earlier = this.earlierRowOf(a.key);
      if (earlier) refuse('duplicateInFile', `alias "${a.name}" is a name of the company in row ${earlier.row} (${earlier.why(displayKey(a.key))})`);
    }
    if (creditCode) {
      const earlier = this.codes.get(creditCode);
      if (earlier !== undefined) refuse('duplicateInFile', `same credit code as row ${earlier}`);
    }

    if (problems.length) return { ok: false, problems };
    for (const key of [normalised.key, ...aliases.keys()]) {
      this.keys.set(key, row);
      const { core, region } = splitKey(key);
      if (region) this.regional.set(core, [...(this.regional.get(core) ?? []), { key, row }]);
    }
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
        aliases: [...aliases.values()],
        lastTouchAt,
        releaseAt: releaseDueAt(pool, stage as Stage, lastTouchAt),
      },
    };
  }
}

const ALIAS_PROBLEMS: Record<AliasProblem, string> = {
  empty: 'is only a legal form or a region, not a name',
  onlyFormat: 'is only invisible characters (zero-width spaces, direction marks)',
  control: 'contains control characters',
  separator: 'contains "|"',
  tooLong: 'is longer than 200 characters',
  ownName: "is the company's own name, not another one",
};

const CODE_PROBLEMS = {
  length: 'is not 18 characters long',
  characters: 'has characters a credit code cannot have (I, O, S, V, Z or symbols)',
  checksum: 'fails its check character (a typing error?)',
} as const;
