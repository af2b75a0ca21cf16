// A person read messages kehu sent them (Lark's read receipts, by the sent messages' keys):
// what each capability makes of it. Visitors: the host saw the ping (core/visitors/seen-visit.ts).
import { hostPingOf } from '../core/visitors/snapshot.ts';
import { markHostSeen } from '../core/visitors/seen-visit.ts';
import type { Inbound } from './dispatch.ts';

export async function messagesRead(inbound: Inbound, keys: readonly string[], at: Date): Promise<void> {
  const person = inbound.person;
  if (!person) return;
  for (const key of keys) {
    const ping = hostPingOf(key);
    if (ping) await markHostSeen({ visits: inbound.services.visits, directory: inbound.directory, ...ping, readerId: person.id, at });
  }
}
