// Why the service-requests capability refuses, by name, with what its sentence quotes
// (sentences in chat/messages/request.messages.ts).
type Quoting<Reasons extends string, Params> = { [R in Reasons]: Params };

export type RequestErrorParams = Quoting<'request.notMember' | 'request.notRequester' | 'request.notApprover' | 'request.notHead' | 'request.notFound' | 'request.noAssignee' | 'request.badAway' | 'request.notParty' | 'request.badScore', object> &
  Quoting<'request.stale', { number: number; status: string; by: string; at: string }> &
  Quoting<'request.notAMember' | 'request.alreadyAssigned', { name: string }> &
  Quoting<'request.over' | 'request.ratingClosed', { number: number }> &
  Quoting<'request.rated', { number: number; score: number }> &
  Quoting<'request.pastDate', { field: string; date: string }> &
  Quoting<'request.tooEarly', { field: string; date: string; earliest: string; lead: number; holidays: string }>;
