// useHarness: one harness per describe block (or file) in vitest, kept apart from
// harness.ts so that scripts outside vitest (the benchmarks) can start a harness too.
import { afterAll, beforeAll, beforeEach, vi } from 'vitest';
import { startHarness, type Harness, type HarnessOptions } from './harness.ts';

const HOOK_TIMEOUT_MS = 30_000;
/** Above waitFor's 5 s default, so a slow machine fails with "X did not happen", not a bare timeout. */
const TEST_TIMEOUT_MS = 15_000;

/**
 * One harness for a describe block (or file): started in beforeAll, stopped in afterAll,
 * fakes reset before each test (after kehu's pending Lark work). Returns a stand-in that
 * forwards to the running harness, so tests write `h.slashCommand(...)`.
 */
export function useHarness(options: HarnessOptions): Harness {
  let current: Harness | undefined;
  // For the whole file: these tests do real HTTP, real SDKs and a real database.
  vi.setConfig({ testTimeout: TEST_TIMEOUT_MS });
  // Start-up migrates a database and loads the SDKs: give it room on a busy machine.
  beforeAll(async () => {
    current = await startHarness(options);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await current?.stop();
    current = undefined;
  }, HOOK_TIMEOUT_MS);
  beforeEach(async () => {
    if (options.lark && current?.kehu.lark) await current.larkIdle();
    if (options.slack) current?.fakeSlack.reset();
    if (options.lark) current?.fakeLark.reset();
  });
  return new Proxy({} as Harness, {
    get(_target, prop) {
      if (!current) throw new Error('the harness is used outside a test (it starts in beforeAll)');
      return Reflect.get(current, prop) as unknown;
    },
  });
}
