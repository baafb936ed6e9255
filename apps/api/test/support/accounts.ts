/**
 * Helpers for tests of accounts and access: users made straight in the database (one argon2 hash
 * shared by all, so fixtures are fast), session tokens signed with the app's secret, and cookie
 * headers as a browser would send them.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Kysely } from 'kysely';
import type { Config } from '@earshot/config';
import type { Database } from '@earshot/db';
import { SessionTokens } from '@earshot/core';

export { createUser, FIXTURE_PASSWORD, type TestUser } from '../../../../test/support/factories.ts';

/** Signs a session for the user's current token_version. */
export async function sessionFor(
  db: Kysely<Database>,
  config: Config,
  userId: string,
): Promise<{ token: string; csrf: string }> {
  const tokens = new SessionTokens(config.auth.jwtSecret, config.auth.jwtExpiresInSeconds);
  const row = await db.selectFrom('users').select('token_version').where('id', '=', userId).executeTakeFirstOrThrow();
  const { token } = await tokens.sign({ userId, tokenVersion: row.token_version });
  return { token, csrf: tokens.csrfTokenFor(token) };
}

/** Headers of a browser request with the session cookie (and, for writes, the CSRF header). */
export function cookieHeaders(session: { token: string; csrf: string }, write = true): Record<string, string> {
  return {
    cookie: `session=${session.token}; csrf=${session.csrf}`,
    ...(write ? { 'x-csrf-token': session.csrf } : {}),
  };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** `Set-Cookie` headers of a response, by cookie name. */
export function setCookies(headers: Record<string, unknown>): Record<string, string> {
  const raw = headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
  return Object.fromEntries(list.map((c: string) => [c.slice(0, c.indexOf('=')), c]));
}

export function cookieValue(setCookie: string): string {
  return decodeURIComponent(setCookie.slice(setCookie.indexOf('=') + 1, setCookie.indexOf(';')));
}

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
}

/** A real SMTP server on loopback that keeps what it receives (plain SMTP, AUTH allowed). */
export async function startSmtpServer(): Promise<{
  port: number;
  mails: ReceivedMail[];
  close(): Promise<void>;
  linkIn(mail: ReceivedMail): URL;
}> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    hideSTARTTLS: true,
    authOptional: true,
    allowInsecureAuth: true,
    onData(stream, _session, cb) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({
            to: parsed.to ? (Array.isArray(parsed.to) ? parsed.to[0]!.text : parsed.to.text) : '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
          });
          cb();
        })
        .catch((err: Error) => cb(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    linkIn(mail) {
      const m = /https?:\/\/\S+/.exec(mail.text);
      if (!m) throw new Error(`no link in mail "${mail.subject}"`);
      return new URL(m[0]);
    },
  };
}
