// `npm run db:generate [-- --migration NAME]` (also the postinstall step): derives
// prisma/postgres/schema.prisma from the canonical schema, generates both Prisma clients
// offline, and with --migration writes the next migration for each provider.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { Provider } from './database-url.ts';
import { diffMigrationsToSchema } from './migration-diff.ts';
import {
  derivePostgresSchema,
  LOCKFILE_NAME,
  lockfileContent,
  migrationFolderName,
  migrationsDirFor,
  readMigrationsList,
  schemaPathFor,
} from './migration-files.ts';

const PROVIDERS: Provider[] = ['sqlite', 'postgresql'];
const DEFAULT_SHADOW_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      migration: { type: 'string' },
      'shadow-url': { type: 'string' },
    },
  });

  const canonical = await readFile(schemaPathFor('sqlite'), 'utf8');
  await writeIfChanged(schemaPathFor('postgresql'), derivePostgresSchema(canonical));

  if (values.migration !== undefined) {
    const shadowAdminUrl = values['shadow-url'] ?? process.env.KEHU_SHADOW_PG_URL ?? DEFAULT_SHADOW_ADMIN_URL;
    await createMigrations(values.migration, shadowAdminUrl);
  }

  await withFailingEngineStandIn(async (standIn) => {
    for (const provider of PROVIDERS) generateClient(schemaPathFor(provider), standIn);
  });
}

async function createMigrations(name: string, shadowAdminUrl: string): Promise<void> {
  const folder = migrationFolderName(name, new Date());
  // Both diffs first: a provider that cannot be diffed must not leave the other one's
  // migration behind on its own.
  const scripts = new Map<Provider, string | null>();
  for (const provider of PROVIDERS) {
    const sql = await diffMigrationsToSchema({
      provider,
      schema: await readFile(schemaPathFor(provider), 'utf8'),
      migrations: await readMigrationsList(provider),
      shadowAdminUrl,
    }).catch((error: unknown) => {
      const hint =
        provider === 'postgresql'
          ? ` (a PostgreSQL server is needed to replay the migrations: --shadow-url or KEHU_SHADOW_PG_URL, default ${DEFAULT_SHADOW_ADMIN_URL})`
          : '';
      throw new Error(`${provider}: could not compute the migration${hint}: ${String(error)}`);
    });
    scripts.set(provider, sql);
  }
  for (const [provider, sql] of scripts) {
    if (sql === null) {
      console.log(`${provider}: migrations already match the schema, nothing to write`);
      continue;
    }
    const dir = migrationsDirFor(provider);
    await mkdir(join(dir, folder), { recursive: true });
    await writeFile(join(dir, folder, 'migration.sql'), sql);
    await writeIfChanged(join(dir, LOCKFILE_NAME), lockfileContent(provider));
    console.log(`${provider}: wrote ${relative(process.cwd(), join(dir, folder, 'migration.sql'))}`);
  }
  if ([...scripts.values()].every((sql) => sql === null)) console.log('no migration created: the schema has not changed');
}

/**
 * `prisma generate` insists on a schema-engine binary it would otherwise download (there is
 * no network). It never runs it; a stand-in that fails loudly makes sure no other command
 * can quietly "succeed" through it (an empty one lets `migrate deploy` exit 0 doing nothing).
 */
async function withFailingEngineStandIn(fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'kehu-no-engine-'));
  const path = join(dir, 'schema-engine');
  await writeFile(
    path,
    '#!/bin/sh\necho "kehu: no schema engine binary here; migrations run through npm run db:migrate" >&2\nexit 1\n',
  );
  await chmod(path, 0o755);
  try {
    await fn(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function generateClient(schemaPath: string, engineStandIn: string): void {
  const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', schemaPath], {
    stdio: 'inherit',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: engineStandIn,
      CHECKPOINT_DISABLE: '1',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    },
  });
  if (result.status !== 0) {
    throw new Error(`prisma generate --schema ${schemaPath} failed (exit ${result.status ?? result.signal})`);
  }
}

async function writeIfChanged(path: string, text: string): Promise<void> {
  if (existsSync(path) && (await readFile(path, 'utf8')) === text) return;
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
  console.log(`wrote ${relative(process.cwd(), path)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
