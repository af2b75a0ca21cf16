// Structured JSON logs (pino). Tokens, secrets and phone numbers never reach a log line:
// known fields are redacted by path, and free text passes through scrubSecrets().
import { pino, type Logger } from 'pino';

export type { Logger };

const REDACT_PATHS = [
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.appSecret',
  '*.app_secret',
  '*.verificationToken',
  '*.encryptKey',
  '*.password',
  '*.phone',
  '*.mobile',
  '*.authorization',
  'headers.authorization',
  'headers["x-slack-signature"]',
  'headers["x-lark-signature"]',
];

// xoxb-/xapp- tokens, bearer headers, and mainland mobile numbers (1[3-9]x, 11 digits)
// or other long digit runs that look like phone numbers.
const SECRET_PATTERNS: [RegExp, string][] = [
  [/xox[abprs]-[A-Za-z0-9-]+/g, 'xox?-[redacted]'],
  [/xapp-[A-Za-z0-9-]+/g, 'xapp-[redacted]'],
  [/Bearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [redacted]'],
  [/(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)/g, '[phone]'],
  [/(?<!\d)\+?\d[\d -]{9,}\d(?!\d)/g, '[phone]'],
];

export function scrubSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((s, [re, by]) => s.replace(re, by), text);
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'kehu' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        // Scrub free-text arguments (messages and string fields) of every log call.
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) =>
              typeof a === 'string'
                ? scrubSecrets(a)
                : a && typeof a === 'object' && !(a instanceof Error)
                  ? JSON.parse(scrubSecrets(JSON.stringify(a)))
                  : a,
            ) as Parameters<typeof method>,
          );
        },
      },
      serializers: { err: (e: Error) => ({ type: e.name, message: scrubSecrets(e.message), stack: scrubSecrets(e.stack ?? '') }) },
    },
    destination,
  );
}
