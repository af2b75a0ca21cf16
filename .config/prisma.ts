// Prisma CLI configuration, for the day someone runs the real CLI (`prisma migrate status`,
// `prisma studio`) on a machine that can download its engine. kehu itself never needs it:
// `npm run db:generate` and `npm run db:migrate` work offline. For PostgreSQL pass
// `--schema prisma/postgres/schema.prisma`; its migrations sit beside it.
import { defineConfig } from 'prisma/config';

// Prisma loads this file by its default export: the one exception to named exports.
export default defineConfig({
  // Paths here are relative to this file.
  schema: '../prisma/schema.prisma',
  datasource: {
    // Read only here and in src/db/migrate-cli.ts; the app gets its URL from src/config.
    url: process.env.DATABASE_URL || 'file:./data/kehu.db',
  },
});
