// Claim contests in the database: the ContestStore of core/customers/contest.ts. One open
// contest per challenger and customer (the openKey unique column); a decision is written
// once, and withdraws the contest when the customer changed hands meanwhile (once.ts).
import type { Contest, ContestStatus, ContestStore } from '../../core/customers/contest.ts';
import type { Database } from '../client.ts';
import type { Prisma } from '../generated/sqlite/client.ts';
import { appendOwnership } from './customer.repository.ts';
import { createOnce, decideOnce } from './once.ts';

const CONTEST_SELECT = {
  id: true,
  customerId: true,
  challengerId: true,
  ownerId: true,
  arbiterId: true,
  status: true,
  reason: true,
  decidedById: true,
  createdAt: true,
  decidedAt: true,
} as const satisfies Prisma.ContestSelect;

type ContestRow = Prisma.ContestGetPayload<{ select: typeof CONTEST_SELECT }>;

function toContest(r: ContestRow): Contest {
  return {
    id: r.id,
    customerId: r.customerId,
    challengerId: r.challengerId,
    ownerId: r.ownerId,
    arbiterId: r.arbiterId,
    status: r.status as ContestStatus,
    reason: r.reason ?? undefined,
    decidedById: r.decidedById ?? undefined,
    createdAt: r.createdAt,
    decidedAt: r.decidedAt ?? undefined,
  };
}

export function createContestStore(db: Database): ContestStore {
  const { prisma } = db;
  return {
    async open(c, notices) {
      const openKey = `${c.customerId}:${c.challengerId}`;
      const { row, created } = await createOnce(
        db,
        () => prisma.contest.findUnique({ where: { openKey }, select: CONTEST_SELECT }),
        (tx) => tx.contest.create({ data: { ...c, status: 'open', openKey }, select: CONTEST_SELECT }),
        notices,
      );
      return { contest: toContest(row), created };
    },

    async find(id) {
      const row = await prisma.contest.findUnique({ where: { id }, select: CONTEST_SELECT });
      return row ? toContest(row) : undefined;
    },

    decide: (d, notices) =>
      decideOnce(
        db,
        {
          async close(tx) {
            const c = await tx.contest.findUnique({ where: { id: d.id }, select: CONTEST_SELECT });
            // The status condition makes a second press (or a second replica) a no-op.
            const { count } = await tx.contest.updateMany({
              where: { id: d.id, status: 'open' },
              data: { status: d.decision, reason: d.reason, decidedById: d.byPersonId, decidedAt: d.at, openKey: null },
            });
            return c && count > 0 ? c : undefined;
          },
          async apply(tx, c) {
            const stillOwned = { id: c.customerId, ownerId: c.ownerId };
            if (d.decision === 'transferred') {
              const moved = await tx.customer.updateMany({
                where: stillOwned,
                data: { ownerId: c.challengerId, previousOwnerId: c.ownerId, claimedAt: d.at, lastTouchAt: d.at, releaseAt: d.releaseAt, extendedUntil: null },
              });
              if (moved.count === 0) return false;
              // Other challengers contested the previous owner's claim: nothing left for them to win.
              await tx.contest.updateMany({ where: { customerId: c.customerId, status: 'open' }, data: { status: 'void', decidedAt: d.at, openKey: null } });
            } else if ((await tx.customer.count({ where: stillOwned })) === 0) return false;
            await appendOwnership(
              tx,
              c.customerId,
              d.decision === 'transferred'
                ? { kind: 'transfer', fromPersonId: c.ownerId, toPersonId: c.challengerId, byPersonId: d.byPersonId, reason: d.reason, at: d.at }
                : // Kept: "from" names the challenger whose contest was turned down.
                  { kind: 'keep', fromPersonId: c.challengerId, toPersonId: c.ownerId, byPersonId: d.byPersonId, reason: d.reason, at: d.at },
            );
            return true;
          },
          // Released, lost or transferred since: withdraw the contest so the challenger may claim or contest afresh.
          withdraw: (tx) => tx.contest.updateMany({ where: { id: d.id, status: 'open' }, data: { status: 'void', decidedAt: d.at, openKey: null } }),
        },
        notices,
      ),
  };
}
