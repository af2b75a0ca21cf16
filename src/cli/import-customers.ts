// `npm run import:customers -- <file.csv> [--apply] [--encoding gb18030]`: an admin brings
// the existing customer book in (columns in README, "Bringing the existing book in").
// Dry run by default: every row that would be refused is listed with its row number and
// reason, and nothing is written. --apply writes all valid rows in one transaction.
// Exit code: 0 every row is fine (and, with --apply, written); 1 some rows are refused
// (with --apply the valid ones were still written); 2 nothing could be done (usage, file,
// header, configuration or database).
import { createReadStream } from 'node:fs';
import { basename, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse';
import { ConfigError, loadSettings } from '../config/env.ts';
import { EXAMPLE_ORG_FILE, loadOrgFile, OrgFileError } from '../config/org-file.ts';
import { isAppError } from '../core/errors.ts';
import { importCustomers, type ImportReport } from '../core/customers/import-customers.ts';
import { DatabaseFileError, openDatabase } from '../db/client.ts';
import { createCustomerBook } from '../db/repositories/customer-book.repository.ts';
import { progressLine, type ProgressStream } from './import-progress.ts';

const USAGE = 'usage: npm run import:customers -- <file.csv> [--apply] [--encoding utf-8|gb18030]';
const ENCODINGS = ['utf-8', 'utf8', 'gb18030', 'gbk'];

export interface CliIo {
  /** The environment settings are read from (tests pass their own). */
  env?: Record<string, string | undefined>;
  out?: (line: string) => void;
  err?: (line: string) => void;
  /** Where the progress line goes when it is a terminal (process.stderr when `err` is not given). */
  progress?: ProgressStream;
}

export async function runImportCli(argv: string[], io: CliIo = {}): Promise<number> {
  const { env = process.env, out = console.log, err = console.error, progress = io.err ? undefined : process.stderr } = io;
  let args: ReturnType<typeof parseCliArgs>;
  try {
    args = parseCliArgs(argv);
  } catch (e) {
    err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { file, apply, encoding } = args;

  let db: Awaited<ReturnType<typeof openDatabase>> | undefined;
  try {
    const settings = loadSettings(env);
    if (!settings.orgFile) err(`KEHU_ORG_FILE is not set: owners are checked against the bundled example org (${EXAMPLE_ORG_FILE})`);
    const directory = loadOrgFile(settings.orgFile ?? EXAMPLE_ORG_FILE);
    // No migrations here: on SQLite they need the file to themselves, and an admin imports
    // while kehu runs. A database kehu never started on is named below (P2021).
    db = await openDatabase(settings.databaseUrl);
    const started = performance.now();
    const line = progressLine(progress);
    const report = await importCustomers({
      records: readCsvRecords(file, encoding),
      directory,
      store: createCustomerBook(db),
      apply,
      now: new Date(),
      source: basename(file),
      onProgress: (p) => line.update(p),
    }).finally(() => line.done());
    printReport(report, { file, apply, seconds: (performance.now() - started) / 1000, timezone: directory.org.timezone }, out);
    return report.problems.length ? 1 : 0;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof OrgFileError || e instanceof DatabaseFileError) err(e.message);
    else if (isAppError(e)) err(`${file}: ${e.message}`);
    else if ((e as { code?: unknown }).code === 'P2021') err('The database has no kehu tables yet: run `npm run db:migrate` (or start kehu once) first.');
    else if ((e as NodeJS.ErrnoException).code === 'ENOENT') err(`${file}: no such file`);
    else if ((e as NodeJS.ErrnoException).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
      err(`${file} is not valid ${encoding}. A CSV saved by Excel in Chinese is usually GB18030: add --encoding gb18030.`);
    } else err(`import failed: ${e instanceof Error ? e.message : String(e)}`);
    err('Nothing was written.');
    return 2;
  } finally {
    await db?.close();
  }
}

function parseCliArgs(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { apply: { type: 'boolean', default: false }, encoding: { type: 'string', default: 'utf-8' } },
  });
  if (positionals.length !== 1) throw new Error(positionals.length ? 'give one file' : 'which file?');
  const encoding = values.encoding.toLowerCase();
  if (!ENCODINGS.includes(encoding)) throw new Error(`unknown encoding "${values.encoding}"`);
  return { file: positionals[0]!, apply: values.apply, encoding: encoding === 'gbk' ? 'gb18030' : encoding };
}

/** Records of the file, streamed: bytes → text (strict decoding) → csv-parse. */
export function readCsvRecords(file: string, encoding = 'utf-8'): AsyncIterable<string[]> {
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: false });
  const decode = new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _enc, done) {
      try {
        done(null, decoder.decode(chunk, { stream: true }));
      } catch (e) {
        done(e as Error);
      }
    },
    flush(done) {
      try {
        done(null, decoder.decode());
      } catch (e) {
        done(e as Error);
      }
    },
  });
  // Blank lines are kept as records so that row numbers match the spreadsheet's; the use
  // case skips them. Rows may have fewer or more cells than the header.
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: false, relax_quotes: true });
  const source = createReadStream(file);
  source.on('error', (e) => parser.destroy(e));
  decode.on('error', (e) => parser.destroy(e));
  return source.pipe(decode).pipe(parser);
}

function printReport(r: ImportReport, o: { file: string; apply: boolean; seconds: number; timezone: string }, out: (line: string) => void): void {
  if (r.ignoredColumns.length) out(`Ignored columns: ${r.ignoredColumns.join(', ')}`);
  for (const p of r.problems) out(`row ${p.row}: ${p.message}`);
  if (r.problems.length) out('');
  const peakMb = process.resourceUsage().maxRSS / 1024;
  out(`${o.file}: ${r.rows} rows, ${r.valid} valid, ${r.refusedRows} refused (${o.seconds.toFixed(1)} s, peak memory ${peakMb.toFixed(0)} MB; dates without a zone read in ${o.timezone}).`);
  if (r.alreadyDue) out(`${r.alreadyDue} valid rows have had no follow-up for longer than the pool protection: the next pool sweep will release them.`);
  if (!o.apply) out(r.valid ? `Dry run: nothing written. Run again with --apply to write the ${r.valid} valid rows in one transaction.` : 'Dry run: nothing written, and nothing to write.');
  else if (r.applied) out(`Written: ${r.written} customers, with their claim dates as ownership history.${r.refusedRows ? ' Refused rows were left out; fix them and import them in a new file.' : ''}`);
  else out('Nothing to write.');
}

// Run when started as a script (not when a test imports it).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await runImportCli(process.argv.slice(2));
}
