// Polling helper for tests: wait until something observable happens (a recorded call,
// a row, a log line) instead of sleeping a fixed time.

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Named in the timeout error so a failing test says what never happened. */
  what?: string;
}

/** Resolves with the first truthy value `probe` returns; rejects after the timeout. */
export async function waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, options: WaitOptions | number = {}): Promise<T> {
  const { timeoutMs = 5000, intervalMs = 10, what = 'condition' } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() >= deadline) throw new Error(`waitFor: ${what} did not happen within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
