import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubSecrets } from '../../src/observability/logger.ts';

describe('logs keep secrets and phone numbers out', () => {
  it('scrubs tokens and phone numbers from free text', () => {
    expect(scrubSecrets('token xoxb-123-456-abc and xapp-1-A')).toBe('token xox?-[redacted] and xapp-[redacted]');
    expect(scrubSecrets('visitor 13812345678 / +86 138-1234-5678 / 021-62345678 / +1 415 555 0100')).toBe('visitor [phone] / [phone] / [phone] / [phone]');
    expect(scrubSecrets('Authorization: Bearer t-abc.def')).toBe('Authorization: Bearer [redacted]');
    expect(scrubSecrets('order 2026-11-25 amount 1200')).toBe('order 2026-11-25 amount 1200');
  });

  it('redacts known fields and scrubs messages in emitted JSON', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
    const log = createLogger('info', sink as never);
    log.info({ visitor: { phone: '13900001111', name: 'Li' }, slack: { botToken: 'xoxb-9' } }, 'call 13900001111 now');
    log.error({ err: new Error('failed with xoxb-secret-1') }, 'boom');
    const out = lines.join('');
    expect(out).not.toContain('13900001111');
    expect(out).not.toContain('xoxb-9');
    expect(out).not.toContain('xoxb-secret-1');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', visitor: { name: 'Li', phone: '[redacted]' }, msg: 'call [phone] now' });
  });
});
