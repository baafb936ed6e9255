/**
 * Accounts over HTTP with real parts: PostgreSQL (own database), a real SMTP server on loopback
 * (links are read out of the delivered mails and followed), Redis for the rate-limit counters.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, type Mailer } from '@earshot/mail';
import { RedisRateLimiter } from '@earshot/rate-limit';
import type { Api } from '../src/index.ts';
import type { TestInfra } from '../../../test/support/infra.ts';
import { createTestApi, type TestApi } from '../../../test/support/factories.ts';
import { bearer, cookieValue, setCookies, startSmtpServer, type ReceivedMail } from './support/accounts.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `earshot-test-auth-${randomBytes(4).toString('hex')}`;
let t: TestInfra;
let app: Api;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let limiter: RedisRateLimiter;
let ipSeq = 1;
/** Each test takes its own client IP so the auth zone (5/min per IP) of one does not spill into another. */
const nextIp = () => `203.0.113.${ipSeq++}`;

let testApi: TestApi | undefined;
beforeAll(async () => {
  smtp = await startSmtpServer();
  limiter = new RedisRateLimiter(REDIS_URL, prefix);
  let mailer: Mailer | undefined;
  testApi = await createTestApi({
    infra: {
      database: 'postgres',
      env: {
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        SMTP_FROM: 'Earshot <noreply@example.test>',
        PUBLIC_URL: 'http://localhost:3999',
      },
    },
    api: (infra) => {
      mailer = createMailer({
        smtp: infra.config.smtp,
        mailFrom: infra.config.mailFrom,
        dataDir: infra.dataDir,
        logger: infra.logger,
      });
      return { mailer, rateLimiter: limiter };
    },
    beforeReady: (api) => api.addHook('onClose', async () => mailer?.close()),
  });
  ({ t, app } = testApi);
});

afterAll(async () => {
  await testApi?.close();
  await limiter?.close();
  await smtp?.close();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

function mailsTo(address: string): ReceivedMail[] {
  return smtp.mails.filter((m) => m.to.toLowerCase().includes(address.toLowerCase()));
}

interface Session {
  token: string;
  csrf: string;
}

async function registerUser(body: Record<string, unknown>, ip = nextIp()) {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: body, remoteAddress: ip });
  const cookies = setCookies(res.headers);
  return {
    res,
    cookies,
    session:
      res.statusCode === 201
        ? ({ token: cookieValue(cookies.session!), csrf: cookieValue(cookies.csrf!) } as Session)
        : undefined,
  };
}

const browser = (s: Session) => ({ cookie: `session=${s.token}; csrf=${s.csrf}`, 'x-csrf-token': s.csrf });

/** POST to an /auth route from a fresh client IP, so one call's auth-zone budget does not spill into another's. */
const authPost = (route: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: `/api/v1/auth/${route}`, headers, payload, remoteAddress: nextIp() });

/** PUT /me/password or /me/email as a signed-in browser (cookie + CSRF), from a fresh client IP. */
const putMe = (what: 'password' | 'email', s: Session, payload: Record<string, unknown>) =>
  app.inject({ method: 'PUT', url: `/api/v1/me/${what}`, headers: browser(s), payload, remoteAddress: nextIp() });

/** GET /auth/me with the given headers (a Bearer token or a session cookie). */
const whoAmI = (headers: Record<string, string>) => app.inject({ url: '/api/v1/auth/me', headers });

describe('register → verify email → sign out → sign in', () => {
  let session: Session;
  const email = 'Marisol.Vega@Example.test';

  it('registers, sets the session and CSRF cookies, and never returns the password hash', async () => {
    const r = await registerUser({
      email,
      password: 'tidal pools at dusk',
      handle: 'Marisol',
      displayName: 'Marisol Vega',
      role: 'artist',
    });
    expect(r.res.statusCode).toBe(201);
    const body = r.res.json();
    expect(body.user).toMatchObject({
      email: 'marisol.vega@example.test',
      handle: 'marisol',
      displayName: 'Marisol Vega',
      role: 'artist',
      emailVerified: false,
      avatarUrl: null,
    });
    expect(JSON.stringify(body)).not.toMatch(/argon2|password/i);
    expect(r.cookies.session).toMatch(
      /^session=[\w-]+\.[\w-]+\.[\w-]+; Max-Age=(?:86400|8639\d); Path=\/; HttpOnly; SameSite=Lax$/,
    );
    expect(r.cookies.csrf).toMatch(/^csrf=[\w-]+; Max-Age=(?:86400|8639\d); Path=\/; SameSite=Lax$/);
    expect(r.session!.token).toBe(body.token);
    session = r.session!;
  });

  it('mails a verification link; following it verifies once, and a replay is refused', async () => {
    const mail = mailsTo('marisol.vega@example.test').at(-1)!;
    expect(mail.subject).toMatch(/confirm your email/i);
    const url = smtp.linkIn(mail);
    expect(url.origin + url.pathname).toBe('http://localhost:3999/verify-email');
    const token = url.searchParams.get('token')!;
    const ok = await authPost('verify-email', { token });
    expect(ok.statusCode).toBe(200);
    const me = await whoAmI(bearer(session.token));
    expect(me.json().user.emailVerified).toBe(true);
    const replay = await authPost('verify-email', { token });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error.code).toBe('invalid_token');
    // Only a hash of the token is stored.
    const stored = await t.infra.database.db.selectFrom('account_tokens').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(token);
  });

  it('GET /auth/me answers the cookie and the Bearer token, 401 without either', async () => {
    expect((await whoAmI({ cookie: `session=${session.token}` })).statusCode).toBe(200);
    expect((await whoAmI(bearer(session.token))).statusCode).toBe(200);
    const anon = await app.inject({ url: '/api/v1/auth/me' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().error.code).toBe('unauthorized');
  });

  it('logout needs the CSRF token with a cookie, then revokes every token of the account', async () => {
    const other = await authPost('login', { email, password: 'tidal pools at dusk' });
    expect(other.statusCode).toBe(200);
    const secondDevice = other.json().token as string;

    const noCsrf = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: `session=${session.token}; csrf=${session.csrf}` },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('csrf_failed');
    const wrongCsrf = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { ...browser(session), 'x-csrf-token': 'A'.repeat(43) },
    });
    expect(wrongCsrf.statusCode).toBe(403);

    const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: browser(session) });
    expect(out.statusCode).toBe(204);
    expect(setCookies(out.headers).session).toMatch(/^session=; Max-Age=0; /);
    for (const token of [session.token, secondDevice]) {
      const me = await whoAmI(bearer(token));
      expect(me.statusCode).toBe(401);
    }
    // A revoked cookie is dropped (cleared) rather than answered with 401 on public routes.
    const pub = await app.inject({ url: '/api/v1/tracks', headers: { cookie: `session=${session.token}` } });
    expect(pub.statusCode).toBe(200);
    expect(setCookies(pub.headers).session).toMatch(/^session=; Max-Age=0/);
  });

  it('signs in again with any case of the email', async () => {
    const res = await authPost('login', { email: 'MARISOL.VEGA@example.TEST', password: 'tidal pools at dusk' });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.handle).toBe('marisol');
    const wrong = await authPost('login', { email, password: 'tidal pools at dawn' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid_credentials');
    const nobody = await authPost('login', { email: 'nobody@example.test', password: 'tidal pools at dawn' });
    expect(nobody.statusCode).toBe(401);
    expect(nobody.json()).toEqual(wrong.json());
  });
});

describe('forgot and reset password, through the mailed link', () => {
  it('mails a single-use link; a refused password leaves it usable; a replay is refused; old sessions end', async () => {
    const r = await registerUser({ email: 'okapi@example.test', password: 'night bus home 0342', handle: 'okapi' });
    const oldToken = r.res.json().token as string;

    const unknown = await authPost('forgot-password', { email: 'nobody-here@example.test' });
    expect(unknown.statusCode).toBe(202);
    expect(mailsTo('nobody-here@example.test')).toHaveLength(0);

    const forgot = await authPost('forgot-password', { email: 'OKAPI@example.test' });
    expect(forgot.statusCode).toBe(202);
    expect(forgot.json()).toEqual(unknown.json());
    const mail = mailsTo('okapi@example.test').find((m) => /reset/i.test(m.subject))!;
    const url = smtp.linkIn(mail);
    expect(url.pathname).toBe('/reset-password');
    const token = url.searchParams.get('token')!;

    const weak = await authPost('reset-password', { token, password: 'password123' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.details).toMatchObject({ field: 'password', reason: 'too_common' });

    const ok = await authPost('reset-password', { token, password: 'a brand new passphrase' });
    expect(ok.statusCode).toBe(204);
    const replay = await authPost('reset-password', { token, password: 'another new passphrase' });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error.code).toBe('invalid_token');

    expect((await whoAmI(bearer(oldToken))).statusCode).toBe(401);
    const login = await authPost('login', { email: 'okapi@example.test', password: 'a brand new passphrase' });
    expect(login.statusCode).toBe(200);
    // Following the mailed link proved the address.
    expect(login.json().user.emailVerified).toBe(true);
  });

  it('only the newest reset link works', async () => {
    await registerUser({ email: 'fenn@example.test', password: 'glass harbour 61', handle: 'fenn' });
    for (let i = 0; i < 2; i++) await authPost('forgot-password', { email: 'fenn@example.test' });
    const [first, second] = mailsTo('fenn@example.test').filter((m) => /reset/i.test(m.subject));
    const older = await authPost('reset-password', {
      token: smtp.linkIn(first!).searchParams.get('token'),
      password: 'harbour of glass 1',
    });
    expect(older.statusCode).toBe(400);
    const newer = await authPost('reset-password', {
      token: smtp.linkIn(second!).searchParams.get('token'),
      password: 'harbour of glass 1',
    });
    expect(newer.statusCode).toBe(204);
  });
});

describe('changing password and email', () => {
  it('password: needs the current one, revokes other sessions, renews this one', async () => {
    const r = await registerUser({ email: 'pat@example.test', password: 'patterns in the rain', handle: 'pat' });
    const s = r.session!;
    const wrong = await putMe('password', s, {
      currentPassword: 'not it at all',
      newPassword: 'sunlight on the water',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details.field).toBe('currentPassword');
    const ok = await putMe('password', s, {
      currentPassword: 'patterns in the rain',
      newPassword: 'sunlight on the water',
    });
    expect(ok.statusCode).toBe(200);
    const renewed = setCookies(ok.headers);
    expect((await whoAmI(bearer(s.token))).statusCode).toBe(401);
    expect((await whoAmI({ cookie: `session=${cookieValue(renewed.session!)}` })).statusCode).toBe(200);
    expect((await whoAmI(bearer(ok.json().token))).statusCode).toBe(200);
  });

  it('email: needs the password, re-verifies the new address, tells the old one; taken addresses (any case) → 409', async () => {
    const a = await registerUser({ email: 'lena@example.test', password: 'she sings in june', handle: 'lena' });
    await registerUser({ email: 'taken@example.test', password: 'someone else entirely', handle: 'taken-one' });
    const s = a.session!;
    const dup = await putMe('email', s, { email: 'TAKEN@Example.test', password: 'she sings in june' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({ code: 'email_taken', details: { field: 'email' } });
    const ok = await putMe('email', s, { email: 'lena.new@example.test', password: 'she sings in june' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user).toMatchObject({ email: 'lena.new@example.test', emailVerified: false });
    expect(mailsTo('lena@example.test').some((m) => /was changed/.test(m.subject))).toBe(true);
    // The link mailed to the old address at registration no longer verifies anything.
    const oldLink = smtp.linkIn(mailsTo('lena@example.test').find((m) => /confirm/i.test(m.subject))!);
    expect((await authPost('verify-email', { token: oldLink.searchParams.get('token') })).statusCode).toBe(400);
    const newLink = smtp.linkIn(mailsTo('lena.new@example.test').at(-1)!);
    expect((await authPost('verify-email', { token: newLink.searchParams.get('token') })).statusCode).toBe(200);
  });
});

describe('limits', () => {
  it('the auth zone allows 5 requests a minute per client IP, then 429 with Retry-After; other IPs are unaffected', async () => {
    const ip = nextIp();
    const codes: number[] = [];
    let last;
    for (let i = 0; i < 7; i++) {
      last = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: `zone${i}@example.test`, password: 'whatever it is 1' },
        remoteAddress: ip,
      });
      codes.push(last.statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(last!.json().error.code).toBe('rate_limited');
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(last!.headers['retry-after'])).toBeLessThanOrEqual(60);
    const elsewhere = await authPost('login', { email: 'zone@example.test', password: 'whatever it is 1' });
    expect(elsewhere.statusCode).toBe(401);
  });

  it('X-Forwarded-For is believed only from a trusted proxy (loopback by default)', async () => {
    const proxied = (xff: string, from: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/forgot-password',
        payload: { email: 'x@example.test' },
        remoteAddress: from,
        headers: { 'x-forwarded-for': xff },
      });
    // From loopback (the trusted proxy) each forwarded client has its own budget…
    for (let i = 0; i < 6; i++) expect((await proxied(`198.51.100.${i + 1}`, '127.0.0.1')).statusCode).toBe(202);
    // …but an untrusted peer cannot dodge its limit by inventing addresses.
    const peer = nextIp();
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push((await proxied(`198.51.100.${50 + i}`, peer)).statusCode);
    expect(codes).toEqual([202, 202, 202, 202, 202, 429]);
  });

  it('GET /auth/me is not in the auth zone', async () => {
    const r = await registerUser({ email: 'often@example.test', password: 'checks a lot of times', handle: 'often' });
    const ip = nextIp();
    for (let i = 0; i < 12; i++)
      expect(
        (await app.inject({ url: '/api/v1/auth/me', headers: bearer(r.session!.token), remoteAddress: ip })).statusCode,
      ).toBe(200);
  });

  it('5 failed sign-ins lock the account (even with the right password, from any IP); the lock doubles', async () => {
    await registerUser({ email: 'target@example.test', password: 'the right passphrase', handle: 'target' });
    const attempt = (password: string) => authPost('login', { email: 'target@example.test', password });
    for (let i = 0; i < 5; i++) expect((await attempt('a wrong guess ' + i)).statusCode).toBe(401);
    const locked = await attempt('the right passphrase');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('account_locked');
    const retry = Number(locked.headers['retry-after']);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    // The lock is in Redis, shared by every API replica.
    const redis = new Redis(REDIS_URL);
    try {
      expect((await redis.keys(`${prefix}:rl:login-lock:*`)).length).toBeGreaterThan(0);
    } finally {
      await redis.quit();
    }
  });
});

describe('bad and forged session tokens → 401', () => {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  let userId: string;
  let good: string;

  beforeAll(async () => {
    const r = await registerUser({
      email: 'tokens@example.test',
      password: 'fragile little strings',
      handle: 'tokens',
    });
    good = r.res.json().token;
    userId = r.res.json().user.id;
  });

  it.each([
    ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: userId, ver: 0, iat: 1, exp: 9999999999 })}.`],
    [
      'alg none with a signature part',
      () =>
        `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: userId, ver: 0, iat: 1, exp: 9999999999 })}.${good.split('.')[2]}`,
    ],
    ['wrong signature', () => `${good.split('.').slice(0, 2).join('.')}.${Buffer.alloc(32, 7).toString('base64url')}`],
    [
      'payload swapped under a valid signature',
      () => `${good.split('.')[0]}.${b64({ sub: '1', ver: 0, iat: 1, exp: 9999999999 })}.${good.split('.')[2]}`,
    ],
    ['HS512', () => `${b64({ alg: 'HS512', typ: 'JWT' })}.${good.split('.')[1]}.${good.split('.')[2]}`],
    ['malformed', () => 'not.a.jwt'],
    ['garbage', () => '%%%'],
    ['huge', () => 'a'.repeat(5000)],
  ])('%s', async (_name, make) => {
    const res = await whoAmI(bearer(make()));
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('invalid_session');
  });

  it('expired', async () => {
    const { SignJWT } = await import('jose');
    const expired = await new SignJWT({ ver: 0 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuedAt(1000)
      .setExpirationTime(2000)
      .sign(new TextEncoder().encode(t.config.auth.jwtSecret));
    const res = await whoAmI(bearer(expired));
    expect(res.statusCode).toBe(401);
    // Sanity: the same construction, unexpired, is accepted.
    const fresh = await new SignJWT({ ver: 0 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(t.config.auth.jwtSecret));
    expect((await whoAmI(bearer(fresh))).statusCode).toBe(200);
  });

  it('a Bearer header that is not a Bearer token', async () => {
    for (const h of ['Basic dXNlcjpwYXNz', 'Bearer', `Bearer ${good} extra`])
      expect((await whoAmI({ authorization: h })).statusCode).toBe(401);
  });

  it('a bad Bearer token is refused even on public routes (the client said who it is, wrongly)', async () => {
    expect((await app.inject({ url: '/api/v1/tracks', headers: bearer('not.a.jwt') })).statusCode).toBe(401);
  });

  it('a disabled user', async () => {
    await t.infra.database.db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', userId).execute();
    expect((await whoAmI(bearer(good))).statusCode).toBe(401);
    const login = await authPost('login', { email: 'tokens@example.test', password: 'fragile little strings' });
    expect(login.statusCode).toBe(403);
    expect(login.json().error.code).toBe('account_disabled');
  });
});

describe('CSRF', () => {
  /** Registers a user; then each call is a sign-in as them, from its own IP, with `headers`. */
  async function signInAttempts(user: { email: string; password: string; handle: string }) {
    await registerUser(user);
    return (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers,
        payload: { email: user.email, password: user.password },
        remoteAddress: nextIp(),
      });
  }

  it('refuses cross-site writes (login CSRF included); Bearer requests are exempt', async () => {
    const r = await registerUser({ email: 'csrf@example.test', password: 'forged forms fail', handle: 'csrf-user' });
    const s = r.session!;
    const crossLogin = await authPost(
      'login',
      { email: 'csrf@example.test', password: 'forged forms fail' },
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(crossLogin.statusCode).toBe(403);
    expect(crossLogin.json().error.code).toBe('cross_site_request');
    const evilOrigin = await authPost(
      'login',
      { email: 'csrf@example.test', password: 'forged forms fail' },
      { origin: 'https://evil.example' },
    );
    expect(evilOrigin.statusCode).toBe(403);
    const sameOrigin = await authPost(
      'login',
      { email: 'csrf@example.test', password: 'forged forms fail' },
      { origin: 'http://localhost:3999', 'sec-fetch-site': 'same-origin' },
    );
    expect(sameOrigin.statusCode).toBe(200);
    // A cookie-authenticated write whose token belongs to another session fails.
    const other = await registerUser({
      email: 'csrf2@example.test',
      password: 'forged forms fail 2',
      handle: 'csrf-user-2',
    });
    const mixed = await app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { cookie: `session=${s.token}`, 'x-csrf-token': other.session!.csrf },
      payload: { bio: 'x' },
    });
    expect(mixed.statusCode).toBe(403);
    const viaBearer = await app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: bearer(s.token),
      payload: { bio: 'via API' },
    });
    expect(viaBearer.statusCode).toBe(200);
    // Exempt even when the browser would call it cross-site: a page elsewhere cannot attach the token.
    const bearerCrossSite = await app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { ...bearer(s.token), 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      payload: { bio: 'via API, from a page elsewhere' },
    });
    expect(bearerCrossSite.statusCode).toBe(200);
    // Reads need no CSRF token.
    expect((await whoAmI({ cookie: `session=${s.token}` })).statusCode).toBe(200);
  });

  it('without Sec-Fetch-Site, Origin decides: ours (PUBLIC_URL or the host the request came in on) passes', async () => {
    const login = await signInAttempts({
      email: 'csrf4@example.test',
      password: 'origins are checked',
      handle: 'csrf-user-4',
    });
    const status = async (headers: Record<string, string>) => (await login(headers)).statusCode;
    expect(await status({ origin: 'http://localhost:3999' })).toBe(200); // PUBLIC_URL
    expect(await status({ origin: 'http://api.internal:8080', host: 'api.internal:8080' })).toBe(200);
    expect(await status({ origin: 'https://api.internal:8080', host: 'api.internal:8080' })).toBe(403);
    expect(await status({ origin: 'http://api.internal:9090', host: 'api.internal:8080' })).toBe(403);
    expect(await status({ origin: 'http://localhost:3998' })).toBe(403);
    expect(await status({ origin: 'not a url' })).toBe(403);
    // When the browser says where the request comes from, that is what counts.
    expect(await status({ origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' })).toBe(200);
  });

  // Each refusal below is the only thing standing between the request and success: the same
  // request without the header succeeds (checked first), so removing either rule turns a 403
  // into a 200 and fails the test.
  it('refuses Sec-Fetch-Site: same-site (a sibling subdomain) and Origin: null (sandboxed frame, data: URL)', async () => {
    const login = await signInAttempts({
      email: 'csrf3@example.test',
      password: 'siblings are strangers',
      handle: 'csrf-user-3',
    });
    expect((await login({})).statusCode).toBe(200);
    const sameSite = await login({ 'sec-fetch-site': 'same-site' });
    expect(sameSite.statusCode).toBe(403);
    expect(sameSite.json().error.code).toBe('cross_site_request');
    const sameSiteOurOrigin = await login({ 'sec-fetch-site': 'same-site', origin: 'http://localhost:3999' });
    expect(sameSiteOurOrigin.statusCode).toBe(403);
    expect(sameSiteOurOrigin.json().error.code).toBe('cross_site_request');
    const nullOrigin = await login({ origin: 'null' });
    expect(nullOrigin.statusCode).toBe(403);
    expect(nullOrigin.json().error.code).toBe('cross_site_request');
    // A browser that sends both and calls it same-origin is still refused on Origin: null.
    const nullOriginSameOrigin = await login({ origin: 'null', 'sec-fetch-site': 'same-origin' });
    expect(nullOriginSameOrigin.statusCode).toBe(403);
    expect(nullOriginSameOrigin.json().error.code).toBe('cross_site_request');

    // A cookie-authenticated write with the right CSRF token is refused too when the browser
    // says it comes from a sibling site or an opaque origin.
    const signedIn = await login({});
    const session = {
      token: cookieValue(setCookies(signedIn.headers).session!),
      csrf: cookieValue(setCookies(signedIn.headers).csrf!),
    } as Session;
    const patch = (headers: Record<string, string>) =>
      app.inject({
        method: 'PATCH',
        url: '/api/v1/me',
        headers: { ...browser(session), ...headers },
        payload: { bio: 'from a sibling' },
      });
    expect((await patch({ 'sec-fetch-site': 'same-site' })).statusCode).toBe(403);
    expect((await patch({ origin: 'null' })).statusCode).toBe(403);
    expect((await patch({ 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
  });
});
