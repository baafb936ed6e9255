/**
 * Session tokens in-process: what `verify` accepts and refuses (tokens signed here with jose, the
 * library the tokens are made with), the claims and lifetime `sign` writes, and the CSRF token.
 */
import { createHmac } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { SessionTokens } from '../../src/index.ts';

const SECRET = 'a-session-secret-of-32-characters';
const NOW = new Date('2026-01-01T00:00:00Z');
const NOW_S = NOW.getTime() / 1000;
const tokens = new SessionTokens(SECRET, 3600, () => NOW);

/** A token signed with `secret` (ours by default), with these claims and header. */
async function forge(
  claims: Record<string, unknown>,
  opts: { secret?: string; header?: Record<string, unknown>; iat?: number | null; exp?: number | null } = {},
) {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256', ...opts.header } as { alg: string });
  if (opts.iat !== null) jwt = jwt.setIssuedAt(opts.iat ?? NOW_S);
  if (opts.exp !== null) jwt = jwt.setExpirationTime(opts.exp ?? NOW_S + 60);
  return jwt.sign(new TextEncoder().encode(opts.secret ?? SECRET));
}

async function refused(token: string) {
  const err = await tokens.verify(token).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, token).toMatchObject({ status: 401, code: 'invalid_session' });
  expect((err as Error).message).toBe('Your session is invalid or has expired; sign in again');
}

describe('SessionTokens', () => {
  it('refuses a secret shorter than 16 characters', () => {
    expect(() => new SessionTokens('x'.repeat(15), 60)).toThrow('JWT secret is too short');
    expect(() => new SessionTokens('x'.repeat(16), 60)).not.toThrow();
  });

  it('sign: HS256, sub and ver, iat now (whole seconds), exp after the lifetime', async () => {
    const clock = new SessionTokens(SECRET, 3600, () => new Date('2026-01-01T00:00:00.900Z'));
    const { token, expiresAt } = await clock.sign({ userId: '42', tokenVersion: 3 });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decodeJwt(token)).toEqual({ sub: '42', ver: 3, iat: NOW_S, exp: NOW_S + 3600 });
    expect(expiresAt).toEqual(new Date('2026-01-01T01:00:00Z'));
    expect(clock.expiresInSeconds).toBe(3600);
    expect(await tokens.verify(token)).toEqual({ userId: '42', tokenVersion: 3 });
  });

  it('the default clock is the real one', async () => {
    const real = new SessionTokens(SECRET, 60);
    const before = Date.now();
    const { expiresAt } = await real.sign({ userId: '1', tokenVersion: 0 });
    expect(expiresAt.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 60_000);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it('verify accepts well-formed claims at their limits', async () => {
    expect(await tokens.verify(await forge({ sub: '1', ver: 0 }))).toEqual({ userId: '1', tokenVersion: 0 });
    const long = '9'.repeat(18);
    expect(await tokens.verify(await forge({ sub: long, ver: 7 }))).toEqual({ userId: long, tokenVersion: 7 });
  });

  it('verify refuses bad claims', async () => {
    for (const claims of [
      { sub: '1' },
      { sub: '1', ver: '0' },
      { sub: '1', ver: 1.5 },
      { sub: '1', ver: -1 },
      { ver: 0 },
      { sub: 1, ver: 0 },
      { sub: '', ver: 0 },
      { sub: 'x1', ver: 0 },
      { sub: '1x', ver: 0 },
      { sub: '9'.repeat(19), ver: 0 },
    ])
      await refused(await forge(claims));
  });

  it('verify refuses missing iat or exp, an expired token, another key, another algorithm', async () => {
    await refused(await forge({ sub: '1', ver: 0 }, { iat: null }));
    await refused(await forge({ sub: '1', ver: 0 }, { exp: null }));
    await refused(await forge({ sub: '1', ver: 0 }, { exp: NOW_S - 1 }));
    await refused(await forge({ sub: '1', ver: 0 }, { secret: `${SECRET}x` }));
    await refused(await forge({ sub: '1', ver: 0 }, { header: { alg: 'HS512' } }));
    const [, payload] = (await forge({ sub: '1', ver: 0 })).split('.');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    await refused(none);
    await refused(`${none}x`);
  });

  it('verify refuses malformed strings before parsing them', async () => {
    const good = await forge({ sub: '1', ver: 0 });
    for (const token of [
      '',
      `${good}.x`,
      `x${good.slice(1)}`.replace('.', '..'),
      ` ${good}`,
      `${good} `,
      `${good}\n`,
      good.replace('.', '.+'),
      good.split('.').slice(0, 2).join('.'),
      // Over the length limit, though signed: a long but valid-looking token.
      await forge({ sub: '1', ver: 0, pad: 'p'.repeat(1600) }),
    ])
      await refused(token);
    // Just under the limit is read.
    const padded = await forge({ sub: '1', ver: 0, pad: 'p'.repeat(1400) });
    expect(padded.length).toBeLessThanOrEqual(2048);
    expect(await tokens.verify(padded)).toEqual({ userId: '1', tokenVersion: 0 });
  });

  it('the length limit is 2048 characters exactly', async () => {
    /** The first signed token of at least `length` characters (longer payloads, one byte at a time). */
    const sized = async (length: number) => {
      for (let pad = 1400; ; pad++) {
        const t = await forge({ sub: '1', ver: 0, pad: 'p'.repeat(pad) });
        if (t.length >= length) return t;
      }
    };
    const at = await sized(2048);
    expect(at.length).toBe(2048);
    expect(await tokens.verify(at)).toEqual({ userId: '1', tokenVersion: 0 });
    const over = await sized(2049);
    expect(over.length).toBeLessThanOrEqual(2050);
    await refused(over);
  });

  it('the CSRF token: an HMAC of the session token under a key derived from the secret', async () => {
    const key = createHmac('sha256', SECRET).update('earshot csrf key').digest();
    const expected = createHmac('sha256', key).update('the-session').digest('base64url');
    expect(tokens.csrfTokenFor('the-session')).toBe(expected);
    expect(tokens.csrfTokenMatches('the-session', expected)).toBe(true);
    expect(tokens.csrfTokenMatches('the-session', `${expected}x`)).toBe(false);
    expect(tokens.csrfTokenMatches('the-session', expected.slice(1))).toBe(false);
    expect(tokens.csrfTokenMatches('the-session', `x${expected.slice(1)}`)).toBe(false);
    expect(tokens.csrfTokenMatches('other-session', expected)).toBe(false);
    expect(tokens.csrfTokenMatches('the-session', '')).toBe(false);
    expect(tokens.csrfTokenMatches('the-session', 'x'.repeat(101))).toBe(false);
  });
});
