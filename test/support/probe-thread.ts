// A work-thread entry for test/platforms/chat-thread.test.ts: the real back office with one
// more inbox kind, `probe`, whose rows say what the thread saw in a log line ("probe
// handled") the test reads from the main thread's log.
import { startBackOffice } from '../../src/platforms/back-office.ts';
import { runWorkThread } from '../../src/platforms/chat-thread.ts';
import { answerInResponse } from '../../src/platforms/inbox.ts';
import { statFields } from './processes.ts';

/** Linux: this thread's nice value and scheduling policy (/proc/thread-self/stat fields 19 and 41). */
function scheduling(): { nice: number; policy: number } | undefined {
  const fields = statFields('/proc/thread-self/stat');
  return fields && { nice: Number(fields[19 - 3]), policy: Number(fields[41 - 3]) };
}

export type Probe =
  | { op: 'note'; tag: string; delayMs?: number }
  /** Kills the thread on its first attempt (an error nothing catches), then notes `tag`. */
  | { op: 'crash'; tag: string }
  /** Answers `body` in the response after `delayMs`, and notes whether it was taken. */
  | { op: 'answer'; tag: string; body: unknown; delayMs?: number };

await runWorkThread((o) =>
  startBackOffice({
    ...o,
    inboxHandlers: (deps) => ({
      async probe(payload, job) {
        const p = payload as Probe;
        if (p.op === 'crash' && job.attempts === 1) {
          setImmediate(() => {
            throw new Error('probe thread crashed on purpose');
          });
          await new Promise(() => undefined); // dies before it finishes
        }
        if ('delayMs' in p && p.delayMs) await new Promise((resolve) => setTimeout(resolve, p.delayMs));
        const taken = p.op === 'answer' ? await answerInResponse(p.body) : undefined;
        await deps.db.ping();
        deps.logger.info(
          {
            tag: p.tag,
            attempt: job.attempts,
            taken,
            now: deps.services.clock().toISOString(),
            people: deps.directory().people.length,
            note: 'call 13812345678',
            scheduling: scheduling(),
          },
          'probe handled',
        );
      },
    }),
  }),
);
