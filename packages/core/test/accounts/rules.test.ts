import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '@earshot/rate-limit';
import {
  AppError,
  LOCKOUT,
  RESERVED_HANDLES,
  SessionTokens,
  checkPasswordPolicy,
  commonPasswords,
  enforceRateLimit,
  lockDurationMs,
  normalizeEmail,
  normalizeHandle,
} from '../../src/index.ts';

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as AppError).details?.field;
  }
  return 'no error';
};

describe('handles', () => {
  it('lower-cases and trims', () => {
    expect(normalizeHandle('  Marisol_Vega-2 ')).toBe('marisol_vega-2');
  });
  it.each([
    'аdmin',
    'pаypal',
    'ǅemo',
    'naïve',
    'emoji🎵',
    'ab\u200bcd',
    'a b',
    'a/b',
    'a.b',
    '-lead',
    '_next',
    'a',
    'x'.repeat(31),
  ])('refuses %j', (h) => {
    expect(() => normalizeHandle(h)).toThrow(AppError);
  });
  it('NFKC folds full-width letters and then meets the reserved list', () => {
    expect(normalizeHandle('ｍａｒｉｓｏｌ')).toBe('marisol');
    expect(() => normalizeHandle('ＡＤＭＩＮ')).toThrow(/reserved/);
  });
  it('reserves the web app and platform paths', () => {
    for (const h of [
      'api',
      'admin',
      'media',
      'images',
      'waveforms',
      'login',
      'register',
      'settings',
      'upload',
      'trending',
      'tracks',
      '_next',
      'static',
      'docs',
      'health',
      'metrics',
      'forgot-password',
      'reset-password',
      'verify-email',
    ]) {
      expect(RESERVED_HANDLES.has(h), h).toBe(true);
    }
    expect(fieldOf(() => normalizeHandle('Upload'))).toBe('handle');
  });
});

describe('emails', () => {
  it('are lower-cased and trimmed', () => {
    expect(normalizeEmail('  Ana.Lopez+music@Example.COM ')).toBe('ana.lopez+music@example.com');
  });
  it.each([
    'no-at-sign',
    'a@b',
    'a@@b.c',
    'a b@c.d',
    '<a>@b.c',
    "x';--@a.b",
    'ａ@example.com'.replace('ａ', 'а'),
    `${'x'.repeat(65)}@a.bc`,
    `a@${'x'.repeat(250)}.com`,
  ])('refuses %j', (e) => {
    expect(fieldOf(() => normalizeEmail(e))).toBe('email');
  });
});

describe('password policy', () => {
  it('ships a list of 10,000 common passwords of 10+ characters', () => {
    const list = commonPasswords();
    expect(list.size).toBe(10_000);
    expect(list.has('qwertyuiop')).toBe(true);
    expect(list.has('password123')).toBe(true);
    for (const p of list) expect(p.length).toBeGreaterThanOrEqual(10);
  });
  it.each([
    ['too_short', 'short pw'],
    ['too_common', 'Password123'],
    ['too_common', '1234567890'],
    ['too_simple', 'zqzqzqzqzqzqzqzq'],
    ['too_long', 'x1'.repeat(200)],
  ])('%s: %j', (reason, pw) => {
    try {
      checkPasswordPolicy(pw);
      expect.unreachable();
    } catch (err) {
      expect((err as AppError).details).toMatchObject({ field: 'password', reason });
    }
  });
  it('accepts passphrases, unicode included, and names the field it was given', () => {
    expect(() => checkPasswordPolicy('correct horse battery staple')).not.toThrow();
    expect(() => checkPasswordPolicy('mots de passe à la française')).not.toThrow();
    expect(fieldOf(() => checkPasswordPolicy('short', 'newPassword'))).toBe('newPassword');
    expect(fieldOf(() => checkPasswordPolicy('marisol rocks 99', 'password', ['marisol']))).toBe('password');
  });
});

describe('session tokens', () => {
  it('expire after the configured lifetime (test clock)', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const tokens = new SessionTokens('s'.repeat(32), 3600, () => now);
    const { token, expiresAt } = await tokens.sign({ userId: '42', tokenVersion: 3 });
    expect(expiresAt.toISOString()).toBe('2026-01-01T01:00:00.000Z');
    expect(await tokens.verify(token)).toEqual({ userId: '42', tokenVersion: 3 });
    now = new Date('2026-01-01T00:59:59Z');
    await expect(tokens.verify(token)).resolves.toBeTruthy();
    now = new Date('2026-01-01T01:00:01Z');
    await expect(tokens.verify(token)).rejects.toMatchObject({ status: 401, code: 'invalid_session' });
  });
  it('another secret does not verify', async () => {
    const a = new SessionTokens('a'.repeat(32), 60);
    const b = new SessionTokens('b'.repeat(32), 60);
    const { token } = await a.sign({ userId: '1', tokenVersion: 0 });
    await expect(b.verify(token)).rejects.toMatchObject({ status: 401 });
    expect(a.csrfTokenMatches(token, a.csrfTokenFor(token))).toBe(true);
    expect(a.csrfTokenMatches(token, b.csrfTokenFor(token))).toBe(false);
    expect(a.csrfTokenMatches(token, undefined)).toBe(false);
  });
});

describe('rate-limit zone and lockout arithmetic', () => {
  it('auth zone: 5 per minute, then 429 with the seconds left; a new window starts afterwards', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter(() => now);
    for (let i = 0; i < 5; i++) await enforceRateLimit(limiter, 'auth', '203.0.113.9');
    now = 45_000;
    await expect(enforceRateLimit(limiter, 'auth', '203.0.113.9')).rejects.toMatchObject({
      status: 429,
      details: { retryAfterSeconds: 15 },
    });
    await expect(enforceRateLimit(limiter, 'auth', '203.0.113.10')).resolves.toEqual({ remaining: 4 });
    now = 60_000;
    await expect(enforceRateLimit(limiter, 'auth', '203.0.113.9')).resolves.toEqual({ remaining: 4 });
  });
  it('lockout: free failures, then 1 min doubling up to 1 h', () => {
    expect([4, 5, 6, 7, 10, 11, 12, 30].map(lockDurationMs)).toEqual([
      0, 60_000, 120_000, 240_000, 1_920_000, 3_600_000, 3_600_000, 3_600_000,
    ]);
    expect(LOCKOUT.freeFailures).toBe(5);
  });
});
