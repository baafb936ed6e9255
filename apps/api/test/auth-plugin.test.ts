/**
 * The session plugin (src/plugins/auth.ts) in one process: a Fastify instance with the plugin, the
 * API's error handling and a PostgreSQL database copied from the migrated template, driven with `inject`.
 * Bearer and cookie sessions, the cookies set and cleared, the CSRF layers. The whole flow through
 * the real API (sign-up, sign-in, Redis, SMTP) is auth-flow.test.ts.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '@earshot/config';
import { SessionTokens } from '@earshot/core';
import { createDatabase, type Database, type DatabaseHandle } from '@earshot/db';
import { createMigratedTestPostgresDatabase } from '@earshot/db/testing';
import {
  authenticate,
  checkCsrf,
  clearSessionCookies,
  registerAuth,
  sameOrigin,
  setSessionCookies,
} from '../src/plugins/auth.ts';
import { registerErrorHandling } from '../src/plugins/error-handler.ts';
import type { Api } from '../src/types.ts';

const NOW = new Date('2026-01-01T00:00:00Z');
const PUBLIC = 'https://music.example';
let handle: DatabaseHandle;
let dropDb: (() => Promise<void>) | undefined;
let db: Kysely<Database>;
const tokens = new SessionTokens('auth-plugin-test-secret-0123456789', 3600, () => NOW);
const clock = () => NOW;

/** An app with the plugin, for `production` or not; `/who` answers who the request is. */
async function makeApp(production: boolean): Promise<FastifyInstance> {
  const config = { publicUrl: PUBLIC, production } as Config;
  const accounts = { db, tokens, clock };
  const app = Fastify();
  registerErrorHandling(app);
  await registerAuth(app as unknown as Api);
  app.addHook('preHandler', async (request, reply) => {
    await authenticate(request, reply, accounts, config);
    checkCsrf(request, accounts, config);
  });
  const who = async (request: { user?: { id: string }; sessionVia?: string }) => ({
    user: request.user?.id ?? null,
    via: request.sessionVia ?? null,
  });
  app.route({ method: ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/who', handler: who });
  app.post<{ Body: { token: string; expiresAt: string } }>('/sign-in', async (request, reply) => {
    setSessionCookies(reply, request.body.token, new Date(request.body.expiresAt), accounts, config);
    return {};
  });
  app.get('/sign-out', async (_request, reply) => {
    clearSessionCookies(reply, config);
    return {};
  });
  app.get('/same-origin', async (request) => ({
    same: sameOrigin(String((request.query as { o: string }).o), request, config),
  }));
  return app;
}

let app: FastifyInstance;
let prod: FastifyInstance;
let alice: { id: string; token: string };
let disabled: { id: string; token: string };

async function user(name: string, over: { disabled?: boolean } = {}) {
  const row = await db
    .insertInto('users')
    .values({
      email: `${name}@example.test`,
      handle: name,
      display_name: name,
      role: 'listener',
      password_hash: 'x',
      ...(over.disabled ? { disabled_at: NOW } : {}),
    })
    .returning(['id', 'token_version'])
    .executeTakeFirstOrThrow();
  const { token } = await tokens.sign({ userId: row.id, tokenVersion: row.token_version });
  return { id: row.id, token };
}

beforeAll(async () => {
  const pg = await createMigratedTestPostgresDatabase('auth_plugin');
  dropDb = pg.drop;
  handle = await createDatabase({ url: pg.url, poolMin: 0, poolMax: 4, pgliteDir: '' });
  db = handle.db;
  alice = await user('alice');
  disabled = await user('mallory', { disabled: true });
  app = await makeApp(false);
  prod = await makeApp(true);
});
afterAll(async () => {
  await app?.close();
  await prod?.close();
  await handle?.close();
  await dropDb?.();
});

const csrfOf = (token: string) => tokens.csrfTokenFor(token);
const cookieHeader = (token: string, csrf?: string) => ({
  cookie: `session=${token}`,
  ...(csrf === undefined ? {} : { 'x-csrf-token': csrf }),
});
/** The Set-Cookie headers of a response, by cookie name. */
function setCookies(res: { headers: Record<string, unknown> }): Record<string, string> {
  const raw = res.headers['set-cookie'];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)];
  return Object.fromEntries(list.map((c: string) => [c.slice(0, c.indexOf('=')), c]));
}

describe('authenticate', () => {
  it('no credentials: anonymous, nothing set', async () => {
    const res = await app.inject({ url: '/who' });
    expect(res.json()).toEqual({ user: null, via: null });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('a Bearer token: the user, via bearer; the scheme in any case, spaces around ignored', async () => {
    for (const authorization of [`Bearer ${alice.token}`, `bearer ${alice.token}`, `  BEARER ${alice.token} `]) {
      const res = await app.inject({ url: '/who', headers: { authorization } });
      expect(res.json(), authorization).toEqual({ user: alice.id, via: 'bearer' });
    }
  });

  it('a bad Authorization header is a 401, even with a good cookie', async () => {
    for (const authorization of [
      '',
      'Bearer',
      `Bearer ${alice.token} x`,
      `Basic ${alice.token}`,
      `xBearer ${alice.token}`,
      'Bearer not.a.token',
      `Bearer ${disabled.token}`,
    ]) {
      const res = await app.inject({ url: '/who', headers: { authorization, ...cookieHeader(alice.token) } });
      expect(res.statusCode, authorization).toBe(401);
      expect(res.json().error.code).toBe('invalid_session');
    }
  });

  it('a session cookie: the user, via cookie', async () => {
    const res = await app.inject({ url: '/who', headers: cookieHeader(alice.token) });
    expect(res.json()).toEqual({ user: alice.id, via: 'cookie' });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('a bad or revoked cookie: anonymous, and both cookies are cleared', async () => {
    for (const token of ['not.a.token', disabled.token, `${alice.token}x`]) {
      const res = await app.inject({ url: '/who', headers: cookieHeader(token) });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ user: null, via: null });
      const set = setCookies(res);
      expect(set.session).toMatch(
        /^session=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax$/,
      );
      expect(set.csrf).toMatch(/^csrf=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax$/);
    }
    const empty = await app.inject({ url: '/who', headers: { cookie: 'session=' } });
    expect(empty.json()).toEqual({ user: null, via: null });
    expect(empty.headers['set-cookie']).toBeUndefined();
  });
});

describe('session cookies', () => {
  it('set: the session httpOnly, its CSRF token readable, both Lax, Path=/, expiring with the token', async () => {
    const expiresAt = new Date(NOW.getTime() + 3_600_400).toISOString();
    const res = await app.inject({ method: 'POST', url: '/sign-in', payload: { token: alice.token, expiresAt } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const set = setCookies(res);
    expect(set.session).toBe(`session=${alice.token}; Max-Age=3600; Path=/; HttpOnly; SameSite=Lax`);
    expect(set.csrf).toBe(`csrf=${csrfOf(alice.token)}; Max-Age=3600; Path=/; SameSite=Lax`);
    const rounded = await app.inject({
      method: 'POST',
      url: '/sign-in',
      payload: { token: alice.token, expiresAt: new Date(NOW.getTime() + 1_600).toISOString() },
    });
    expect(setCookies(rounded).session).toMatch(/; Max-Age=2;/);
  });

  it('a token already expired still gets at least a second, and production cookies are Secure', async () => {
    const res = await prod.inject({
      method: 'POST',
      url: '/sign-in',
      payload: { token: alice.token, expiresAt: new Date(NOW.getTime() - 60_000).toISOString() },
    });
    const set = setCookies(res);
    expect(set.session).toBe(`session=${alice.token}; Max-Age=1; Path=/; HttpOnly; Secure; SameSite=Lax`);
    expect(set.csrf).toBe(`csrf=${csrfOf(alice.token)}; Max-Age=1; Path=/; Secure; SameSite=Lax`);
    const out = setCookies(await prod.inject({ url: '/sign-out' }));
    expect(out.session).toMatch(/; HttpOnly; Secure; SameSite=Lax$/);
    expect(out.csrf).toMatch(/; Path=\/; Expires=[^;]+; Secure; SameSite=Lax$/);
  });
});

describe('checkCsrf', () => {
  it('cookie writes need the session’s CSRF token, for every unsafe method; reads do not', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      const none = await app.inject({ method, url: '/who', headers: cookieHeader(alice.token) });
      expect(none.statusCode, method).toBe(403);
      expect(none.json().error.code).toBe('csrf_failed');
      const wrong = await app.inject({
        method,
        url: '/who',
        headers: cookieHeader(alice.token, csrfOf(disabled.token)),
      });
      expect(wrong.statusCode, method).toBe(403);
      const right = await app.inject({ method, url: '/who', headers: cookieHeader(alice.token, csrfOf(alice.token)) });
      expect(right.json(), method).toEqual({ user: alice.id, via: 'cookie' });
    }
    for (const method of ['GET', 'HEAD', 'OPTIONS'] as const) {
      const res = await app.inject({ method, url: '/who', headers: cookieHeader(alice.token) });
      expect(res.statusCode, method).toBe(200);
    }
  });

  it('the token sent twice (an array) is refused', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/who',
      headers: { cookie: `session=${alice.token}`, 'x-csrf-token': [csrfOf(alice.token), csrfOf(alice.token)] },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('csrf_failed');
  });

  it('Bearer writes need no CSRF token and are exempt from the cross-site checks', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/who',
      headers: {
        authorization: `Bearer ${alice.token}`,
        'sec-fetch-site': 'cross-site',
        origin: 'https://evil.example',
      },
    });
    expect(res.json()).toEqual({ user: alice.id, via: 'bearer' });
  });

  it('anonymous writes: no token needed, but other sites are refused', async () => {
    expect((await app.inject({ method: 'POST', url: '/who' })).json()).toEqual({ user: null, via: null });
    for (const headers of [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'same-origin', origin: 'null' },
    ]) {
      const res = await app.inject({ method: 'POST', url: '/who', headers });
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json().error).toMatchObject({
        code: 'cross_site_request',
        message: 'Requests from other sites are refused',
      });
    }
    for (const headers of [
      { 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-site': 'none' },
      { origin: PUBLIC },
      { 'sec-fetch-site': 'same-origin', origin: 'https://evil.example' },
    ]) {
      const res = await app.inject({ method: 'POST', url: '/who', headers });
      expect(res.statusCode, JSON.stringify(headers)).toBe(200);
    }
  });
});

describe('sameOrigin', () => {
  const same = async (o: string, host = 'api.internal:3000') =>
    (await app.inject({ url: '/same-origin', query: { o }, headers: { host } })).json().same;

  it('PUBLIC_URL’s origin, or the host and scheme the request came in on', async () => {
    expect(await same(PUBLIC)).toBe(true);
    expect(await same(`${PUBLIC}/some/page`)).toBe(true);
    expect(await same('http://api.internal:3000')).toBe(true);
    expect(await same('https://api.internal:3000')).toBe(false); // another scheme
    expect(await same('http://api.internal:3001')).toBe(false); // another port
    expect(await same('http://music.example')).toBe(false);
    expect(await same('http://evil.example', 'evil.example:80')).toBe(false); // the port is part of the host
    expect(await same('not a url')).toBe(false);
  });
});
