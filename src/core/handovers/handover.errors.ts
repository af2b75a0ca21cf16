// Why the handovers capability refuses, with what each sentence quotes
// (chat/messages/handover.messages.ts HANDOVER_REASON_SENTENCES).
type Quoting<Reasons extends string, Params> = { [R in Reasons]: Params };

export type HandoverErrorParams = Quoting<'handover.notInLine' | 'handover.lastDayPast' | 'handover.notParty' | 'handover.stale' | 'handover.needsAdmin', object> &
  Quoting<'handover.visitDay', { lastDay: string }> &
  Quoting<'handover.noPerson' | 'handover.noneOpen' | 'handover.sameSuccessor' | 'handover.noCustomers' | 'handover.successorIsLeaver' | 'handover.notRep' | 'handover.cannotCover' | 'handover.alreadyOpen' | 'handover.noSuccessor', { person: string }> &
  Quoting<'handover.overCap', { person: string; held: number; adding: number; cap: number }>;
