import { Type } from 'typebox';
import {
  getAccount,
  login,
  register,
  requestPasswordReset,
  resetPassword,
  revokeSessions,
  sendEmailVerification,
  verifyEmail,
} from '@earshot/core';
import { Email, errorResponses, Handle, DisplayName, Password } from '../schemas.ts';
import { AccountUserSchema, presentAccountUser } from '../presenters/user.ts';
import { CSRF_COOKIE, clearSessionCookies, setSessionCookies } from '../plugins/auth.ts';
import { requireUser } from '../current-user.ts';
import type { Api, RouteDeps } from '../types.ts';
import { endpointsTagged } from '../http/endpoint.ts';

const MailToken = Type.String({ minLength: 1, maxLength: 200 });
const Session = Type.Object({
  user: AccountUserSchema,
  token: Type.String({ description: 'The session JWT, for `Authorization: Bearer` (browsers use the cookie)' }),
});

const endpoint = endpointsTagged('auth');

/** Register, sign in and out, who am I; email verification and password reset. */
export function authRoutes(app: Api, deps: RouteDeps): void {
  const config = deps.config;

  app.post(
    '/api/v1/auth/register',
    endpoint(
      'anyone',
      'Create an account; signs it in (session cookie + token) and mails an email-verification link',
      {
        body: Type.Object(
          {
            email: Email,
            password: Password,
            handle: Handle,
            displayName: Type.Optional(DisplayName),
            role: Type.Optional(Type.Union([Type.Literal('listener'), Type.Literal('artist')])),
          },
          { additionalProperties: false },
        ),
        response: { 201: Session, ...errorResponses(400, 403, 409, 413, 415, 429) },
      },
      { rateLimit: 'auth' },
    ),
    async (request, reply) => {
      const result = await register(deps.core, request.body);
      deps.businessMetrics?.signups.inc();
      setSessionCookies(reply, result.token, result.expiresAt, deps.core, config);
      return reply.status(201).send({ user: presentAccountUser(result.user), token: result.token });
    },
  );

  app.post(
    '/api/v1/auth/login',
    endpoint(
      'anyone',
      'Sign in with email and password (session cookie + token)',
      {
        body: Type.Object({ email: Email, password: Password }, { additionalProperties: false }),
        response: { 200: Session, ...errorResponses(400, 401, 403, 413, 415, 429) },
      },
      { rateLimit: 'auth' },
    ),
    async (request, reply) => {
      const result = await login(deps.core, request.body);
      setSessionCookies(reply, result.token, result.expiresAt, deps.core, config);
      return { user: presentAccountUser(result.user), token: result.token };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    endpoint('signed-in', 'Sign out: ends every session of this account (all devices) and clears the cookies', {
      response: { 204: Type.Null(), ...errorResponses(401, 403) },
    }),
    async (request, reply) => {
      await revokeSessions(deps.core, requireUser(request).id);
      clearSessionCookies(reply, config);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/me',
    endpoint('signed-in', 'The signed-in account (401 when signed out)', {
      response: { 200: Type.Object({ user: AccountUserSchema }), ...errorResponses(401) },
    }),
    async (request, reply) => {
      const user = await getAccount(deps.core, requireUser(request).id);
      // A browser that lost its CSRF cookie (but kept the session) gets it back.
      const session = request.cookies.session;
      if (
        request.sessionVia === 'cookie' &&
        session &&
        request.cookies[CSRF_COOKIE] !== deps.core.tokens.csrfTokenFor(session)
      ) {
        reply.setCookie(CSRF_COOKIE, deps.core.tokens.csrfTokenFor(session), {
          path: '/',
          httpOnly: false,
          sameSite: 'lax',
          secure: config.production,
          maxAge: config.auth.jwtExpiresInSeconds,
        });
      }
      reply.header('cache-control', 'private, no-store');
      return { user: presentAccountUser(user) };
    },
  );

  app.post(
    '/api/v1/auth/verify-email',
    // Not in the auth zone: the token is 256 random bits (nothing to guess), and following
    // the mailed link must not fail because the same IP just signed up or in.
    endpoint('anyone', 'Follow an email-verification link (single use, 48 h)', {
      body: Type.Object({ token: MailToken }, { additionalProperties: false }),
      response: { 200: Type.Object({ verified: Type.Literal(true) }), ...errorResponses(400) },
    }),
    async (request) => {
      await verifyEmail(deps.core, request.body.token);
      return { verified: true as const };
    },
  );

  app.post(
    '/api/v1/auth/verify-email/resend',
    endpoint(
      'signed-in',
      'Mail a new verification link to the current address',
      {
        response: { 202: Type.Object({ sent: Type.Boolean() }), ...errorResponses(401, 403, 429) },
      },
      { rateLimit: 'auth' },
    ),
    async (request, reply) => reply.status(202).send(await sendEmailVerification(deps.core, requireUser(request).id)),
  );

  app.post(
    '/api/v1/auth/forgot-password',
    endpoint(
      'anyone',
      'Mail a password-reset link (one hour, single use). Same answer whether or not the address has an account',
      {
        body: Type.Object({ email: Email }, { additionalProperties: false }),
        response: { 202: Type.Object({ accepted: Type.Literal(true) }), ...errorResponses(400, 429) },
      },
      { rateLimit: 'auth' },
    ),
    async (request, reply) => {
      await requestPasswordReset(deps.core, request.body.email);
      return reply.status(202).send({ accepted: true as const });
    },
  );

  app.post(
    '/api/v1/auth/reset-password',
    endpoint(
      'anyone',
      'Choose a new password with a reset link; signs out every session',
      {
        body: Type.Object({ token: MailToken, password: Password }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errorResponses(400, 429) },
      },
      { rateLimit: 'auth' },
    ),
    async (request, reply) => {
      await resetPassword(deps.core, request.body);
      clearSessionCookies(reply, config);
      return reply.status(204).send(null);
    },
  );
}
