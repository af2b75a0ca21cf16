// The SQL that would take a database from the end state of the committed migrations to the
// schema: the body of the next migration, and (when empty) the proof that they agree.
import type { MigrationList } from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { Provider } from './database-url.ts';
import { NO_FILTERS, withSchemaEngine } from './schema-engine.ts';

export interface DiffOptions {
  provider: Provider;
  schema: string;
  migrations: MigrationList;
  /** PostgreSQL: the engine replays the migrations into a scratch database made through this URL. */
  shadowAdminUrl?: string;
}

const DIFF_NON_EMPTY = 2;

/** The migration script, or null when the migrations already produce the schema. */
export async function diffMigrationsToSchema(opts: DiffOptions): Promise<string | null> {
  if (opts.provider === 'postgresql' && !opts.shadowAdminUrl) {
    throw new Error('diffing PostgreSQL migrations needs a server: pass shadowAdminUrl');
  }
  // SQLite replays into :memory:; PostgreSQL only uses the main URL to reach the server.
  const url = opts.provider === 'sqlite' ? 'file::memory:' : (opts.shadowAdminUrl as string);
  return withSchemaEngine(
    { provider: opts.provider, url, schema: opts.schema, shadowAdminUrl: opts.shadowAdminUrl },
    async (engine) => {
      const result = await engine.diff({
        from: { tag: 'migrations', ...opts.migrations },
        to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: opts.schema }] },
        script: true,
        exitCode: true,
        filters: NO_FILTERS,
      });
      return result.exitCode === DIFF_NON_EMPTY ? (result.stdout ?? '') : null;
    },
  );
}
