// The Lark SDK's client, domain and logger on pino: shared by the front end (main thread:
// the tenant-token check, the long connection) and the back office (dispatcher, sender).
import * as lark from '@larksuiteoapi/node-sdk';
import type { LarkSettings } from '../../config/env.ts';
import type { Logger } from '../../observability/logger.ts';

/** Every Open API call gives up after this long (the job is retried): a hung Lark never holds a worker. */
export const LARK_CALL_TIMEOUT_MS = 10_000;

export function larkDomain(domain: string): string | lark.Domain {
  if (domain === 'feishu') return lark.Domain.Feishu;
  if (domain === 'lark') return lark.Domain.Lark;
  return domain.replace(/\/$/, '');
}

/** The SDK's logger, on pino (its info is our debug: it narrates every token refresh). */
export function larkSdkLogger(log: Logger) {
  return {
    error: (...m: unknown[]) => log.error(m.map(String).join(' ')),
    warn: (...m: unknown[]) => log.warn(m.map(String).join(' ')),
    info: (...m: unknown[]) => log.debug(m.map(String).join(' ')),
    debug: (...m: unknown[]) => log.debug(m.map(String).join(' ')),
    trace: (...m: unknown[]) => log.trace(m.map(String).join(' ')),
  };
}

export function createLarkClient(settings: LarkSettings, log: Logger): lark.Client {
  // The SDK's one axios instance (every client and the long connection use it) has no timeout.
  lark.defaultHttpInstance.defaults.timeout = LARK_CALL_TIMEOUT_MS;
  return new lark.Client({
    appId: settings.appId,
    appSecret: settings.appSecret,
    domain: larkDomain(settings.domain),
    // The SDK's default token cache is shared by every client in the process.
    cache: new lark.DefaultCache(),
    logger: larkSdkLogger(log),
  });
}
