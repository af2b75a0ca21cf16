// The two pool messages that change as their story moves on — the owner's release warning
// and the approver's extension request — as updates in place (NoticeJob.replaces): which
// message a change replaces, for whom, and the state it shows. Pure; the use cases that
// make the change (ask, decide, follow up, release, the sweep, a transfer) put these beside
// their own notices, in the same transaction.
import type { Notice, NoticeJob, NoticeOf } from '../notices.ts';
import type { OrgDirectory } from '../org/org.ts';
import type { ExtensionRequest, ExtensionStore } from './extension.ts';
import { extendedReleaseAt, releaseWarningKey } from './pool-rules.ts';

export type WarningOutcome = NonNullable<NoticeOf<'customer.releaseWarning'>['outcome']>;
export type ExtensionOutcome = NonNullable<NoticeOf<'customer.extensionRequested'>['outcome']>;

/** The key the approver's request message was sent under (request-extension.ts). */
export const extensionRequestKey = (requestId: string) => `extension:${requestId}:asked`;

function inPlace(personId: string, notice: Notice, replaces: string, what: string, now: Date): NoticeJob {
  return { personId, notice, replaces, idempotencyKey: `${replaces}:${what}:${now.toISOString()}`, runAt: now };
}

/**
 * The owner's warning for the release day the customer had before this change, showing
 * `outcome`; undefined when the customer had no owner or no release day (nothing warned).
 */
export function warningUpdate(
  customer: { id: string; name: string; ownerId?: string; releaseAt?: Date },
  timezone: string,
  outcome: WarningOutcome,
  now: Date,
): NoticeJob | undefined {
  if (!customer.ownerId || !customer.releaseAt) return undefined;
  const key = releaseWarningKey(customer.id, customer.releaseAt, timezone);
  const notice: Notice = { type: 'customer.releaseWarning', customerId: customer.id, customerName: customer.name, releaseAt: customer.releaseAt.toISOString(), outcome };
  return inPlace(customer.ownerId, notice, key, outcome.state, now);
}

/** The approver's request message, showing how the request ended. */
export function extensionUpdate(
  request: Pick<ExtensionRequest, 'id' | 'customerId' | 'ownerId' | 'approverId' | 'releaseAt'>,
  customerName: string,
  until: Date,
  outcome: ExtensionOutcome,
  now: Date,
): NoticeJob {
  const notice: Notice = {
    type: 'customer.extensionRequested',
    requestId: request.id,
    customerId: request.customerId,
    customerName,
    ownerId: request.ownerId,
    releaseAt: request.releaseAt.toISOString(),
    until: until.toISOString(),
    outcome,
  };
  return inPlace(request.approverId, notice, extensionRequestKey(request.id), outcome.state, now);
}

/**
 * A customer going back to the pool (released, or by the sweep): the owner's warning says
 * so, and each request still open is shown as ended (the store voids them with the release).
 */
export async function releasedNotices(
  extensions: Pick<ExtensionStore, 'openFor'>,
  directory: OrgDirectory,
  customer: { id: string; name: string; ownerId?: string; releaseAt?: Date },
  reason: 'manual' | 'no_follow_up',
  now: Date,
): Promise<NoticeJob[]> {
  const open = await extensions.openFor(customer.id);
  const warning = warningUpdate(customer, directory.org.timezone, { state: 'released', reason }, now);
  return [
    ...(warning ? [warning] : []),
    ...open.map((r) => extensionUpdate(r, customer.name, extendedReleaseAt(directory.org.pool, r.releaseAt), { state: 'void', why: 'released' }, now)),
  ];
}
