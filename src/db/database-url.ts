// Reads a DATABASE_URL: which provider it names and, for SQLite, which file it points at.
// Kept apart from client.ts so the migrations runner can use it without opening a client.

export type Provider = 'sqlite' | 'postgresql';

export function providerOf(url: string): Provider {
  if (url.startsWith('file:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgresql';
  // The URL may hold a password: name only its scheme.
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? '(none)';
  throw new Error(
    `DATABASE_URL scheme ${scheme} is not supported: use file:./data/kehu.db (SQLite) ` +
      'or postgres://user:password@host:5432/database (PostgreSQL)',
  );
}

/** The file path of a `file:` URL, relative to the working directory as Prisma reads it. */
export function sqlitePathOf(url: string): string {
  if (providerOf(url) !== 'sqlite') throw new Error('not a SQLite URL (expected file:...)');
  // Prisma-style options after `?` (connection_limit, ...) mean nothing to better-sqlite3.
  const path = url.slice('file:'.length).split('?')[0] ?? '';
  if (path === '') throw new Error('SQLite URL names no file: expected e.g. file:./data/kehu.db');
  return path;
}

/** The URL fit for logs and error messages: any password replaced by ***. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}
