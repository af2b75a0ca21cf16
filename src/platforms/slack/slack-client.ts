// The Slack Web API client's settings and Bolt's logger on pino: shared by the front end
// (main thread: auth.test, Socket Mode) and the back office (the Bolt app, the sender).
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { SlackSettings } from '../../config/env.ts';
import type { Logger } from '../../observability/logger.ts';

/** Every Web API call gives up after this long (the job is retried): a hung Slack never holds a worker. */
export const SLACK_CALL_TIMEOUT_MS = 10_000;

export function slackClientOptions(settings: SlackSettings) {
  return {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl.endsWith('/') ? settings.apiUrl : `${settings.apiUrl}/` } : {}),
    // The job queue retries with backoff; a client that sleeps 30 minutes would hold a lease.
    retryConfig: { retries: 1, factor: 1, minTimeout: 200, maxTimeout: 500 },
    rejectRateLimitedCalls: true,
    timeout: SLACK_CALL_TIMEOUT_MS,
  };
}

export function toBoltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  return {
    debug: (...m: unknown[]) => log.debug(m.map(String).join(' ')),
    info: (...m: unknown[]) => log.info(m.map(String).join(' ')),
    warn: (...m: unknown[]) => log.warn(m.map(String).join(' ')),
    error: (...m: unknown[]) => log.error(m.map(String).join(' ')),
    setLevel: (l: LogLevel) => void (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}
