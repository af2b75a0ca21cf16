// A worker process for the multi-process tests (started with `node --import tsx`). Each
// delivery appends "<jobId> <owner> <epochMs>" to KEHU_CHILD_OUT; in hang mode the handler
// appends "started <jobId>" and never returns, so the test can SIGKILL it mid-flight.
import { appendFileSync } from 'node:fs';
import { openDatabase } from '../../src/db/client.ts';
import { startWorker } from '../../src/jobs/worker.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`worker-child: ${name} is not set`);
  return value;
};

const url = env('KEHU_CHILD_DATABASE_URL');
const owner = env('KEHU_CHILD_OWNER');
const out = env('KEHU_CHILD_OUT');
const hang = process.env.KEHU_CHILD_MODE === 'hang';

const db = await openDatabase(url);
const worker = startWorker({
  db,
  owner,
  pollMs: 20,
  concurrency: 25,
  leaseMs: Number(process.env.KEHU_CHILD_LEASE_MS ?? 30_000),
  logger: {
    info: () => {},
    warn: (obj, msg) => console.error(`[${owner}] ${msg}`, JSON.stringify(obj)),
    error: (obj, msg) => console.error(`[${owner}] ${msg}`, JSON.stringify(obj)),
  },
  handlers: {
    'test.deliver': async (_payload, job) => {
      if (hang) {
        appendFileSync(out, `started ${job.id}\n`);
        await new Promise(() => {});
      }
      // A little work, so that the two processes' batches interleave.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2));
      appendFileSync(out, `${job.id} ${owner} ${Date.now()}\n`);
    },
  },
});

process.on('SIGTERM', () => {
  void worker
    .stop()
    .then(() => db.close())
    .then(() => process.exit(0));
});
console.log('ready');
