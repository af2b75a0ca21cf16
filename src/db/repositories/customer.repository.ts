// Customers in the database, with their ownership history and follow-ups: the CustomerStore
// of core/customers/customer.ts. Every write is one transaction that also writes its notices
// to the job queue (outbox.ts). The unique constraints on nameKey and creditCode decide who
// registered first. Contests and extension requests have repositories of their own.
import { randomUUID } from 'node:crypto';
import type { Customer, CustomerStore, FollowUp, InsertResult, OwnershipEvent, OwnershipKind } from '../../core/customers/customer.ts';
import { containedPrefixes, deletionVariants } from '../../core/customers/similarity.ts';
import type { Stage } from '../../core/customers/funnel.ts';
import { writeNotices } from './outbox.ts';
import type { Database, Tx } from '../client.ts';
import type { Prisma } from '../generated/sqlite/client.ts';
import { isUniqueViolation } from './prisma-errors.ts';

const LATIN = /^[a-z0-9]+$/;

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

export function createCustomerStore(db: Database): CustomerStore {
  const { prisma } = db;
  const one = async (where: Parameters<typeof prisma.customer.findFirst>[0]) => {
    const row = await prisma.customer.findFirst({ ...where, select: CUSTOMER_SELECT });
    return row ? toCustomer(row) : undefined;
  };
  const many = async (args: Omit<NonNullable<Parameters<typeof prisma.customer.findMany>[0]>, 'select'>) =>
    (await prisma.customer.findMany({ ...args, select: CUSTOMER_SELECT })).map(toCustomer);

  return {
    findById: (id) => one({ where: { id } }),

    findByKeyOrCode: (nameKey, creditCode) =>
      one({ where: creditCode ? { OR: [{ nameKey }, { creditCode }] } : { nameKey } }),

    async nearDuplicateCandidates(nameKey) {
      const variants = [nameKey, ...deletionVariants(nameKey)];
      const [byVariant, byPrefix] = await Promise.all([
        prisma.customerNameVariant.findMany({ where: { variant: { in: variants } }, select: { customerId: true }, take: 50 }),
        // A stored key that starts with ours ("华为" typed, "华为技术" stored): an index range.
        many({ where: { nameKey: { gte: nameKey, lt: `${nameKey}\uffff` } }, take: 20 }),
      ]);
      // A Latin name typed for a Chinese one ("huawei" for 华为技术): its pinyin, an index range.
      const byPinyin = LATIN.test(nameKey) ? await many({ where: { pinyin: { gte: nameKey, lt: `${nameKey}\uffff` } }, take: 20 }) : [];
      const prefixes = containedPrefixes(nameKey);
      const ids = [...new Set(byVariant.map((v) => v.customerId))];
      const [fromVariants, contained] = await Promise.all([
        ids.length ? many({ where: { id: { in: ids } } }) : [],
        // A stored key at the start of ours ("华为技术" typed, "华为" stored): point look-ups.
        prefixes.length ? many({ where: { nameKey: { in: prefixes } } }) : [],
      ]);
      const seen = new Map<string, Customer>();
      for (const c of [...fromVariants, ...byPrefix, ...contained, ...byPinyin]) seen.set(c.id, c);
      return [...seen.values()];
    },

    async search({ nameKey, latin }, limit) {
      const or: object[] = [{ nameKey }, { nameKey: { gte: nameKey, lt: `${nameKey}\uffff` } }];
      if (latin) {
        or.push({ pinyin: { gte: latin, lt: `${latin}\uffff` } }, { initials: { gte: latin, lt: `${latin}\uffff` } });
      }
      const found = await many({ where: { OR: or }, take: limit * 2, orderBy: { nameKey: 'asc' } });
      // Exact key first, then the shortest keys (the closest to what was typed).
      return found.sort((a, b) => Number(b.nameKey === nameKey) - Number(a.nameKey === nameKey) || a.nameKey.length - b.nameKey.length).slice(0, limit);
    },

    countHeld: (ownerId) => prisma.customer.count({ where: { ownerId, lostAt: null, stage: { not: 100 } } }),

    async insertClaimed(c, event, notices): Promise<InsertResult> {
      const { id } = c;
      try {
        await prisma.$transaction(async (tx) => {
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
            },
            select: { id: true },
          });
          const variants = deletionVariants(c.nameKey);
          if (variants.length) await tx.customerNameVariant.createMany({ data: variants.map((variant) => ({ variant, customerId: id })) });
          await appendOwnership(tx, id, event);
          await writeNotices(tx, notices);
        });
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        const existing = await this.findByKeyOrCode(c.nameKey, c.creditCode);
        if (!existing) throw e;
        return { ok: false, existing };
      }
      return { ok: true, customer: (await this.findById(id))! };
    },

    async takeFromPool(id, ownerId, at, releaseAt, notices) {
      return prisma.$transaction(async (tx) => {
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
      return prisma.$transaction(async (tx) => {
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
      await prisma.$transaction(async (tx) => {
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
      return prisma.$transaction(async (tx) => {
        const { count } = await tx.customer.updateMany({
          where: { id: r.id, ownerId: r.ownerId },
          data: { ownerId: null, previousOwnerId: r.ownerId, releasedAt: r.at, releaseAt: null, extendedUntil: null },
        });
        if (count === 0) return false;
        await appendOwnership(tx, r.id, { kind: r.kind, fromPersonId: r.ownerId, byPersonId: r.byPersonId, reason: r.reason, at: r.at });
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
      return prisma.$transaction(async (tx) => {
        // Conditional on what the sweep saw: a follow-up or an extension since then wins.
        const { count } = await tx.customer.updateMany({
          where: { id: r.id, ownerId: r.ownerId, releaseAt: { lte: r.at }, OR: [{ extendedUntil: null }, { extendedUntil: { lte: r.at } }] },
          data: { ownerId: null, previousOwnerId: r.ownerId, releasedAt: r.at, releaseAt: null, extendedUntil: null },
        });
        if (count === 0) return false;
        await appendOwnership(tx, r.id, { kind: 'auto_release', fromPersonId: r.ownerId, reason: 'no_follow_up', at: r.at });
        await writeNotices(tx, notices);
        return true;
      });
    },
  };
}
