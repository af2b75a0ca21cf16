// `npm run db:migrate`: applies pending migrations to DATABASE_URL (default: the SQLite file
// the app uses out of the box). The app itself passes its validated URL to migrateDatabase.
import { migrateDatabase } from './migrate.ts';

const DEFAULT_DATABASE_URL = 'file:./data/kehu.db';

const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;

migrateDatabase(url, (msg) => console.log(msg)).catch((error: unknown) => {
  console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
