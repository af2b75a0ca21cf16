// Multi-row INSERTs for the few writes of thousands of rows in one go (the import, a
// handover's items and history): Prisma's createMany is far slower per row. And the
// placeholders of any raw statement, per provider.
import type { Database, Tx } from '../client.ts';

/** Bound values per INSERT: under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMS = 3_000;

/**
 * Multi-row INSERTs through the driver adapter. Prisma's createMany costs about 2 ms a row
 * in its query compiler (over three minutes for 100,000 customers and their variants);
 * plain parameterised INSERTs take seconds. Dates are bound as Date objects, so each
 * adapter stores them exactly as Prisma would.
 */
export function bulkInsert(provider: Database['provider']) {
  /** `upsertOn`: a unique column; a row whose value is there already replaces its other columns (ON CONFLICT … DO UPDATE, on both providers). */
  return async (tx: Tx, table: string, columns: readonly string[], rows: unknown[][], upsertOn?: string) => {
    const conflict = upsertOn
      ? ` ON CONFLICT ("${upsertOn}") DO UPDATE SET ${columns.filter((c) => c !== upsertOn).map((c) => `"${c}" = excluded."${c}"`).join(', ')}`
      : '';
    const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
    for (let i = 0; i < rows.length; i += perStatement) {
      const chunk = rows.slice(i, i + perStatement);
      const placeholder = placeholders(provider);
      const values = chunk.map((row) => `(${row.map(placeholder).join(',')})`).join(',');
      await tx.$executeRawUnsafe(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(',')}) VALUES ${values}${conflict}`, ...chunk.flat());
    }
  };
}


/** The next bound-parameter placeholder of one statement, each call: `?` on SQLite, `$1`, `$2`, … on PostgreSQL. */
export function placeholders(provider: Database['provider']): () => string {
  let n = 0;
  return provider === 'postgresql' ? () => `$${++n}` : () => '?';
}
