// Errors a job handler throws to tell the worker what to do next, beyond "failed: retry
// with backoff" (any other error).

/**
 * The platform asked us to slow down (Slack 429 Retry-After, Lark rate-limit codes): run
 * again after `retryAfterMs`. It does not use up an attempt: a throttled send has not failed,
 * and a burst (the weekly digest to everyone) would otherwise kill jobs that succeed a
 * minute later. A platform that throttles forever shows as queue lag, not as dead jobs.
 */
export class RetryLaterError extends Error {
  override name = 'RetryLaterError';
  readonly retryAfterMs: number;

  constructor(message: string, retryAfterMs: number) {
    super(message);
    this.retryAfterMs = Math.max(0, Math.ceil(retryAfterMs));
  }
}

/**
 * Retrying cannot help (the person left the org, the payload is invalid, the platform
 * refused for good: no such channel, revoked token): dead at once.
 */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
  /**
   * What went wrong, by a closed set of names such as 'slack:channel_not_found' or
   * 'lark:230013': fit for a metrics label, where the message (which may name a person)
   * is not.
   */
  readonly code?: string;

  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (options.code !== undefined) this.code = options.code;
  }
}

// By name as well as by class, so an error class of the same name declared elsewhere (or
// loaded twice) keeps its meaning.
export function isRetryLater(error: unknown): error is RetryLaterError {
  return (
    error instanceof RetryLaterError ||
    (error instanceof Error && error.name === 'RetryLaterError' && typeof (error as RetryLaterError).retryAfterMs === 'number')
  );
}

export function isPermanent(error: unknown): boolean {
  return error instanceof PermanentJobError || (error instanceof Error && error.name === 'PermanentJobError');
}

/** The platform's error code a PermanentJobError carries (e.g. 'slack:channel_not_found'), if any. */
export function permanentCode(error: unknown): string | undefined {
  if (!isPermanent(error)) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
