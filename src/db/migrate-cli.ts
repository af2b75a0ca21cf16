// `npm run db:migrate`: applies pending migrations to DATABASE_URL (default: the SQLite file
// the app uses out of the box), validated by the same config module as the service.
import { describeIssues, ZEnvSchema } from '../config/env.ts';
import { migrateDatabase } from './migrate.ts';

// Only DATABASE_URL matters here: a half-configured Slack must not stop a migration.
const parsed = ZEnvSchema.pick({ DATABASE_URL: true }).safeParse(process.env);
if (!parsed.success) {
  console.error(`db:migrate: invalid environment:\n${describeIssues(parsed.error)}`);
  process.exit(2);
}

migrateDatabase(parsed.data.DATABASE_URL, (msg) => console.log(msg)).catch((error: unknown) => {
  console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
