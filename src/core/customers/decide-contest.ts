// Use case: the arbiter keeps a contested customer with its owner or transfers it to the
// challenger. Only the arbiter the contest was sent to decides, once; a transfer needs a
// reason (it takes a customer away from someone). Both reps are told, in the same
// transaction as the decision.
import { AppError } from '../errors.ts';
import type { NoticeJob } from '../notices.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import type { Contest, ContestStore } from './contest.ts';
import type { Customer, CustomerStore } from './customer.ts';
import { getCustomer } from './find-customer.ts';
import { releaseDueAt } from './pool-rules.ts';
import { warningUpdate } from './pool-messages.ts';

export type Decision = 'keep' | 'transfer';

export async function decideContest(options: {
  store: CustomerStore;
  contests: ContestStore;
  directory: OrgDirectory;
  arbiter: Person;
  contestId: string;
  decision: Decision;
  reason?: string;
  now: Date;
}): Promise<{ contest: Contest; customer: Customer }> {
  const { store, contests, directory, arbiter, decision, now } = options;
  const reason = options.reason?.trim() || undefined;
  const contest = await contests.find(options.contestId.trim().toUpperCase());
  if (!contest) throw new AppError('NOT_FOUND', 'no such contest', { reason: 'contest.notFound', id: options.contestId });
  if (contest.arbiterId !== arbiter.id) {
    throw new AppError('FORBIDDEN', 'only the arbiter decides', { reason: 'contest.arbiterOnly', arbiter: directory.person(contest.arbiterId)?.name ?? contest.arbiterId });
  }
  if (contest.status !== 'open') throw new AppError('ALREADY_DONE', 'contest already decided', { reason: 'contest.alreadyDecided', status: contest.status });
  if (decision === 'transfer' && !reason) throw new AppError('INVALID_INPUT', 'a transfer needs a reason', { reason: 'contest.reasonRequired', id: contest.id });
  const customer = await getCustomer({ store, customerId: contest.customerId });

  const decided = decision === 'keep' ? 'kept' : 'transferred';
  const newOwner = decided === 'kept' ? contest.ownerId : contest.challengerId;
  // The arbiter's own contest message changes in place to the decision (its buttons gone),
  // however the decision was made (a button, `decide`, or another device).
  const notices: NoticeJob[] = [contest.ownerId, contest.challengerId, contest.arbiterId].map((personId, i) => ({
    personId,
    notice: {
      type: 'customer.contestDecided',
      customerId: customer.id,
      customerName: customer.name,
      decision: decided,
      ownerId: newOwner,
      challengerId: contest.challengerId,
      byPersonId: arbiter.id,
      reason,
    },
    idempotencyKey: i < 2 ? `contest:${contest.id}:decided:${personId}` : `contest:${contest.id}:decided:arbiter`,
    runAt: now,
    ...(i === 2 ? { replaces: `contest:${contest.id}:arbiter` } : {}),
  }));
  // The old owner's pool warning, if one was sent, says the customer is someone else's now.
  const warning = decided === 'transferred' && warningUpdate({ ...customer, ownerId: contest.ownerId }, directory.org.timezone, { state: 'transferred', toPersonId: contest.challengerId }, now);
  if (warning) notices.push(warning);
  const result = await contests.decide(
    {
      id: contest.id,
      decision: decided,
      reason,
      byPersonId: arbiter.id,
      at: now,
      releaseAt: decided === 'transferred' ? releaseDueAt(directory.org.pool, customer.stage, now) : undefined,
    },
    notices,
  );
  if (result === 'alreadyDecided') throw new AppError('ALREADY_DONE', 'contest already decided', { reason: 'contest.alreadyDecided', status: 'decided' });
  // Released, lost or transferred since the contest: nothing left to decide (the store withdrew it).
  if (result === 'ownerChanged') throw new AppError('CONFLICT', 'owner changed since the contest', { reason: 'contest.ownerChanged' });
  return { contest: (await contests.find(contest.id))!, customer: (await store.findById(customer.id))! };
}
