// The upgrade step for how names are keyed: when normalise-name.ts changes what a name's
// key is, customers written by an older kehu are re-keyed at start-up (and by
// `npm run db:migrate`), before any claim is served. Each customer's key, stored name
// (format characters removed), pinyin, initials, seq and name-index patterns are derived
// again from its stored name, under the claim lock, in batches; the version is then
// recorded in DataVersion, so later starts skip it. Idempotent: a re-key cut short starts
// over and ends the same.
//
// Two customers an older kehu kept apart may now have one key (华为\u200b技术 and 华为技术):
// the first registered keeps it; the later one keeps its own record, marked as a near
// duplicate of the first, under its key with `~` and its id's start appended, so it is
// still found as the same company — a manager settles it.
import { cleanCompanyName, normaliseCompanyName } from '../core/customers/normalise-name.ts';
import type { Database, Tx } from './client.ts';
import { deletePatterns, nextSeq, takeClaimLock, writePatterns } from './repositories/customer.repository.ts';

/** Raise when normalise-name.ts keys names differently; 1: regions in keys, format characters, the pattern index. */
export const CUSTOMER_KEY_VERSION = 1;
const VERSION_NAME = 'customerKeys';
const BATCH = 500;

const ROW_SELECT = { id: true, name: true, nameKey: true, pinyin: true, seq: true, claimedAt: true, createdAt: true } as const;
type Row = { id: string; name: string; nameKey: string; pinyin: string; seq: number | null; claimedAt: Date | null; createdAt: Date };

export async function rekeyCustomers(db: Database, log: (msg: string) => void = () => {}): Promise<{ rekeyed: number; merged: number }> {
  const { prisma } = db;
  const done = await prisma.dataVersion.findUnique({ where: { name: VERSION_NAME }, select: { version: true } });
  if (done && done.version >= CUSTOMER_KEY_VERSION) return { rekeyed: 0, merged: 0 };
  const total = await prisma.customer.count();
  if (total > 0) log(`re-keying ${total} customers for name keys version ${CUSTOMER_KEY_VERSION}`);
  let rekeyed = 0;
  let merged = 0;
  let after: string | undefined;
  for (;;) {
    const page: Row[] = await prisma.customer.findMany({ where: after ? { id: { gt: after } } : {}, orderBy: { id: 'asc' }, take: BATCH, select: ROW_SELECT });
    if (page.length === 0) break;
    await prisma.$transaction(
      async (tx) => {
        await takeClaimLock(tx);
        for (const row of page) {
          const r = await rekeyOne(tx, row, 0);
          rekeyed += Number(r.changed);
          merged += Number(r.merged);
        }
      },
      { timeout: 120_000, maxWait: 60_000 },
    );
    after = page.at(-1)!.id;
  }
  await prisma.dataVersion.upsert({
    where: { name: VERSION_NAME },
    create: { name: VERSION_NAME, version: CUSTOMER_KEY_VERSION },
    update: { version: CUSTOMER_KEY_VERSION },
  });
  if (total > 0) log(`re-keyed customers: ${rekeyed} changed, ${merged} now share a key with an earlier one (marked as near duplicates)`);
  return { rekeyed, merged };
}

async function rekeyOne(tx: Tx, row: Row, depth: number): Promise<{ changed: boolean; merged: boolean }> {
  // Re-read: an earlier row of this batch may have moved this one.
  const current = (await tx.customer.findUnique({ where: { id: row.id }, select: ROW_SELECT })) ?? row;
  const n = normaliseCompanyName(current.name);
  let key = n.key === '' ? current.nameKey : n.key;
  let nearDuplicateOfId: string | undefined;
  let merged = false;
  const holder = key === current.nameKey ? null : await tx.customer.findUnique({ where: { nameKey: key }, select: ROW_SELECT });
  if (holder) {
    const holderKey = normaliseCompanyName(holder.name).key;
    if (holderKey !== key && depth < 3) {
      // The holder has this key only under the old rules: move it first.
      await rekeyOne(tx, holder, depth + 1);
    } else {
      const [first, later] = registeredBefore(holder, current) ? [holder, current] : [current, holder];
      if (later.id === holder.id) {
        await tx.customer.update({ where: { id: holder.id }, data: { nameKey: `${key}~${holder.id.slice(0, 8)}`, nearDuplicateOfId: current.id }, select: { id: true } });
      } else {
        key = `${key}~${current.id.slice(0, 8)}`;
        nearDuplicateOfId = first.id;
      }
      merged = true;
    }
  }
  const seq = current.seq ?? (await nextSeq(tx));
  // Whatever this row put in the index before (a re-key cut short), then what it puts now.
  if (current.seq !== null) await deletePatterns(tx, current.seq, [{ key: current.nameKey, pinyin: current.pinyin }]);
  await tx.customer.update({
    where: { id: current.id },
    data: { nameKey: key, name: cleanCompanyName(current.name) || current.name, pinyin: n.pinyin || current.pinyin, initials: n.initials || undefined, seq, nearDuplicateOfId },
    select: { id: true },
  });
  const aliases = await tx.customerAlias.findMany({ where: { customerId: current.id }, select: { key: true, pinyin: true } });
  await writePatterns(tx, seq, [{ key, pinyin: n.pinyin || current.pinyin }, ...aliases]);
  return { changed: key !== current.nameKey || current.seq === null, merged };
}

function registeredBefore(a: Row, b: Row): boolean {
  const t = (r: Row) => (r.claimedAt ?? r.createdAt).getTime();
  return t(a) < t(b) || (t(a) === t(b) && a.id < b.id);
}
