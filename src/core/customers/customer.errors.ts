// Why the customers capability refuses, by name: each reason has a sentence in the
// chat layer (chat/messages/customer.messages.ts), so one without a sentence does not compile.
import type { CreditCodeProblem } from './credit-code.ts';
import type { Stage } from './funnel.ts';

export type CustomerErrorReason =
  | 'nameEmpty'
  | `creditCode.${CreditCodeProblem}`
  | `evidence.${Stage | 'lost'}`
  | `ownerOnly.${'stage' | 'release'}`
  | 'inPool'
  | 'lost'
  | 'changedMeanwhile'
  | 'ambiguous'
  | 'importRace'
  | 'importEmpty'
  | 'importHeader'
  | `contest.${'customerGone' | 'notFound' | 'arbiterOnly' | 'alreadyDecided' | 'reasonRequired' | 'ownerChanged'}`
  | `extension.${'ownerOnly' | 'noApprover' | 'notFound' | 'approverOnly' | 'alreadyDecided' | 'ownerChanged'}`;
