import { SignJWT } from 'jose';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const enc = (s: string) => new TextEncoder().encode(s);

/**
 * Session tokens an attacker can make: wrong key, wrong algorithm, expired, `alg: none`, claims
 * of a user that does not exist or of a revoked session, spliced and truncated tokens. Each must
 * be refused exactly like no session (cookie) or with 401 (Bearer).
 */
export async function forgedTokens(
  secret: string,
  victimId: string,
  realToken: string,
  otherRealToken: string,
): Promise<Array<[string, string]>> {
  const now = Math.floor(Date.now() / 1000);
  const sign = (claims: Record<string, unknown>, key: string, alg = 'HS256', iat = now, exp = now + 3600) =>
    new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).setIssuedAt(iat).setExpirationTime(exp).sign(enc(key));
  const [head, payload] = realToken.split('.') as [string, string];
  const otherSig = otherRealToken.split('.')[2]!;
  return [
    ['other secret', await sign({ sub: victimId, ver: 0 }, 'not the server secret, but long enough')],
    ['expired', await sign({ sub: victimId, ver: 0 }, secret, 'HS256', now - 7200, now - 3600)],
    ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: victimId, ver: 0, iat: now, exp: now + 3600 })}.`],
    [
      'alg none, junk signature',
      `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: victimId, ver: 0, iat: now, exp: now + 3600 })}.AAAA`,
    ],
    ['HS512 with the server secret', await sign({ sub: victimId, ver: 0 }, secret, 'HS512')],
    ['stale token version', await sign({ sub: victimId, ver: 99 }, secret)],
    ['user that does not exist', await sign({ sub: '987654321987', ver: 0 }, secret)],
    ['sub not an id', await sign({ sub: "1' OR '1'='1", ver: 0 }, secret)],
    [
      'no exp claim',
      await new SignJWT({ sub: victimId, ver: 0 })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt(now)
        .sign(enc(secret)),
    ],
    ['payload spliced onto another signature', `${head}.${payload}.${otherSig}`],
    ['truncated signature', realToken.slice(0, -3)],
    ['not a JWT', 'definitely.not.a-jwt'],
    ['8 KB of junk', 'a'.repeat(4000) + '.' + 'b'.repeat(4000) + '.c'],
  ];
}
