// Sealed forms: what kehu did not send, changed on the way or is too old is refused.
import { describe, expect, it } from 'vitest';
import { FORM_LIFETIME_MS, openSeal, sealForm } from '../../src/chat/form-seal.ts';

const now = new Date('2026-12-01T08:00:00Z');
const form = { request: { name: 'customer.stage' as const, context: { name: '华为', to: '50' } }, openedFor: 'tom.reed', issuedAt: now.getTime() };

describe('form seals', () => {
  it('opens what it sealed', () => {
    expect(openSeal('s3cret', sealForm('s3cret', form), now)).toEqual({ ok: true, form });
  });
  it('refuses another secret, a changed payload, garbage and stale seals', () => {
    const token = sealForm('s3cret', form);
    expect(openSeal('other', token, now)).toEqual({ ok: false, reason: 'forged' });
    const [, sig] = token.split('.');
    const tampered = `${Buffer.from(JSON.stringify({ n: 'customer.stage', c: { name: '华为', to: '100' }, p: 'tom.reed', t: now.getTime() })).toString('base64url')}.${sig}`;
    expect(openSeal('s3cret', tampered, now)).toEqual({ ok: false, reason: 'forged' });
    for (const bad of ['', 'x', 'a.b.c', 42, undefined, '{}']) expect(openSeal('s3cret', bad, now).ok).toBe(false);
    expect(openSeal('s3cret', token, new Date(now.getTime() + FORM_LIFETIME_MS + 1))).toEqual({ ok: false, reason: 'stale' });
  });
});
