// Environment variables: the only module that reads process.env for the service.
// Validated with zod at start-up; a half-configured platform stops start-up with a
// message naming the missing variable.
import { StartRefusal } from './start-refusal.ts';
import { z } from 'zod';

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

export const ZEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .default('file:./data/kehu.db')
    .refine((v) => /^(file:|postgres(ql)?:\/\/)/.test(v), {
      message: 'must start with file: (SQLite) or postgres:// (PostgreSQL)',
    }),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  KEHU_ORG_FILE: optionalText,
  KEHU_CATALOG_FILE: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How long a queued job's lease lasts (renewed while it runs): what a dead replica's jobs wait before another takes them. */
  KEHU_JOB_LEASE_SECONDS: z.coerce.number().int().min(5).max(600).default(30),
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: optionalText.pipe(z.url().optional()),
  LARK_APP_ID: optionalText,
  LARK_APP_SECRET: optionalText,
  LARK_VERIFICATION_TOKEN: optionalText,
  LARK_ENCRYPT_KEY: optionalText,
  LARK_DOMAIN: optionalText,
  LARK_MODE: z.enum(['http', 'ws']).default('http'),
});

export type TEnv = z.infer<typeof ZEnvSchema>;

export interface SlackSettings {
  botToken: string;
  signingSecret: string;
  /** Set → Socket Mode instead of HTTP. */
  appToken?: string;
  apiUrl?: string;
}

export interface LarkSettings {
  appId: string;
  appSecret: string;
  verificationToken: string;
  encryptKey?: string;
  /** 'feishu' | 'lark' | a base URL */
  domain: string;
  mode: 'http' | 'ws';
}

export interface Settings {
  databaseUrl: string;
  port: number;
  orgFile?: string;
  catalogFile?: string;
  logLevel: TEnv['LOG_LEVEL'];
  /** KEHU_JOB_LEASE_SECONDS in ms (unset: the worker's default). */
  jobLeaseMs?: number;
  slack?: SlackSettings;
  lark?: LarkSettings;
}

export class ConfigError extends StartRefusal {
  override name = 'ConfigError';
}

/** Which variables a platform needs once any of them is set, and which are optional. */
const PLATFORM_VARS = {
  Slack: { required: ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'], optional: ['SLACK_APP_TOKEN', 'SLACK_API_URL'] },
  Lark: {
    required: ['LARK_APP_ID', 'LARK_APP_SECRET', 'LARK_VERIFICATION_TOKEN'],
    optional: ['LARK_ENCRYPT_KEY', 'LARK_DOMAIN'],
  },
} as const satisfies Record<string, { required: readonly (keyof TEnv)[]; optional: readonly (keyof TEnv)[] }>;

function platformOn(env: TEnv, name: keyof typeof PLATFORM_VARS): boolean {
  const { required, optional } = PLATFORM_VARS[name];
  const all: readonly (keyof TEnv)[] = [...required, ...optional];
  if (!all.some((k) => env[k] !== undefined)) return false;
  const missing = required.filter((k) => env[k] === undefined);
  if (missing.length > 0) {
    const set = all.filter((k) => env[k] !== undefined).join(', ');
    throw new ConfigError(
      `${name} is half-configured: ${set} ${set.includes(',') ? 'are' : 'is'} set but ${missing.join(', ')} ${
        missing.length > 1 ? 'are' : 'is'
      } missing. Set ${missing.length > 1 ? 'them' : 'it'} too, or unset the ${name} variables to run without ${name}.`,
    );
  }
  return true;
}

/** One line per problem, naming the variable: "  PORT: Invalid input: …". */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
}

/** Parses and checks the environment; throws ConfigError with a readable message. */
export function loadSettings(source: Record<string, string | undefined> = process.env): Settings {
  const parsed = ZEnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(`Invalid environment:\n${describeIssues(parsed.error)}`);
  }
  const env = parsed.data;
  const settings: Settings = {
    databaseUrl: env.DATABASE_URL,
    port: env.PORT,
    orgFile: env.KEHU_ORG_FILE,
    catalogFile: env.KEHU_CATALOG_FILE,
    logLevel: env.LOG_LEVEL,
    jobLeaseMs: env.KEHU_JOB_LEASE_SECONDS * 1000,
  };
  if (platformOn(env, 'Slack')) {
    settings.slack = {
      botToken: env.SLACK_BOT_TOKEN!,
      signingSecret: env.SLACK_SIGNING_SECRET!,
      appToken: env.SLACK_APP_TOKEN,
      apiUrl: env.SLACK_API_URL,
    };
  }
  if (platformOn(env, 'Lark')) {
    settings.lark = {
      appId: env.LARK_APP_ID!,
      appSecret: env.LARK_APP_SECRET!,
      verificationToken: env.LARK_VERIFICATION_TOKEN!,
      encryptKey: env.LARK_ENCRYPT_KEY,
      domain: env.LARK_DOMAIN ?? 'feishu',
      mode: env.LARK_MODE,
    };
  }
  return settings;
}
