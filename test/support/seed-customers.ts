// Customers straight into a test database through the bulk import write (fast enough for
// tens of thousands), for tests that need a book to read rather than claims to make.
import { randomBytes } from 'node:crypto';
import type { Stage } from '../../src/core/customers/funnel.ts';
import type { Database } from '../../src/db/client.ts';
import { createCustomerBook } from '../../src/db/repositories/customer-book.repository.ts';

export interface SeedCustomer {
  name: string;
  ownerId: string;
  stage?: Stage;
  creditCode?: string;
  claimedAt?: Date;
  lastFollowUpAt?: Date;
}

export async function seedCustomers(db: Database, customers: readonly SeedCustomer[]): Promise<void> {
  const far = new Date(Date.UTC(2099, 0, 1));
  // A prefix per call, so that seeding twice into one database never collides.
  const prefix = randomBytes(3).toString('hex');
  await createCustomerBook(db).insertImported(
    customers.map((c, i) => {
      const claimedAt = c.claimedAt ?? new Date(Date.UTC(2025, 0, 1) + i * 1000);
      // Short distinct keys: the names are not searched here, and short keys keep the
      // near-duplicate variants (one per character) few.
      return {
        row: i + 2,
        name: c.name,
        nameKey: `${prefix}${i.toString(36)}`,
        pinyin: '',
        initials: '',
        creditCode: c.creditCode,
        ownerId: c.ownerId,
        stage: c.stage ?? 0,
        claimedAt,
        lastFollowUpAt: c.lastFollowUpAt,
        lastTouchAt: c.lastFollowUpAt ?? claimedAt,
        releaseAt: far,
        aliases: [],
      };
    }),
    'test seed',
  );
}
