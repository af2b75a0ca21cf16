// Use case: a rep who was refused a customer (or who says a near-duplicate is the same
// company) contests the owner's claim. The contest goes to an impartial arbiter with the
// evidence as it stands now; pressing Contest twice finds the contest already open.
import { randomInt } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { Notice } from '../notices.ts';
import type { OrgDirectory, Person } from '../org/org.ts';
import { chooseArbiter, ownerSince } from './arbitration.ts';
import type { Contest, ContestStore } from './contest.ts';
import type { Customer, CustomerStore } from './customer.ts';
import { getCustomer } from './find-customer.ts';

export type ContestOutcome =
  | { kind: 'opened' | 'alreadyOpen'; contest: Contest; customer: Customer; arbiter: Person }
  | { kind: 'yours'; customer: Customer }
  /** Nobody impartial can decide: the challenger is told why instead of waiting for nobody. */
  | { kind: 'noArbiter'; customer: Customer };

const HISTORY_SHOWN = 10;
const FOLLOW_UPS_SHOWN = 5;
const NOTE_SHOWN = 200;
// Short enough to type in `decide <id> …`; no 0/O, 1/I/L to misread.
const ID_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function newContestId(): string {
  let id = '';
  for (let i = 0; i < 7; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

export async function contestCustomer(options: {
  store: CustomerStore;
  contests: ContestStore;
  directory: OrgDirectory;
  challenger: Person;
  customerId: string;
  now: Date;
}): Promise<ContestOutcome> {
  const { store, directory, challenger, now } = options;
  const customer = await getCustomer({ store, customerId: options.customerId });
  if (!customer.ownerId) throw new AppError('CONFLICT', 'customer is in the pool', { reason: 'inPool' });
  if (customer.ownerId === challenger.id) return { kind: 'yours', customer };
  const arbiter = chooseArbiter(directory, customer.ownerId, challenger.id);
  if (!arbiter) return { kind: 'noArbiter', customer };

  const [history, followUps] = await Promise.all([store.history(customer.id), store.recentFollowUps(customer.id, FOLLOW_UPS_SHOWN)]);
  const id = newContestId();
  const notice: Notice = {
    type: 'customer.contested',
    contestId: id,
    customerId: customer.id,
    customerName: customer.name,
    ownerId: customer.ownerId,
    challengerId: challenger.id,
    ownerSince: ownerSince(history, customer.ownerId)?.toISOString(),
    contestedAt: now.toISOString(),
    stage: customer.stage,
    history: history.slice(-HISTORY_SHOWN).map((e) => ({ ...e, at: e.at.toISOString() })),
    followUps: followUps.map((f) => ({ ...f, note: [...f.note].slice(0, NOTE_SHOWN).join(''), at: f.at.toISOString() })),
  };
  const { contest, created } = await options.contests.open(
    { id, customerId: customer.id, challengerId: challenger.id, ownerId: customer.ownerId, arbiterId: arbiter.id, createdAt: now },
    [{ personId: arbiter.id, notice, idempotencyKey: `contest:${id}:arbiter`, runAt: now }],
  );
  // An open contest keeps the arbiter it was sent to, even if the org changed since.
  const sentTo = directory.person(contest.arbiterId) ?? arbiter;
  return { kind: created ? 'opened' : 'alreadyOpen', contest, customer, arbiter: sentTo };
}
