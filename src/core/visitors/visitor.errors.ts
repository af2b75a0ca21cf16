// Why the visitors capability refuses, by name, with what its sentence quotes (sentences in
// chat/messages/visitor.messages.ts).
type Quoting<Reasons extends string, Params> = { [R in Reasons]: Params };

export type VisitorErrorParams = Quoting<
  'visitor.notYours' | 'visitor.notHost' | 'visitor.notCandidate' | 'visitor.badWait' | 'visitor.badColleague' | 'visitor.companyOrName' | 'visitor.notFound' | 'visitor.badPhone' | 'visitor.badHeadcount' | 'visitor.badTime',
  object
> &
  Quoting<'visitor.alreadyHandled', { by: string; at: string }>;
