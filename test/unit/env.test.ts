import { describe, expect, it } from 'vitest';
import { ConfigError, loadSettings } from '../../src/config/env.ts';

describe('environment settings', () => {
  it('defaults to the embedded SQLite file, port 3000 and no platform', () => {
    const s = loadSettings({});
    expect(s).toMatchObject({ databaseUrl: 'file:./data/kehu.db', port: 3000, logLevel: 'info', jobLeaseMs: 30_000 });
    expect(s.slack).toBeUndefined();
    expect(s.lark).toBeUndefined();
  });

  it('turns a platform on when its credentials are set', () => {
    const s = loadSettings({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'sec',
      SLACK_APP_TOKEN: 'xapp-1',
      LARK_APP_ID: 'cli_1',
      LARK_APP_SECRET: 's',
      LARK_VERIFICATION_TOKEN: 'v',
      LARK_MODE: 'ws',
      LARK_DOMAIN: 'lark',
      DATABASE_URL: 'postgres://u@h/db',
    });
    expect(s.slack).toEqual({ botToken: 'xoxb-1', signingSecret: 'sec', appToken: 'xapp-1', apiUrl: undefined });
    expect(s.lark).toMatchObject({ appId: 'cli_1', domain: 'lark', mode: 'ws' });
    expect(s.databaseUrl).toBe('postgres://u@h/db');
  });

  it('names the missing variable of a half-configured platform', () => {
    expect(() => loadSettings({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(ConfigError);
    expect(() => loadSettings({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET is missing/);
    expect(() => loadSettings({ LARK_APP_ID: 'cli', LARK_APP_SECRET: 's' })).toThrow(/LARK_VERIFICATION_TOKEN is missing/);
    expect(() => loadSettings({ LARK_ENCRYPT_KEY: 'k' })).toThrow(/LARK_APP_ID, LARK_APP_SECRET, LARK_VERIFICATION_TOKEN are missing/);
  });

  it('treats empty values as unset and refuses bad ones with the variable name', () => {
    expect(loadSettings({ SLACK_BOT_TOKEN: '', KEHU_ORG_FILE: ' ' }).slack).toBeUndefined();
    expect(() => loadSettings({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadSettings({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must start with file:/);
    expect(() => loadSettings({ LARK_MODE: 'socket' })).toThrow(/LARK_MODE/);
    expect(() => loadSettings({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(loadSettings({ KEHU_JOB_LEASE_SECONDS: '10' }).jobLeaseMs).toBe(10_000);
    expect(() => loadSettings({ KEHU_JOB_LEASE_SECONDS: '1' })).toThrow(/KEHU_JOB_LEASE_SECONDS/);
  });
});
