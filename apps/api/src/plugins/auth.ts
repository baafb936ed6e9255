import type { FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import type { Config } from '@earshot/config';
import { AppError, authenticateSession, invalidSession, type CoreDeps, type SessionUser } from '@earshot/core';
import type { Api } from '../types.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in caller, once the access hook has authenticated the request. */
    user?: SessionUser;
    /** How the caller authenticated; CSRF checks apply to cookies only. */
    sessionVia?: 'cookie' | 'bearer';
  }
}

export const SESSION_COOKIE = 'session';
export const CSRF_COOKIE = 'csrf';
export const CSRF_HEADER = 'x-csrf-token';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const csrfFailed = () =>
  new AppError(403, 'csrf_failed', 'Missing or wrong CSRF token: reload the page and try again');
export const crossSiteRefused = () => new AppError(403, 'cross_site_request', 'Requests from other sites are refused');

/**
 * Sessions for browsers and API clients (docs/architecture.md, "Security").
 *
 * - `Authorization: Bearer <jwt>` (API clients): a bad or revoked token is a 401, on every route
 *   that reads credentials, because the client said who it is and that was not true.
 * - `session` cookie (the web app): httpOnly, SameSite=Lax, Path=/, Secure in production. A bad
 *   cookie is treated as no cookie (the page still renders for an anonymous visitor); routes
 *   that need a user then answer 401.
 *
 * CSRF, for cookie-authenticated writes (POST/PUT/PATCH/DELETE), in two layers:
 * 1. Signed double-submit token: at sign-in the API also sets a readable `csrf` cookie holding
 *    HMAC(key, session token); the web app echoes it in `X-CSRF-Token`. Another site can make
 *    the browser send our cookies but cannot read them, so it cannot produce the header, and a
 *    cookie planted by a sibling subdomain does not match the session's HMAC. Chosen over Origin
 *    checking alone because Origin/Sec-Fetch-Site can be absent (older browsers, privacy proxies)
 *    and "absent" would have to be allowed.
 * 2. Every write not made with a Bearer token (signed in or not: this covers login CSRF) is
 *    refused when the browser says it comes from another site (`Sec-Fetch-Site: cross-site` or
 *    `same-site`), or, without that header, when `Origin` is another origin than ours.
 * Bearer requests are exempt: browsers never attach an Authorization header on their own, so a
 * forged cross-site request cannot carry one (and no CORS is enabled to let scripts add it).
 */
export async function registerAuth(app: Api): Promise<void> {
  await app.register(cookie, { parseOptions: {} });
}

/** Reads the credentials of a request and sets `request.user` (throws 401 for a bad Bearer token). */
export async function authenticate(
  request: FastifyRequest,
  reply: FastifyReply,
  accounts: Pick<CoreDeps, 'db' | 'tokens'>,
  config: Config,
): Promise<void> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer ([^\s]+)$/i.exec(header.trim());
    if (!m) throw invalidSession();
    request.user = await authenticateSession(accounts, m[1]!);
    request.sessionVia = 'bearer';
    return;
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return;
  try {
    request.user = await authenticateSession(accounts, token);
    request.sessionVia = 'cookie';
  } catch (err) {
    if (!(err instanceof AppError) || err.status !== 401) throw err;
    // Expired or revoked: forget it so the browser stops sending it.
    clearSessionCookies(reply, config);
  }
}

/** Layer 1 and 2 of the CSRF defence (see registerAuth). */
export function checkCsrf(request: FastifyRequest, accounts: Pick<CoreDeps, 'tokens'>, config: Config): void {
  if (!UNSAFE_METHODS.has(request.method) || request.sessionVia === 'bearer') return;
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') throw crossSiteRefused();
  const origin = request.headers.origin;
  if (!site && origin && origin !== 'null' && !sameOrigin(origin, request, config)) throw crossSiteRefused();
  if (origin === 'null') throw crossSiteRefused();
  if (request.sessionVia === 'cookie') {
    const presented = request.headers[CSRF_HEADER];
    if (
      !accounts.tokens.csrfTokenMatches(
        request.cookies[SESSION_COOKIE]!,
        typeof presented === 'string' ? presented : undefined,
      )
    )
      throw csrfFailed();
  }
}

/** `origin` is PUBLIC_URL's origin or the origin the request came in on. */
export function sameOrigin(origin: string, request: FastifyRequest, config: Config): boolean {
  try {
    const o = new URL(origin);
    if (o.origin === new URL(config.publicUrl).origin) return true;
    return o.host === request.host && o.protocol === `${request.protocol}:`;
  } catch {
    return false;
  }
}

function cookieOptions(config: Config, httpOnly: boolean, maxAgeSeconds: number) {
  return { path: '/', httpOnly, sameSite: 'lax' as const, secure: config.production, maxAge: maxAgeSeconds };
}

/** Sets the session cookie and its CSRF companion, both expiring with the token. */
export function setSessionCookies(
  reply: FastifyReply,
  token: string,
  expiresAt: Date,
  accounts: Pick<CoreDeps, 'tokens' | 'clock'>,
  config: Config,
): void {
  const maxAge = Math.max(1, Math.round((expiresAt.getTime() - accounts.clock().getTime()) / 1000));
  reply.setCookie(SESSION_COOKIE, token, cookieOptions(config, true, maxAge));
  reply.setCookie(CSRF_COOKIE, accounts.tokens.csrfTokenFor(token), cookieOptions(config, false, maxAge));
  reply.header('cache-control', 'no-store');
}

export function clearSessionCookies(reply: FastifyReply, config: Config): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.production });
  reply.clearCookie(CSRF_COOKIE, { path: '/', httpOnly: false, sameSite: 'lax', secure: config.production });
}
