// The SQLite file as the operating system sees it: before anything opens it, its folder is
// created and both are checked writable, so that a read-only volume or a wrong path is one
// sentence naming the path instead of an error from deep inside SQLite or the schema engine;
// and whether another process has it open (the schema engine needs it alone), and which.
import { StartRefusal } from '../config/start-refusal.ts';
import { constants, existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

/** The database file cannot be used as it is: a start-up refusal, not a crash. */
export class DatabaseFileError extends StartRefusal {
  override name = 'DatabaseFileError';
}

/** The file is open in another process, and what was asked needs it alone (also a refusal). */
export class DatabaseInUseError extends DatabaseFileError {
  override name = 'DatabaseInUseError';
}

const WHY: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
};

const WHAT_TO_DO = 'make it writable by the user kehu runs as, or set DATABASE_URL to a file in a writable folder';

function reasonOf(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code && WHY[code] ? `${WHY[code]}, ${code}` : undefined;
}

/**
 * Creates the file's folder if needed and checks that SQLite can write there. The folder must
 * be writable even when the file is: in WAL mode SQLite creates `<file>-wal` and `<file>-shm`
 * beside it. Throws DatabaseFileError; other errors (a full disk, …) pass through unchanged.
 */
export async function prepareSqliteFile(path: string): Promise<void> {
  if (path === ':memory:') return;
  const file = resolve(path);
  const folder = dirname(file);
  const refuse = (what: string, error: unknown): never => {
    const reason = reasonOf(error);
    if (!reason) throw error;
    throw new DatabaseFileError(`the SQLite database ${file}: ${what} (${reason}): ${WHAT_TO_DO}`, { cause: error });
  };

  await mkdir(folder, { recursive: true }).catch(async (e: unknown) => {
    const code = (e as NodeJS.ErrnoException).code;
    // EEXIST from a recursive mkdir: the folder's own name is taken by a file.
    if (code === 'ENOTDIR' || code === 'EEXIST') {
      const blocker = await firstNonFolder(folder);
      if (blocker) {
        throw new DatabaseFileError(`the SQLite database ${file}: ${blocker} is a file, not a folder (${code}): set DATABASE_URL to a file in a folder`, { cause: e });
      }
    }
    refuse(`its folder ${folder} cannot be created`, e);
  });
  await access(folder, constants.W_OK).catch((e: unknown) => refuse(`its folder ${folder} is not writable`, e));
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isDirectory()) {
    throw new DatabaseFileError(`the SQLite database ${file} is a folder, not a file: set DATABASE_URL to a file inside it, e.g. file:${file}/kehu.db`);
  }
  if (existing) await access(file, constants.W_OK).catch((e: unknown) => refuse('the file is not writable', e));
}

/** The nearest existing ancestor of `folder` (or itself) when it is not a folder. */
async function firstNonFolder(folder: string): Promise<string | undefined> {
  for (let at = folder; ; at = dirname(at)) {
    const found = await stat(at).catch(() => undefined);
    if (found) return found.isDirectory() ? undefined : at;
    if (dirname(at) === at) return undefined;
  }
}

/**
 * `message` as a DatabaseFileError when SQLite says it cannot open or write the file (what the
 * checks above cannot foresee, e.g. a -shm file another user left read-only), else an Error.
 */
export function databaseError(message: string, cause: unknown): Error {
  return isSqliteFileError(cause) ? new DatabaseFileError(message, { cause }) : new Error(message, { cause });
}

function isSqliteFileError(error: unknown): boolean {
  // Prisma's DriverAdapterError keeps SQLite's code as cause.originalCode; better-sqlite3's own error as code.
  for (let e: unknown = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { originalCode, code } = e as { originalCode?: unknown; code?: unknown };
    if ([originalCode, code].some((c) => typeof c === 'string' && /^SQLITE_(CANTOPEN|READONLY)/.test(c))) return true;
  }
  return false;
}

/**
 * Whether no other connection has the file open: a probe in SQLite's exclusive locking mode
 * (the mode the schema engine works in) can then take the write lock. In WAL mode an idle
 * connection elsewhere is enough to stop it, whatever that connection is doing.
 */
function aloneOn(path: string): boolean {
  if (!existsSync(path)) return true;
  const db = new BetterSqlite3(path, { timeout: 0, fileMustExist: true });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return true;
  } catch (error) {
    if (/^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown }).code))) return false;
    throw error;
  } finally {
    db.close();
  }
}

/**
 * Resolves true once this process can have the file to itself, trying every 50 ms between
 * event-loop turns (never blocking the thread), or false after `timeoutMs`.
 */
export async function waitToBeAlone(path: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (aloneOn(path)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The other processes that have the file (or its -wal / -shm) open, as `pid 1234 (node
 * --import tsx src/main.ts)`. Linux only (from /proc), and only the processes this user may
 * look into: an empty list says nothing.
 */
export function processesHolding(path: string): string[] {
  const file = resolve(path);
  const names = new Set([file, `${file}-wal`, `${file}-shm`]);
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
  } catch {
    return [];
  }
  const holders: string[] = [];
  for (const pid of pids) {
    try {
      const fds = readdirSync(`/proc/${pid}/fd`);
      if (!fds.some((fd) => names.has(readlinkOr(`/proc/${pid}/fd/${fd}`)))) continue;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      holders.push(`pid ${pid} (${cmdline.length > 80 ? `${cmdline.slice(0, 79)}…` : cmdline})`);
    } catch {
      // Gone meanwhile, or not ours to look into.
    }
  }
  return holders;
}

function readlinkOr(link: string): string {
  try {
    return readlinkSync(link);
  } catch {
    return '';
  }
}
