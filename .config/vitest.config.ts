// vitest for `npm test` (`vitest run --config .config/vitest.config.ts`). Read by vitest only
// (its own loader), not by tsc's build. Paths are from the repository root.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
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
    // Start-up of a harness (a database, a work thread, the SDKs) on a busy machine.
    hookTimeout: 30_000,
    // A test of the whole path (real HTTP, a work thread, a database, the fakes) takes a few
    // seconds on a busy 2-core machine; vitest's 5 s default made them fail by the clock, not
    // by what they check. Tests that wait on something give their own, tighter bounds.
    testTimeout: 30_000,
  },
});
