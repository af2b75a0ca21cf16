// A worker-thread entry for test/platforms/chat-thread.test.ts: handles payloads the way a
// platform thread would, with what runChatThread gives it, and says what it saw in a log
// line ("probe handled") the test reads from the main thread's log.
import { runChatThread } from '../../src/platforms/chat-thread.ts';

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
      { tag: p.tag, now: deps.services.clock().toISOString(), people: deps.directory().people.length, note: 'call 13812345678' },
      'probe handled',
    );
  },
  idle: async () => undefined,
}));
