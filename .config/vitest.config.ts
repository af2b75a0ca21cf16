// vitest for `npm test` (`vitest run --config .config/vitest.config.ts`). Read by vitest only
// (its own loader), not by tsc's build. Paths are from the repository root.
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The files that take longest, longest first (seconds alone on a 2-core machine in brackets
 * when last measured): started first, each beside the short files, instead of last with
 * a worker idle. Vitest orders by its results cache alone, and a fresh clone (CI) has none.
 */
const LONGEST_FIRST = [
  'test/platforms/replicas-soak.test.ts',
  'test/platforms/requests-holiday.test.ts',
  'test/platforms/process.test.ts',
  'test/platforms/durability.test.ts',
  'test/platforms/handovers-durability.test.ts',
  'test/platforms/requests-durability.test.ts',
  'test/platforms/digests.test.ts',
  'test/db/customer-book.test.ts',
  'test/platforms/chat-thread.test.ts',
  'test/platforms/claims-race.test.ts',
  'test/platforms/visitors-durability.test.ts',
  'test/platforms/notifications.test.ts',
  'test/db/identity-evidence.test.ts',
  'test/platforms/handovers.test.ts',
];

/** The listed files first, in their order; the rest as vitest orders them (its cache: failed, then slower first). */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = LONGEST_FIRST.indexOf(relative(ROOT, f.moduleId));
      return i === -1 ? LONGEST_FIRST.length : i;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  root: ROOT,
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ once per run: the tests that start the service as a process run
    // `node dist/main.js`, as production does (see test/support/kehu-process.ts).
    globalSetup: ['test/support/global-setup.ts'],
    // Files run in child processes (forks): tests send real signals and spawn real
    // processes. Most of a file's time is waiting on those, on sockets and on databases,
    // so even a 2-core machine runs two files at once (vitest's default there is one).
    pool: 'forks',
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // One fork runs file after file without re-importing the SDKs, Prisma and src/ for each
    // (about a quarter of the suite's CPU time). The tests share no module state
    // they change: each file starts its own harness, databases and fakes.
    isolate: false,
    sequence: { sequencer: LongestFirst },
    // Start-up of a harness (a database, a work thread, the SDKs) on a busy machine.
    hookTimeout: 30_000,
    // A test of the whole path (real HTTP, a work thread, a database, the fakes) takes a few
    // seconds on a busy 2-core machine; vitest's 5 s default made them fail by the clock, not
    // by what they check. Tests that wait on something give their own, tighter bounds.
    testTimeout: 30_000,
  },
});
