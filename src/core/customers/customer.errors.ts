// Why the customers capability refuses, by name, with what its sentence quotes: each
// reason has a sentence in the chat layer (chat/messages/customer.messages.ts), so one
// without a sentence, or thrown without the values its sentence needs, does not compile.
import type { CreditCodeProblem } from './credit-code.ts';
import type { Stage } from './funnel.ts';

type Quoting<Reasons extends string, Params> = { [R in Reasons]: Params };

export type CustomerErrorParams = Quoting<
  | 'nameEmpty'
  | `creditCode.${CreditCodeProblem}`
  | `evidence.${Stage | 'lost'}`
  | `ownerOnly.${'stage' | 'release' | 'alias'}`
  | 'inPool'
  | 'lost'
  | 'changedMeanwhile'
  | 'importRace'
  | 'importEmpty'
  | 'importHeader'
  | `contest.${'customerGone' | 'ownerChanged'}`
  | `extension.${'ownerOnly' | 'noApprover' | 'notFound' | 'alreadyDecided' | 'ownerChanged'}`,
  object
> &
  Quoting<'ambiguous', { candidates: string }> &
  Quoting<'contest.notFound' | 'contest.reasonRequired', { id: string }> &
  Quoting<'contest.arbiterOnly', { arbiter: string }> &
  Quoting<'contest.alreadyDecided', { status: string }> &
  Quoting<'extension.approverOnly', { approver: string }> &
  Quoting<`alias.${'empty' | 'onlyFormat' | 'control' | 'separator' | 'tooLong' | 'ownName'}`, { name: string }> &
  Quoting<'alias.taken', { alias: string; holder: string }>;

export type CustomerErrorReason = keyof CustomerErrorParams;
