// PostgreSQL LISTEN for the job queue: one dedicated connection per waking worker that hears
// every committed enqueue (job.repository.ts sends NOTIFY in the enqueuing transaction, which
// PostgreSQL delivers on commit, to every replica). It reconnects with a capped backoff and
// closes on stop; meanwhile the worker's regular polls go on, so a lost connection only
// makes a job wait for the next poll.
import pg from 'pg';
import type { WorkerLogger } from './worker.ts';

export interface JobListenerOptions {
  url: string;
  channel: string;
  onNotify: (payload: string | undefined) => void;
  log: WorkerLogger;
}

const MAX_BACKOFF_MS = 30_000;

/** Starts listening; returns the stop. */
export function listenForJobs(o: JobListenerOptions): () => Promise<void> {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let failures = 0;

  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: o.url, application_name: 'kehu-listen', connectionTimeoutMillis: 5_000 });
    client = c;
    const again = (error: unknown) => {
      if (stopped || client !== c) return;
      client = undefined;
      c.removeAllListeners();
      void c.end().catch(() => undefined);
      failures++;
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(failures, 6));
      o.log.warn({ error: error instanceof Error ? error.message : String(error), retryInMs: delay }, 'job LISTEN connection lost; polling meanwhile');
      retry = setTimeout(() => void connect(), delay);
      retry.unref?.();
    };
    c.on('error', again);
    c.on('end', () => again(new Error('connection ended')));
    c.on('notification', (n) => {
      if (n.channel === o.channel) o.onNotify(n.payload);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${o.channel}`);
      failures = 0;
      // Whatever was committed while we were not listening is found by this poll.
      o.onNotify(undefined);
    } catch (error) {
      again(error);
    }
  };
  void connect();

  return async () => {
    stopped = true;
    clearTimeout(retry);
    const c = client;
    client = undefined;
    if (c) {
      c.removeAllListeners();
      c.on('error', () => undefined);
      await c.end().catch(() => undefined);
    }
  };
}
