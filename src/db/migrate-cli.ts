// `npm run db:migrate [-- --wait SECONDS]`: applies pending migrations to DATABASE_URL
// (default: the SQLite file the app uses out of the box), validated by the same config module
// as the service. Exit 0 applied or up to date; 2 refused in one line (bad environment, a
// database file that cannot be written, or, on SQLite, the file open in another process
// while there is something to apply); 1 the migration itself failed.
import { parseArgs } from 'node:util';
import { describeIssues, ZEnvSchema } from '../config/env.ts';
import { DatabaseFileError } from './sqlite-file.ts';
import { openDatabase } from './client.ts';
import { migrateDatabase } from './migrate.ts';
import { rekeyCustomers } from './rekey-customers.ts';

const refuse = (why: string) => {
  console.error(`db:migrate cannot run: ${why}`);
  process.exit(2);
};

// Only DATABASE_URL matters here: a half-configured Slack must not stop a migration.
const parsed = ZEnvSchema.pick({ DATABASE_URL: true }).safeParse(process.env);
if (!parsed.success) refuse(`invalid environment:\n${describeIssues(parsed.error)}`);

let waitSeconds: number | undefined;
try {
  const { values } = parseArgs({ options: { wait: { type: 'string' } } });
  waitSeconds = values.wait === undefined ? undefined : Number(values.wait);
  if (waitSeconds !== undefined && !(waitSeconds >= 0)) throw new Error(`--wait takes seconds, got "${values.wait}"`);
} catch (error) {
  refuse(`${(error as Error).message} (usage: npm run db:migrate [-- --wait SECONDS])`);
}

const url = parsed.data!.DATABASE_URL;
migrateDatabase(url, (msg) => console.log(msg), { waitMs: waitSeconds === undefined ? undefined : waitSeconds * 1000 })
  // Then the data step of an upgrade: customers keyed by an older kehu are re-keyed (db/rekey-customers.ts).
  .then(async () => {
    const db = await openDatabase(url);
    try {
      await rekeyCustomers(db, (msg) => console.log(msg));
    } finally {
      await db.close();
    }
  })
  .catch(
  (error: unknown) => {
    if (error instanceof DatabaseFileError) refuse(error.message);
    console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
