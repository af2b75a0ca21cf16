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

// xoxb-/xapp- tokens, bearer headers, mainland mobiles (11 digits from 13x-19x, with or
// without +86), landlines with an area code (021-62345678) and international numbers.
const SECRET_PATTERNS: [RegExp, string][] = [
  [/xox[abprs]-[A-Za-z0-9-]+/g, 'xox?-[redacted]'],
  [/xapp-[A-Za-z0-9-]+/g, 'xapp-[redacted]'],
  [/Bearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [redacted]'],
  [/(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)/g, '[phone]'],
  [/(?<![\d-])0\d{2,3}[- ]\d{7,8}(?!\d)/g, '[phone]'],
  [/\+\d{1,3}[- ]?\d[\d -]{6,}\d(?!\d)/g, '[phone]'],
];

export function scrubSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((s, [re, by]) => s.replace(re, by), text);
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'kehu' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      // Last line of defence: every serialised line is scrubbed just before it is written,
      // whatever field or message the secret hid in.
      hooks: { streamWrite: scrubSecrets },
    },
    destination,
  );
}
