// The customer book in bulk: the import's look-ups and its one-transaction write
// (batched createMany, so 100,000 rows take seconds, not minutes), and the export's
// paging through a team's customers (keyset pages, so memory stays flat however many).
import { randomUUID } from 'node:crypto';
import { AppError } from '../../core/errors.ts';
import { REGION_MARK } from '../../core/customers/normalise-name.ts';
import type { Stage } from '../../core/customers/funnel.ts';
import type { ExistingCustomer, ImportStore } from '../../core/customers/import-customers.ts';
import type { ImportRow } from '../../core/customers/import-rows.ts';
import type { ExportedCustomer, ExportSource } from '../../core/customers/export-customers.ts';
import type { Database } from '../client.ts';
import { nameHashes, nextSeq, takeClaimLock } from './customer.repository.ts';
import { bulkInsert } from './bulk-insert.ts';
import { isUniqueViolation } from './prisma-errors.ts';

/** Customers per createMany inside the import transaction (their variants go in the same step). */
export const IMPORT_BATCH = 1000;
/** Customers per export page. */
export const EXPORT_PAGE = 1000;
/** Keys or ids per IN list (an export page's aliases, an import batch's names and aliases): under the drivers' bound-parameter limits. */
const ALIAS_LOOKUP = 500;
/** An import of 100,000 rows runs for seconds to a minute; Prisma's default is 5 s. */
const IMPORT_TRANSACTION_MS = 30 * 60 * 1000;

const CUSTOMER_COLUMNS = [
  'id', 'name', 'nameKey', 'pinyin', 'initials', 'creditCode', 'ownerId', 'stage',
  'claimedAt', 'lastTouchAt', 'lastFollowUpAt', 'releaseAt', 'createdAt', 'updatedAt', 'seq',
] as const;
/** Page cache for the importing SQLite connection, in KiB. */
const SQLITE_IMPORT_CACHE_KB = 512 * 1024;

/** A raw statement's unique violation: P2010 carrying the database's own code. */
function isRawUniqueViolation(e: unknown): boolean {
  const text = String((e as { message?: unknown })?.message ?? '');
  return /UNIQUE constraint failed|duplicate key value violates unique constraint|23505|2067/.test(text);
}

export function createCustomerBook(db: Database): ImportStore & ExportSource {
  const { prisma } = db;
  return {
    async findExisting(nameKeys, creditCodes, regionalCores = []): Promise<ExistingCustomer[]> {
      const found: ExistingCustomer[] = [];
      // Every regional key of a core: a range of the unique index each (core@ up to core@\uffff).
      for (let i = 0; i < regionalCores.length; i += ALIAS_LOOKUP) {
        const ranges = regionalCores.slice(i, i + ALIAS_LOOKUP).map((core) => ({ gte: `${core}${REGION_MARK}`, lt: `${core}${REGION_MARK}\uffff` }));
        const [rows, aliases] = await Promise.all([
          prisma.customer.findMany({ where: { OR: ranges.map((nameKey) => ({ nameKey })) }, select: { name: true, nameKey: true, creditCode: true } }),
          prisma.customerAlias.findMany({ where: { OR: ranges.map((key) => ({ key })) }, select: { key: true, customer: { select: { name: true } } } }),
        ]);
        for (const r of rows) found.push({ name: r.name, nameKey: r.nameKey, creditCode: r.creditCode ?? undefined });
        for (const a of aliases) found.push({ name: a.customer.name, nameKey: a.key });
      }
      // Names and aliases of a batch may be more keys than rows: a small IN list at a time.
      for (let i = 0; i === 0 || i < nameKeys.length; i += ALIAS_LOOKUP) {
        const keys = nameKeys.slice(i, i + ALIAS_LOOKUP);
        const codes = i === 0 ? creditCodes : [];
        const or: object[] = [];
        if (keys.length) or.push({ nameKey: { in: keys } });
        if (codes.length) or.push({ creditCode: { in: codes } });
        if (!or.length) break;
        const [rows, aliases] = await Promise.all([
          prisma.customer.findMany({ where: { OR: or }, select: { name: true, nameKey: true, creditCode: true } }),
          keys.length ? prisma.customerAlias.findMany({ where: { key: { in: keys } }, select: { key: true, customer: { select: { name: true } } } }) : [],
        ]);
        for (const r of rows) found.push({ name: r.name, nameKey: r.nameKey, creditCode: r.creditCode ?? undefined });
        for (const a of aliases) found.push({ name: a.customer.name, nameKey: a.key });
      }
      return found;
    },

    async insertImported(rows: readonly ImportRow[], source: string, onWritten?: (written: number) => void) {
      const insert = bulkInsert(db.provider);
      const at = new Date();
      // SQLite's default page cache is 2 MB: a transaction this size would spill to the
      // WAL page by page. A larger cache for this connection lets it write in order.
      if (db.provider === 'sqlite') await prisma.$executeRawUnsafe(`PRAGMA cache_size = -${SQLITE_IMPORT_CACHE_KB}`);
      try {
        await prisma.$transaction(
          async (tx) => {
            // Claims of new names wait for the import, and it for them (see ClaimLock).
            await takeClaimLock(tx);
            // Names and aliases live in two tables, so no unique index sees a claim of one
            // file's alias (or an alias of one file's name) made between the check and now:
            // looked for again, under the lock.
            const aliasKeys = rows.flatMap((r) => r.aliases.map((a) => a.key));
            const nameKeys = rows.map((r) => r.nameKey);
            for (let i = 0; i < Math.max(aliasKeys.length, nameKeys.length); i += ALIAS_LOOKUP) {
              const [names, aliases] = await Promise.all([
                aliasKeys.length > i ? tx.customer.count({ where: { nameKey: { in: aliasKeys.slice(i, i + ALIAS_LOOKUP) } } }) : 0,
                nameKeys.length > i ? tx.customerAlias.count({ where: { key: { in: nameKeys.slice(i, i + ALIAS_LOOKUP) } } }) : 0,
              ]);
              if (names + aliases > 0) throw new AppError('CONFLICT', 'a company in the file was registered while importing; nothing was written', { reason: 'importRace' });
            }
            let seq = await nextSeq(tx);
            for (let i = 0; i < rows.length; i += IMPORT_BATCH) {
              const batch = rows.slice(i, i + IMPORT_BATCH).map((r) => ({ ...r, id: randomUUID(), seq: seq++ }));
              await insert(tx, 'Customer', CUSTOMER_COLUMNS, batch.map((r) => [
                r.id, r.name, r.nameKey, r.pinyin, r.initials, r.creditCode ?? null, r.ownerId, r.stage,
                r.claimedAt, r.lastTouchAt, r.lastFollowUpAt ?? null, r.releaseAt, at, at, r.seq,
              ]));
              await insert(tx, 'CustomerAlias', ['key', 'customerId', 'name', 'pinyin', 'createdAt'], batch.flatMap((r) => r.aliases.map((a) => [a.key, r.id, a.name, a.pinyin, at])));
              // A hash the name and an alias share is one row.
              const patterns = (r: ImportRow) => new Set([nameHashes(r.nameKey, r.pinyin), ...r.aliases.map((a) => nameHashes(a.key, a.pinyin))].flat());
              await insert(tx, 'CustomerNamePattern', ['hash', 'seq'], batch.flatMap((r) => [...patterns(r)].map((h) => [h, r.seq])));
              await insert(tx, 'OwnershipEvent', ['id', 'customerId', 'kind', 'toPersonId', 'reason', 'at'], batch.map((r) => [
                randomUUID(), r.id, 'import', r.ownerId, `imported from ${source}, row ${r.row}`, r.claimedAt,
              ]));
              onWritten?.(i + batch.length);
            }
          },
          { timeout: IMPORT_TRANSACTION_MS, maxWait: 60_000 },
        );
      } catch (e) {
        // Someone registered one of these companies between the check and the write.
        if (isUniqueViolation(e) || isRawUniqueViolation(e)) {
          throw new AppError('CONFLICT', 'a company in the file was registered while importing; nothing was written', { reason: 'importRace' });
        }
        throw e;
      }
    },

    countOwnedBy: (ownerIds) => prisma.customer.count({ where: { ownerId: { in: [...ownerIds] }, lostAt: null } }),

    async *ownedBy(ownerIds) {
      // Owner by owner, in pages keyed on id: each page is an index range, never an OFFSET.
      for (const ownerId of ownerIds) {
        let after: string | undefined;
        for (;;) {
          const page = await prisma.customer.findMany({
            where: { ownerId, lostAt: null, ...(after ? { id: { gt: after } } : {}) },
            orderBy: { id: 'asc' },
            take: EXPORT_PAGE,
            select: { id: true, name: true, creditCode: true, ownerId: true, stage: true, claimedAt: true, lastFollowUpAt: true },
          });
          // The page's aliases, a small IN list at a time (the customerId index).
          const aliases = new Map<string, string[]>();
          for (let i = 0; i < page.length; i += ALIAS_LOOKUP) {
            const ids = page.slice(i, i + ALIAS_LOOKUP).map((r) => r.id);
            const rows = await prisma.customerAlias.findMany({ where: { customerId: { in: ids } }, orderBy: [{ createdAt: 'asc' }, { key: 'asc' }], select: { customerId: true, name: true } });
            for (const a of rows) aliases.set(a.customerId, [...(aliases.get(a.customerId) ?? []), a.name]);
          }
          for (const r of page) {
            yield {
              name: r.name,
              creditCode: r.creditCode ?? undefined,
              ownerId: r.ownerId!,
              stage: r.stage as Stage,
              claimedAt: r.claimedAt ?? undefined,
              lastFollowUpAt: r.lastFollowUpAt ?? undefined,
              aliases: aliases.get(r.id) ?? [],
            } satisfies ExportedCustomer;
          }
          if (page.length < EXPORT_PAGE) break;
          after = page.at(-1)!.id;
        }
      }
    },
  };
}
