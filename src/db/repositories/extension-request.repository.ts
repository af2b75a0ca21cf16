// Requests for more time in the database: the ExtensionStore of core/customers/extension.ts.
// One request per customer and release date (a unique key); a decision is written once,
// and withdraws the request when the customer changed hands meanwhile (once.ts).
import type { ExtensionRequest, ExtensionStore } from '../../core/customers/extension.ts';
import type { Database } from '../client.ts';
import type { Prisma } from '../generated/sqlite/client.ts';
import { createOnce, decideOnce } from './once.ts';

const EXTENSION_SELECT = {
  id: true,
  customerId: true,
  ownerId: true,
  approverId: true,
  releaseAt: true,
  status: true,
  createdAt: true,
  decidedAt: true,
} as const satisfies Prisma.ExtensionRequestSelect;

type ExtensionRow = Prisma.ExtensionRequestGetPayload<{ select: typeof EXTENSION_SELECT }>;

function toExtension(r: ExtensionRow): ExtensionRequest {
  return { ...r, status: r.status as ExtensionRequest['status'], decidedAt: r.decidedAt ?? undefined };
}

export function createExtensionStore(db: Database): ExtensionStore {
  const { prisma } = db;
  return {
    async open(r, notices) {
      const { row, created } = await createOnce(
        db,
        () => prisma.extensionRequest.findUnique({ where: { customerId_releaseAt: { customerId: r.customerId, releaseAt: r.releaseAt } }, select: EXTENSION_SELECT }),
        (tx) => tx.extensionRequest.create({ data: { ...r, status: 'open' }, select: EXTENSION_SELECT }),
        notices,
      );
      return { request: toExtension(row), created };
    },

    async find(id) {
      const row = await prisma.extensionRequest.findUnique({ where: { id }, select: EXTENSION_SELECT });
      return row ? toExtension(row) : undefined;
    },

    async openFor(customerId) {
      const rows = await prisma.extensionRequest.findMany({ where: { customerId, status: 'open' }, select: EXTENSION_SELECT, orderBy: { createdAt: 'asc' } });
      return rows.map(toExtension);
    },

    decide: (d, notices, withdrawn = []) =>
      decideOnce(
        db,
        {
          async close(tx) {
            const req = await tx.extensionRequest.findUnique({ where: { id: d.id }, select: EXTENSION_SELECT });
            const { count } = await tx.extensionRequest.updateMany({ where: { id: d.id, status: 'open' }, data: { status: d.approve ? 'approved' : 'denied', decidedAt: d.at } });
            return req && count > 0 ? req : undefined;
          },
          async apply(tx, req) {
            if (!d.approve) return true;
            const now = await tx.customer.findUnique({ where: { id: req.customerId }, select: { ownerId: true, releaseAt: true } });
            if (!now?.releaseAt || now.ownerId !== req.ownerId) return false;
            // A follow-up since the request may already have moved it further: never shorten.
            const releaseAt = now.releaseAt > d.newReleaseAt ? now.releaseAt : d.newReleaseAt;
            const moved = await tx.customer.updateMany({ where: { id: req.customerId, ownerId: req.ownerId }, data: { releaseAt, extendedUntil: d.newReleaseAt } });
            return moved.count > 0;
          },
          withdraw: (tx) => tx.extensionRequest.updateMany({ where: { id: d.id, status: 'open' }, data: { status: 'void', decidedAt: d.at } }),
        },
        notices,
        withdrawn,
      ),
  };
}
