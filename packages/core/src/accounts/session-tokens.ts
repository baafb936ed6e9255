import { createHmac, timingSafeEqual } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { AppError } from '../errors.ts';

export interface SessionClaims {
  userId: string;
  tokenVersion: number;
}

/** Longer bearer strings are refused before any parsing. */
const MAX_TOKEN_LENGTH = 2048;

export const invalidSession = () =>
  new AppError(401, 'invalid_session', 'Your session is invalid or has expired; sign in again');

/**
 * Session tokens: JWT, HS256 only, signed with `JWT_SECRET`, carrying the user id (`sub`) and the
 * user's `token_version` (`ver`). The accepted algorithm is pinned (`alg: none`, RS256/HS256
 * confusion and every other header are refused), and `exp`/`iat` are required.
 */
export class SessionTokens {
  private readonly key: Uint8Array;
  private readonly csrfKey: Buffer;

  constructor(
    secret: string,
    readonly expiresInSeconds: number,
    private readonly now: () => Date = () => new Date(),
  ) {
    if (secret.length < 16) throw new Error('JWT secret is too short');
    this.key = new TextEncoder().encode(secret);
    this.csrfKey = createHmac('sha256', secret).update('earshot csrf key').digest();
  }

  async sign(claims: SessionClaims): Promise<{ token: string; expiresAt: Date }> {
    const iat = Math.floor(this.now().getTime() / 1000);
    const exp = iat + this.expiresInSeconds;
    const token = await new SignJWT({ ver: claims.tokenVersion })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** The claims of a valid token; throws 401 `invalid_session` for anything else. */
  async verify(token: string): Promise<SessionClaims> {
    if (!token || token.length > MAX_TOKEN_LENGTH || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) throw invalidSession();
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        currentDate: this.now(),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      const userId = payload.sub;
      const ver = payload.ver;
      if (
        typeof userId !== 'string' ||
        !/^\d{1,18}$/.test(userId) ||
        typeof ver !== 'number' ||
        !Number.isInteger(ver) ||
        ver < 0
      )
        throw invalidSession();
      return { userId, tokenVersion: ver };
    } catch {
      throw invalidSession();
    }
  }

  /**
   * The CSRF token of a session (signed double-submit, OWASP): an HMAC of the session token under
   * a key derived from the secret. The web app reads it from the `csrf` cookie and echoes it in
   * `X-CSRF-Token`; a page on another site can neither read it nor compute it, and a cookie
   * planted by a sibling subdomain does not match the victim's session.
   */
  csrfTokenFor(sessionToken: string): string {
    return createHmac('sha256', this.csrfKey).update(sessionToken).digest('base64url');
  }

  csrfTokenMatches(sessionToken: string, presented: string | undefined): boolean {
    if (!presented || presented.length > 100) return false;
    const expected = Buffer.from(this.csrfTokenFor(sessionToken));
    const given = Buffer.from(presented);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
