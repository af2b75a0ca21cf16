// The customer-book CSV format shared by `npm run import:customers` and the `export`
// command: its columns, the header names accepted in English and Chinese, and dates read
// and written in the org's time zone. An exported file imports again unchanged. Pure.
import type { Locale } from '../org/org.ts';
import { wallClock, zoneOffsetMs } from '../time/wall-clock.ts';

export const IMPORT_COLUMNS = ['name', 'creditCode', 'ownerEmail', 'stage', 'claimedAt', 'lastFollowUp', 'aliases'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Columns a file must have; the others may be left out (empty credit code, stage 0, no follow-up, no aliases). */
export const REQUIRED_COLUMNS: readonly ImportColumn[] = ['name', 'ownerEmail', 'claimedAt'];

/** Header names per column; the first of each language is what an export writes. */
export const COLUMN_HEADERS: Record<ImportColumn, { en: readonly string[]; 'zh-CN': readonly string[] }> = {
  name: { en: ['name', 'company', 'company_name'], 'zh-CN': ['名称', '客户名称', '公司名称', '企业名称'] },
  creditCode: { en: ['credit_code', 'unified_social_credit_code', 'uscc'], 'zh-CN': ['信用代码', '统一社会信用代码'] },
  ownerEmail: { en: ['owner_email', 'owner'], 'zh-CN': ['负责人邮箱', '负责人'] },
  stage: { en: ['stage'], 'zh-CN': ['阶段'] },
  claimedAt: { en: ['claimed_at', 'claimed'], 'zh-CN': ['认领时间', '认领日期'] },
  lastFollowUp: { en: ['last_follow_up', 'last_followup', 'last_follow_up_at'], 'zh-CN': ['最近跟进', '最近跟进时间', '最后跟进'] },
  aliases: { en: ['aliases', 'alias', 'other_names'], 'zh-CN': ['别名', '简称', '曾用名'] },
};

/** Separates a customer's other names in the aliases cell: `浦发银行|SPD Bank`. */
export const ALIAS_SEPARATOR = '|';

const BY_HEADER = new Map<string, ImportColumn>();
for (const column of IMPORT_COLUMNS) {
  for (const h of [...COLUMN_HEADERS[column].en, ...COLUMN_HEADERS[column]['zh-CN']]) BY_HEADER.set(headerKey(h), column);
}

/** Spreadsheets add spaces, change case and swap _ for a space or a dash: all the same header. */
function headerKey(h: string): string {
  return h.normalize('NFKC').trim().toLowerCase().replace(/[\s_-]+/g, '_');
}

export type HeaderMap = Partial<Record<ImportColumn, number>>;

export type HeaderResult = { ok: true; columns: HeaderMap; ignored: string[] } | { ok: false; problems: string[] };

/** Finds each column in the header row; names the columns that are missing or given twice. */
export function mapHeader(header: readonly string[]): HeaderResult {
  const columns: HeaderMap = {};
  const problems: string[] = [];
  const ignored: string[] = [];
  header.forEach((raw, index) => {
    const column = BY_HEADER.get(headerKey(raw));
    if (!column) {
      if (raw.trim() !== '') ignored.push(raw.trim());
      return;
    }
    if (columns[column] !== undefined) problems.push(`column "${raw.trim()}" appears twice (it is the ${COLUMN_HEADERS[column].en[0]} column)`);
    else columns[column] = index;
  });
  for (const column of REQUIRED_COLUMNS) {
    if (columns[column] === undefined) {
      problems.push(`no ${COLUMN_HEADERS[column].en[0]} column (header ${COLUMN_HEADERS[column].en[0]} or ${COLUMN_HEADERS[column]['zh-CN'][0]})`);
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, columns, ignored };
}

/** The header row an export writes, in the reader's language. */
export function exportHeader(locale: Locale): string[] {
  return IMPORT_COLUMNS.map((c) => COLUMN_HEADERS[c][locale][0]!);
}

// Spreadsheets run a cell that starts with = + - @ as a formula (CSV injection). An export
// writes such a cell with a leading apostrophe, as spreadsheets do themselves; an import
// takes that apostrophe off again so the round trip is exact.
const FORMULA_START = /^[=+\-@\t\r]/;

export function guardCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function unguardCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

// ---------------------------------------------------------------------------------------
// Dates. A date without a time or a zone means that day in the org's time zone, which is
// how a sales spreadsheet in Shanghai means "2024-03-05".

const DATE =
  /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:(?:T|\s+)(\d{1,2})[:：](\d{2})(?:[:：](\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Parses the dates a spreadsheet writes; undefined when it is not a real date. */
export function parseImportDate(text: string, timeZone: string): Date | undefined {
  const m = DATE.exec(text.normalize('NFKC').trim());
  if (!m) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) => (v === undefined ? undefined : Number(v))) as number[];
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  if (month! < 1 || month! > 12 || day! < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const wall = Date.UTC(year!, month! - 1, day!, hour, minute, second, millis);
  // Date.UTC rolls 2月30日 over to March: a rolled-over date was not a real one.
  if (new Date(wall).getUTCDate() !== day) return undefined;
  const zone = m[8];
  if (zone) {
    if (zone.toUpperCase() === 'Z') return new Date(wall);
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
    const offset = (Number(z[2]) * 60 + Number(z[3] ?? 0)) * 60_000 * (z[1] === '-' ? -1 : 1);
    return new Date(wall - offset);
  }
  // The offset at the wall-clock time read as UTC is right except across a DST change;
  // a second look at the result settles that case.
  let instant = wall - zoneOffsetMs(wall, timeZone);
  instant = wall - zoneOffsetMs(instant, timeZone);
  return new Date(instant);
}

/** "2024-03-05T10:00:00+08:00": the org's wall clock with its offset, readable and exact to the second. */
export function formatExportDate(date: Date, timeZone: string): string {
  const offset = zoneOffsetMs(date.getTime(), timeZone);
  const w = wallClock(date.getTime(), timeZone);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset) / 60_000;
  return `${w.year}-${p2(w.month)}-${p2(w.day)}T${p2(w.hour)}:${p2(w.minute)}:${p2(w.second)}${sign}${p2(Math.floor(abs / 60))}:${p2(abs % 60)}`;
}
