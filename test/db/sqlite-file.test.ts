// Where the SQLite file is to live, checked before anything opens it: the folder is made,
// and a path SQLite could never use is refused with a DatabaseFileError naming it. (A read-only
// folder or file needs a read-only mount: test/platforms/process.test.ts runs those.)
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseFileError, openDatabase } from '../../src/db/client.ts';
import { prepareSqliteFile } from '../../src/db/sqlite-file.ts';

const root = mkdtempSync(join(tmpdir(), 'kehu-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('prepareSqliteFile', () => {
  it('makes the folders a first start needs', async () => {
    await prepareSqliteFile(join(root, 'a', 'b', 'kehu.db'));
    expect(existsSync(join(root, 'a', 'b'))).toBe(true);
  });

  it('names the file that stands where a folder should be, at any depth', async () => {
    const file = join(root, 'plain-file');
    writeFileSync(file, '');
    await expect(prepareSqliteFile(join(file, 'kehu.db'))).rejects.toThrow(
      new DatabaseFileError(`the SQLite database ${file}/kehu.db: ${file} is a file, not a folder (EEXIST): set DATABASE_URL to a file in a folder`),
    );
    await expect(prepareSqliteFile(join(file, 'data', 'kehu.db'))).rejects.toThrow(`${file} is a file, not a folder (ENOTDIR)`);
  });

  it('refuses a folder given as the database file', async () => {
    const dir = join(root, 'a-folder');
    mkdirSync(dir);
    await expect(prepareSqliteFile(dir)).rejects.toBeInstanceOf(DatabaseFileError);
    await expect(prepareSqliteFile(dir)).rejects.toThrow(`${dir} is a folder, not a file: set DATABASE_URL to a file inside it`);
  });

  it('is what openDatabase does first, with or without migrations', async () => {
    const file = join(root, 'another-file');
    writeFileSync(file, '');
    const url = `file:${join(file, 'kehu.db')}`;
    await expect(openDatabase(url)).rejects.toBeInstanceOf(DatabaseFileError);
    await expect(openDatabase(url, { migrate: true })).rejects.toBeInstanceOf(DatabaseFileError);
  });
});
