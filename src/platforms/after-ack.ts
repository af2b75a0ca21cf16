// Work that follows an acknowledgement (compute the answer, post it) runs through one
// bounded queue per front end. Slack and Lark judge us by the ack, so new requests must
// not wait behind a crowd of replies: with at most a few replies in flight, an incoming
// request finds the event loop nearly free, and a burst turns into a short backlog of
// replies instead of slow acks.
import PQueue from 'p-queue';
import type { Logger } from '../observability/logger.ts';

export interface AfterAck {
  /** Runs `work` once earlier work allows; failures are logged, never thrown. */
  run(what: string, work: () => Promise<unknown>): void;
  /** Resolves when everything queued has finished (shutdown, tests). */
  idle(): Promise<void>;
  readonly pending: number;
}

export function createAfterAck(logger: Logger, concurrency = 2): AfterAck {
  const queue = new PQueue({ concurrency });
  return {
    run(what, work) {
      void queue.add(async () => {
        // Start after the event loop has taken in waiting requests: acks go first.
        await new Promise((resolve) => setImmediate(resolve));
        try {
          await work();
        } catch (e) {
          logger.error({ err: e, what }, 'work after the ack failed');
        }
      });
    },
    idle: () => queue.onIdle(),
    get pending() {
      return queue.size + queue.pending;
    },
  };
}
