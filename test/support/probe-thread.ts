// A worker-thread entry for test/platforms/chat-thread.test.ts: handles payloads the way a
// platform thread would, with what runChatThread gives it, and says what it saw in a log
// line ("probe handled") the test reads from the main thread's log.
import { readFileSync } from 'node:fs';
import { runChatThread } from '../../src/platforms/chat-thread.ts';

/** Linux: this thread's nice value and scheduling policy (/proc/thread-self/stat fields 19 and 41). */
function scheduling(): { nice: number; policy: number } | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' '); // after "pid (comm) "; comm may hold ") "
    // fields[0] is field 3 (state), so field n is fields[n - 3].
    return { nice: Number(fields[19 - 3]), policy: Number(fields[41 - 3]) };
  } catch {
    return undefined;
  }
}

type Probe = { op: 'note'; tag: string; delayMs?: number } | { op: 'crash' };

await runChatThread(async (deps) => ({
  async handle(payload) {
    const p = payload as Probe;
    if (p.op === 'crash') {
      // An error nothing catches, as a bug in a listener would throw.
      setImmediate(() => {
        throw new Error('probe thread crashed on purpose');
      });
      return;
    }
    if (p.delayMs) await new Promise((resolve) => setTimeout(resolve, p.delayMs));
    await deps.services.db.ping();
    deps.metrics.acks.inc({ platform: 'slack', kind: 'probe' });
    deps.logger.info(
      { tag: p.tag, now: deps.services.clock().toISOString(), people: deps.directory().people.length, note: 'call 13812345678', scheduling: scheduling() },
      'probe handled',
    );
  },
  idle: async () => undefined,
}));
