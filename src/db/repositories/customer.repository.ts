// Customers in the database, with their ownership history and follow-ups: the CustomerStore
// of core/customers/customer.ts. Every write is one transaction that also writes its notices
// to the job queue (outbox.ts). The unique constraints on nameKey and creditCode decide who
// registered first; the claim lock (ClaimLock) orders claims of new names, so near spellings
// claimed at once are decided one after another. Contests and extension requests have
// repositories of their own.
import { randomUUID } from 'node:crypto';
import type { AliasResult, Candidate, Customer, CustomerStore, FollowUp, InsertResult, OwnershipEvent, OwnershipKind } from '../../core/customers/customer.ts';
import { identityOfKey, type NameIdentity } from '../../core/customers/identity.ts';
import { splitKey } from '../../core/customers/normalise-name.ts';
import { hashes, storedPatterns } from '../../core/customers/similarity.ts';
import type { Stage } from '../../core/customers/funnel.ts';
import { writeNotices } from './outbox.ts';
import type { Database, Tx } from '../client.ts';
import type { Prisma } from '../generated/sqlite/client.ts';
import { isUniqueViolation } from './prisma-errors.ts';

/** Candidates per look-up of the name index: enough for any real near duplicate, bounded at any size. */
const PATTERN_CANDIDATES = 200;
/** Waiting for the claim lock counts inside the transaction: claims queued behind others wait this long. */
const CLAIM_LOCK_TRANSACTION_MS = 20_000;

/** The pattern hashes of one stored name (a key or an alias). */
export function nameHashes(key: string, pinyin: string): number[] {
  return hashes(storedPatterns(splitKey(key).core, pinyin));
}

/** Puts a customer's names in the name index, in `tx` (a hash two names share is written once). */
export async function writePatterns(tx: Tx, seq: number, names: { key: string; pinyin: string }[]): Promise<void> {
  const all = [...new Set(names.flatMap((n) => nameHashes(n.key, n.pinyin)))];
  if (all.length) await tx.customerNamePattern.createMany({ data: all.map((hash) => ({ hash, seq })) });
}

/** Takes names out of the name index: their (hash, seq) rows, point deletes on the primary key. */
export async function deletePatterns(tx: Tx, seq: number, names: { key: string; pinyin: string }[]): Promise<void> {
  const all = [...new Set(names.flatMap((n) => nameHashes(n.key, n.pinyin)))];
  if (all.length) await tx.customerNamePattern.deleteMany({ where: { seq, hash: { in: all } } });
}

/** Takes the claim lock in `tx`: held until `tx` ends. */
export async function takeClaimLock(tx: Tx): Promise<void> {
  await tx.claimLock.update({ where: { id: 1 }, data: { n: { increment: 1 } }, select: { id: true } });
}

/** The next free seq, in `tx` under the claim lock (the unique index's last entry). */
export async function nextSeq(tx: Tx): Promise<number> {
  // Not aggregate({ _max }): Prisma wraps that in a subquery that reads the whole index.
  const last = await tx.customer.findFirst({ where: { seq: { not: null } }, orderBy: { seq: 'desc' }, select: { seq: true } });
  return (last?.seq ?? 0) + 1;
}

const CUSTOMER_SELECT = {
  id: true,
  name: true,
  nameKey: true,
  pinyin: true,
  creditCode: true,
  city: true,
  contact: true,
  ownerId: true,
  stage: true,
  lostAt: true,
  claimedAt: true,
  lastTouchAt: true,
  lastFollowUpAt: true,
  releaseAt: true,
  extendedUntil: true,
  releasedAt: true,
  previousOwnerId: true,
  nearDuplicateOfId: true,
} as const satisfies Prisma.CustomerSelect;

type CustomerRow = Prisma.CustomerGetPayload<{ select: typeof CUSTOMER_SELECT }>;

function toCustomer(r: CustomerRow): Customer {
  const opt = <T>(v: T | null) => v ?? undefined;
  return {
    id: r.id,
    name: r.name,
    nameKey: r.nameKey,
    pinyin: r.pinyin,
    creditCode: opt(r.creditCode),
    city: opt(r.city),
    contact: opt(r.contact),
    ownerId: opt(r.ownerId),
    stage: r.stage as Stage,
    lost: r.lostAt !== null,
    claimedAt: opt(r.claimedAt),
    lastTouchAt: r.lastTouchAt,
    lastFollowUpAt: opt(r.lastFollowUpAt),
    releaseAt: opt(r.releaseAt),
    extendedUntil: opt(r.extendedUntil),
    releasedAt: opt(r.releasedAt),
    previousOwnerId: opt(r.previousOwnerId),
    nearDuplicateOfId: opt(r.nearDuplicateOfId),
  };
}

/** Appends to the ownership history (append-only: the evidence of who registered first), in `tx`. */
export async function appendOwnership(tx: Tx, customerId: string, e: OwnershipEvent): Promise<void> {
  await tx.ownershipEvent.create({
    data: {
      id: randomUUID(),
      customerId,
      kind: e.kind,
      fromPersonId: e.fromPersonId,
      toPersonId: e.toPersonId,
      byPersonId: e.byPersonId,
      reason: e.reason,
      at: e.at,
    },
    select: { id: true },
  });
}

/** A customer back in the pool: a request for more time on it has nothing left to decide. */
async function voidOpenExtensions(tx: Tx, customerId: string, at: Date): Promise<void> {
  await tx.extensionRequest.updateMany({ where: { customerId, status: 'open' }, data: { status: 'void', decidedAt: at } });
}

export function createCustomerStore(db: Database): CustomerStore {
  return bindStore(db, db.prisma as unknown as Tx, false);
}

/**
 * The store on `client`: the database's client, or one transaction's (`inTx`), where the
 * writes join that transaction instead of opening their own.
 */
function bindStore(db: Database, prisma: Tx, inTx: boolean): CustomerStore {
  const transaction = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => (inTx ? fn(prisma) : db.prisma.$transaction(fn));
  // In a caller's transaction the caller took the lock; else one transaction that takes it first.
  const locked = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> =>
    inTx
      ? fn(prisma)
      : db.prisma.$transaction(
          async (tx) => {
            await takeClaimLock(tx);
            return fn(tx);
          },
          { timeout: CLAIM_LOCK_TRANSACTION_MS, maxWait: CLAIM_LOCK_TRANSACTION_MS },
        );
  const one = async (where: Parameters<typeof prisma.customer.findFirst>[0]) => {
    const row = await prisma.customer.findFirst({ ...where, select: CUSTOMER_SELECT });
    return row ? toCustomer(row) : undefined;
  };
  const many = async (args: Omit<NonNullable<Parameters<typeof prisma.customer.findMany>[0]>, 'select'>) =>
    (await prisma.customer.findMany({ ...args, select: CUSTOMER_SELECT })).map(toCustomer);

  return {
    findById: (id) => one({ where: { id } }),

    async findByKeyOrCode(nameKey, creditCode) {
      const own = await one({ where: creditCode ? { OR: [{ nameKey }, { creditCode }] } : { nameKey } });
      if (own) return own;
      const alias = await prisma.customerAlias.findUnique({ where: { key: nameKey }, select: { customerId: true } });
      return alias ? one({ where: { id: alias.customerId } }) : undefined;
    },

    async identityCandidates({ core, hashes: probe, latin }) {
      const [patterns, sameCore, longer, byPinyin] = await Promise.all([
        prisma.customerNamePattern.findMany({ where: { hash: { in: probe } }, select: { seq: true }, take: PATTERN_CANDIDATES }),
        // The same core in every region (大疆创新科技, 大疆创新科技@CN4403, …): one index range.
        many({ where: { OR: [{ nameKey: core }, { nameKey: { gte: `${core}@`, lt: `${core}@\uffff` } }] }, take: 50 }),
        // A stored core that starts with ours ("华为" typed, "华为技术" stored): an index range.
        many({ where: { nameKey: { gte: core, lt: `${core}\uffff` } }, take: 20 }),
        // A Latin name typed for a Chinese one ("huawei" for 华为技术): its pinyin, an index range.
        latin ? many({ where: { pinyin: { gte: latin, lt: `${latin}\uffff` } }, take: 20 }) : [],
      ]);
      const seqs = [...new Set(patterns.map((p) => p.seq))];
      const bySeq = seqs.length ? await many({ where: { seq: { in: seqs } } }) : [];
      const found = new Map<string, Customer>();
      for (const c of [...sameCore, ...bySeq, ...longer, ...byPinyin]) found.set(c.id, c);
      if (found.size === 0) return [];
      const aliases = await prisma.customerAlias.findMany({ where: { customerId: { in: [...found.keys()] } }, select: { customerId: true, key: true, pinyin: true } });
      return [...found.values()].map((c): Candidate => {
        const names: NameIdentity[] = [identityOfKey(c.nameKey, c.pinyin)];
        for (const a of aliases) if (a.customerId === c.id) names.push(identityOfKey(a.key, a.pinyin));
        return { ...c, names };
      });
    },

    withClaimLock: (fn) => locked((tx) => fn(bindStore(db, tx, true))),

    addAlias: (a) =>
      locked(async (tx): Promise<AliasResult> => {
        const holder = await bindStore(db, tx, true).findByKeyOrCode(a.key);
        if (holder) return holder.id === a.customerId ? { ok: true } : { ok: false, holder };
        const owner = await tx.customer.findUnique({ where: { id: a.customerId }, select: { seq: true } });
        await tx.customerAlias.create({
          data: { key: a.key, customerId: a.customerId, name: a.name, pinyin: a.pinyin, byPersonId: a.byPersonId, createdAt: a.at },
          select: { key: true },
        });
        if (owner?.seq != null) await writePatterns(tx, owner.seq, [{ key: a.key, pinyin: a.pinyin }]);
        return { ok: true };
      }),

    async search({ nameKey, latin }, limit) {
      const or: object[] = [{ nameKey }, { nameKey: { gte: nameKey, lt: `${nameKey}\uffff` } }];
      if (latin) {
        or.push({ pinyin: { gte: latin, lt: `${latin}\uffff` } }, { initials: { gte: latin, lt: `${latin}\uffff` } });
      }
      const [byName, aliases] = await Promise.all([
        many({ where: { OR: or }, take: limit * 2, orderBy: { nameKey: 'asc' } }),
        // Another name (浦发银行 for 上海浦东发展银行): the alias key, exact or as a prefix, an index range.
        prisma.customerAlias.findMany({ where: { key: { gte: nameKey, lt: `${nameKey}\uffff` } }, take: limit, orderBy: { key: 'asc' }, select: { key: true, customerId: true } }),
      ]);
      // A customer found by an alias sorts by that alias: exact first, then the shortest.
      const keyOf = new Map(byName.map((c) => [c.id, c.nameKey]));
      const missing = aliases.filter((a) => !keyOf.has(a.customerId));
      const byAlias = missing.length ? await many({ where: { id: { in: [...new Set(missing.map((a) => a.customerId))] } } }) : [];
      for (const a of aliases) if (!keyOf.has(a.customerId) || a.key === nameKey) keyOf.set(a.customerId, a.key);
      const found = [...byName, ...byAlias];
      const sortKey = (c: Customer) => keyOf.get(c.id) ?? c.nameKey;
      // Exact key first, then the shortest keys (the closest to what was typed).
      return found.sort((a, b) => Number(sortKey(b) === nameKey) - Number(sortKey(a) === nameKey) || sortKey(a).length - sortKey(b).length).slice(0, limit);
    },

    countHeld: (ownerId) => prisma.customer.count({ where: { ownerId, lostAt: null, stage: { not: 100 } } }),

    async insertClaimed(c, event, notices): Promise<InsertResult> {
      const { id } = c;
      try {
        await locked(async (tx) => {
          const seq = await nextSeq(tx);
          await tx.customer.create({
            data: {
              id,
              name: c.name,
              nameKey: c.nameKey,
              pinyin: c.pinyin,
              initials: c.initials,
              creditCode: c.creditCode,
              city: c.city,
              contact: c.contact,
              ownerId: c.ownerId,
              stage: 0,
              claimedAt: c.at,
              lastTouchAt: c.at,
              releaseAt: c.releaseAt,
              nearDuplicateOfId: c.nearDuplicateOfId,
              seq,
            },
            select: { id: true },
          });
          await writePatterns(tx, seq, [{ key: c.nameKey, pinyin: c.pinyin }]);
          await appendOwnership(tx, id, event);
          await writeNotices(tx, notices);
        });
      } catch (e) {
        // Inside a caller's transaction a violation has aborted it (PostgreSQL): let it end first.
        if (!isUniqueViolation(e) || inTx) throw e;
        const existing = await this.findByKeyOrCode(c.nameKey, c.creditCode);
        if (!existing) throw e;
        return { ok: false, existing };
      }
      return { ok: true, customer: (await this.findById(id))! };
    },

    async takeFromPool(id, ownerId, at, releaseAt, notices) {
      return transaction(async (tx) => {
        const before = await tx.customer.findUnique({ where: { id }, select: { previousOwnerId: true } });
        const { count } = await tx.customer.updateMany({
          where: { id, ownerId: null },
          data: { ownerId, claimedAt: at, lastTouchAt: at, releaseAt, releasedAt: null, lostAt: null, extendedUntil: null },
        });
        if (count === 0) return false;
        await appendOwnership(tx, id, { kind: 'pool_claim', fromPersonId: before?.previousOwnerId ?? undefined, toPersonId: ownerId, byPersonId: ownerId, at });
        await writeNotices(tx, notices);
        return true;
      });
    },

    async changeStage(ch) {
      return transaction(async (tx) => {
        const lost = ch.to === 'lost';
        const { count } = await tx.customer.updateMany({
          where: { id: ch.id, ownerId: ch.ownerId, stage: ch.from, lostAt: null },
          data: lost
            ? { lostAt: ch.at, ownerId: null, previousOwnerId: ch.ownerId, releasedAt: ch.at, releaseAt: null, lastTouchAt: ch.at }
            : { stage: ch.to as Stage, lastTouchAt: ch.at, ...(ch.releaseAt ? { releaseAt: ch.releaseAt } : {}) },
        });
        if (count === 0) return false;
        await tx.stageChange.create({
          data: {
            id: randomUUID(),
            customerId: ch.id,
            fromStage: ch.from,
            toStage: lost ? -1 : (ch.to as number),
            evidence: JSON.stringify(ch.evidence),
            byPersonId: ch.byPersonId,
            at: ch.at,
          },
          select: { id: true },
        });
        if (lost) await appendOwnership(tx, ch.id, { kind: 'lost', fromPersonId: ch.ownerId, byPersonId: ch.byPersonId, at: ch.at });
        return true;
      });
    },

    async addFollowUp(f, notices) {
      await transaction(async (tx) => {
        await tx.followUp.create({
          data: { id: randomUUID(), customerId: f.customerId, personId: f.personId, kind: f.kind, note: f.note, at: f.at },
          select: { id: true },
        });
        await tx.customer.update({
          where: { id: f.customerId },
          data: { lastFollowUpAt: f.at, lastTouchAt: f.at, ...(f.releaseAt ? { releaseAt: f.releaseAt } : {}) },
          select: { id: true },
        });
        await writeNotices(tx, notices);
      });
    },

    async release(r, notices) {
      return transaction(async (tx) => {
        const { count } = await tx.customer.updateMany({
          where: { id: r.id, ownerId: r.ownerId },
          data: { ownerId: null, previousOwnerId: r.ownerId, releasedAt: r.at, releaseAt: null, extendedUntil: null },
        });
        if (count === 0) return false;
        await appendOwnership(tx, r.id, { kind: r.kind, fromPersonId: r.ownerId, byPersonId: r.byPersonId, reason: r.reason, at: r.at });
        await voidOpenExtensions(tx, r.id, r.at);
        await writeNotices(tx, notices);
        return true;
      });
    },

    async listByOwner(ownerId, { offset, limit }) {
      const where = { ownerId, lostAt: null };
      const [items, total] = await Promise.all([
        many({ where, orderBy: [{ stage: 'desc' }, { lastTouchAt: 'desc' }], skip: offset, take: limit }),
        prisma.customer.count({ where }),
      ]);
      return { items, total };
    },

    async listPool({ offset, limit }) {
      const where = { ownerId: null };
      const [items, total] = await Promise.all([
        many({ where, orderBy: [{ releasedAt: 'desc' }, { id: 'asc' }], skip: offset, take: limit }),
        prisma.customer.count({ where }),
      ]);
      return { items, total };
    },

    async history(id) {
      const rows = await prisma.ownershipEvent.findMany({
        where: { customerId: id },
        orderBy: { at: 'asc' },
        select: { kind: true, fromPersonId: true, toPersonId: true, byPersonId: true, reason: true, at: true },
      });
      return rows.map((r) => ({
        kind: r.kind as OwnershipKind,
        fromPersonId: r.fromPersonId ?? undefined,
        toPersonId: r.toPersonId ?? undefined,
        byPersonId: r.byPersonId ?? undefined,
        reason: r.reason ?? undefined,
        at: r.at,
      }));
    },

    async recentFollowUps(id, limit): Promise<FollowUp[]> {
      return prisma.followUp.findMany({
        where: { customerId: id },
        orderBy: { at: 'desc' },
        take: limit,
        select: { personId: true, kind: true, note: true, at: true },
      });
    },

    async lastReleasedBy(id, personId) {
      const row = await prisma.ownershipEvent.findFirst({
        where: { customerId: id, fromPersonId: personId, kind: { in: ['release', 'auto_release', 'lost', 'transfer'] } },
        orderBy: { at: 'desc' },
        select: { at: true },
      });
      return row?.at;
    },

    async dueForPool(horizon, after, limit) {
      return many({
        where: {
          ownerId: { not: null },
          lostAt: null,
          releaseAt: { lte: horizon },
          ...(after ? { OR: [{ releaseAt: { gt: after.releaseAt } }, { releaseAt: after.releaseAt, id: { gt: after.id } }] } : {}),
        },
        orderBy: [{ releaseAt: 'asc' }, { id: 'asc' }],
        take: limit,
      });
    },

    async autoRelease(r, notices) {
      return transaction(async (tx) => {
        // Conditional on what the sweep saw: a follow-up or an extension since then wins.
        const { count } = await tx.customer.updateMany({
          where: { id: r.id, ownerId: r.ownerId, releaseAt: { lte: r.at }, OR: [{ extendedUntil: null }, { extendedUntil: { lte: r.at } }] },
          data: { ownerId: null, previousOwnerId: r.ownerId, releasedAt: r.at, releaseAt: null, extendedUntil: null },
        });
        if (count === 0) return false;
        await appendOwnership(tx, r.id, { kind: 'auto_release', fromPersonId: r.ownerId, reason: 'no_follow_up', at: r.at });
        await voidOpenExtensions(tx, r.id, r.at);
        await writeNotices(tx, notices);
        return true;
      });
    },
  };
}
