// Prisma's schema engine as WebAssembly, driven through our driver adapters: applies and
// diffs migrations with no engine binary and no network (see notes/platform-facts.md).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm/schema_engine_bg';
import pg from 'pg';
import { sqlitePathOf, type Provider } from './database-url.ts';
import { createScratchDatabase } from './pg-admin.ts';

export type { SchemaEngine };

export const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

export interface SchemaEngineOptions {
  provider: Provider;
  /** The database the engine works on (file:... or postgres://...). */
  url: string;
  /** Schema text given to the engine as its datamodel. */
  schema: string;
  /**
   * PostgreSQL only: a URL through which throw-away shadow databases may be created. Without it
   * any engine call that needs a shadow database fails (applyMigrations needs none).
   */
  shadowAdminUrl?: string;
  log?: (msg: string) => void;
}

let wasmReady: Promise<void> | undefined;

// The package entry imports the .wasm file as an ES module, which Node 20 refuses; the
// bindings module is instantiated by hand instead, once per process.
function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const bindings = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(bindings.replace(/\.js$/, '.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, {
      './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports,
    });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  })();
  return wasmReady;
}

/** Runs `fn` with an engine on `opts.url`, then closes every connection the engine opened. */
export async function withSchemaEngine<T>(
  opts: SchemaEngineOptions,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  await loadWasm();
  const opened: SqlDriverAdapter[] = [];
  const factory = trackConnections(
    opts.provider === 'sqlite' ? sqliteEngineFactory(opts.url) : pgEngineFactory(opts.url, opts.shadowAdminUrl),
    opened,
  );
  const log = opts.log;
  const engine = await bg.SchemaEngine.new(
    { datamodels: [['schema.prisma', opts.schema]] },
    (line: string) => log?.(line),
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    return await fn(engine);
  } finally {
    engine.free();
    // The engine keeps SQLite in locking_mode=EXCLUSIVE while it works: the connection must
    // close before the application can write.
    for (const adapter of opened) await adapter.dispose();
  }
}

function trackConnections(
  inner: SqlMigrationAwareDriverAdapterFactory,
  opened: SqlDriverAdapter[],
): SqlMigrationAwareDriverAdapterFactory {
  const track = async (connecting: Promise<SqlDriverAdapter>) => {
    const adapter = await connecting;
    opened.push(adapter);
    return adapter;
  };
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: () => track(inner.connect()),
    connectToShadowDb: () => track(inner.connectToShadowDb()),
  };
}

/**
 * Adapts a connection to what the engine expects. The engine sends whole multi-statement
 * scripts through argument-less executeRaw, which better-sqlite3 refuses (one statement per
 * prepare); those go to executeScript. dispose() may be called by the engine and by us.
 */
function forEngine(inner: SqlDriverAdapter, afterDispose?: () => Promise<void>): SqlDriverAdapter {
  let disposing: Promise<void> | undefined;
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === 'executeRaw' && target.provider === 'sqlite') {
        return async (query: Parameters<SqlDriverAdapter['executeRaw']>[0]) => {
          if (query.args.length > 0) return target.executeRaw(query);
          await target.executeScript(query.sql);
          return 0;
        };
      }
      if (prop === 'dispose') {
        return () => (disposing ??= target.dispose().then(() => afterDispose?.()));
      }
      // Bound to the target: the adapters keep state in #private fields a Proxy cannot reach.
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function sqliteEngineFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  // :memory: shadow databases need no clean-up; timeout waits out a concurrent writer.
  const inner = new PrismaBetterSqlite3({ url: sqlitePathOf(url), timeout: 10_000 });
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => forEngine(await inner.connect()),
    connectToShadowDb: async () => forEngine(await inner.connectToShadowDb()),
  };
}

function pgEngineFactory(url: string, shadowAdminUrl: string | undefined): SqlMigrationAwareDriverAdapterFactory {
  const connectTo = (dbUrl: string) =>
    new PrismaPg(charAsTextPool(dbUrl), { disposeExternalPool: true }).connect();
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: async () => forEngine(await connectTo(url)),
    // adapter-pg's own shadow handling reconnects to the main database when configured with a
    // connection string (the URL wins over the database name), so shadows are made here.
    connectToShadowDb: async () => {
      if (!shadowAdminUrl) {
        throw new Error('this schema engine call needs a shadow database; pass shadowAdminUrl');
      }
      const scratch = await createScratchDatabase(shadowAdminUrl, 'kehu_shadow');
      try {
        return forEngine(await connectTo(scratch.url), scratch.drop);
      } catch (error) {
        await scratch.drop();
        throw error;
      }
    },
  };
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/**
 * A pool whose results report pg_catalog's one-byte "char" columns as text: adapter-pg has
 * no mapping for that type and the engine's introspection queries return it.
 */
function charAsTextPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, application_name: 'kehu-migrate', max: 2 });
  const relabel = <R>(result: R): R => {
    const fields = (result as { fields?: Array<{ dataTypeID: number }> } | undefined)?.fields ?? [];
    for (const field of fields) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    return result;
  };
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    // pg-pool calls client.query with a callback; adapter transactions use the promise form.
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const last = args[args.length - 1];
      if (typeof last === 'function') {
        args[args.length - 1] = (error: unknown, result: unknown) =>
          (last as (e: unknown, r: unknown) => void)(error, error ? result : relabel(result));
        return query(...args);
      }
      const out = query(...args);
      return out instanceof Promise ? out.then(relabel) : out;
    };
  });
  return pool;
}
