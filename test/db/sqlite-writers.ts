// The workload both sides of the two-process SQLite test run: transactions that read, pause
// (holding the write lock while the other process wants it), then write; and the second
// process itself (sqlite-writer-child.ts), which also serves as "another process that has the
// file open" beside migrations and CLIs.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Database } from '../../src/db/client.ts';
import { enqueueJob } from '../../src/db/repositories/job.repository.ts';
import { waitFor } from '../support/wait-for.ts';

const CHILD = fileURLToPath(new URL('./sqlite-writer-child.ts', import.meta.url));

export interface WriterChild {
  child: ChildProcess;
  pid: number;
  /** What it printed so far ("ready", then "ok <n> failed <m>"). */
  output(): string;
  /** Lets it run its `tx` transactions, then close the file and exit; resolves when it has. */
  go(): Promise<void>;
}

/** Starts the writer process on `url` and resolves once it has the database open. */
export async function startWriterChild(url: string, tx: number): Promise<WriterChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, KEHU_CHILD_DATABASE_URL: url, KEHU_CHILD_TX: String(tx) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = once(child, 'exit');
  // Generous: a busy CI machine starts the child slowly.
  await waitFor(() => out.includes('ready'), { timeoutMs: 30_000, what: 'the writer process opens the database' });
  return {
    child,
    pid: child.pid!,
    output: () => out,
    go: async () => {
      child.stdin!.write('go\n');
      await exited;
    },
  };
}

export async function runReadThenWriteTransactions(
  db: Database,
  prefix: string,
  count: number,
): Promise<{ ok: number; failed: string[] }> {
  const results = await Promise.allSettled(
    Array.from({ length: count }, (_, i) =>
      db.prisma.$transaction(async (tx) => {
        await tx.job.count();
        await new Promise((resolve) => setTimeout(resolve, 1));
        await enqueueJob(tx, { kind: 'k', payload: null, runAt: new Date(), idempotencyKey: `${prefix}-${i}` });
      }),
    ),
  );
  const failed = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
  return { ok: count - failed.length, failed };
}
