import { scrypt, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';

/**
 * Argon2id parameters (docs/architecture.md, "Security").
 *
 * OWASP's Password Storage Cheat Sheet lists five equivalent minimum configurations for argon2id
 * (m=47104 KiB/t=1, m=19456 KiB/t=2, m=12288 KiB/t=3, m=9216 KiB/t=4, m=7168 KiB/t=5; all p=1).
 * We take m=19456 KiB (19 MiB), t=2, p=1:
 * - measured ~120 ms per hash on the 2-core reference machine (docs/accounts.md), which keeps a
 *   login well under the API's latency budget while costing an offline attacker the same;
 * - memory per hash stays at 19 MiB: hashes run on libuv's 4 threads, so at most ~76 MiB is
 *   in use at once however many logins arrive (the bigger-memory options would let a burst of
 *   logins pin hundreds of MiB on a small VPS);
 * - p=1 because the pool already runs several hashes in parallel.
 * Raising them later is safe: `needsRehash` makes a successful login re-hash with the new ones.
 */
export const ARGON2ID_PARAMS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Longest password we hash: argon2 accepts more, but nothing good comes of hashing megabytes. */
const MAX_PASSWORD_BYTES = 1024;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** false for a wrong password or an unreadable hash; never throws for bad input. */
  verify(hash: string, password: string): Promise<boolean>;
  /** true when the hash was made with older parameters or another algorithm. */
  needsRehash(hash: string): boolean;
}

export async function hashPassword(password: string): Promise<string> {
  if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) throw new RangeError('password too long');
  return argon2.hash(password, ARGON2ID_PARAMS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) return false;
  if (hash.startsWith('$argon2')) {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }
  if (hash.startsWith('$scrypt$')) return verifyLegacyScrypt(hash, password);
  return false;
}

export function needsRehash(hash: string): boolean {
  if (!hash.startsWith('$argon2id$')) return true;
  try {
    return argon2.needsRehash(hash, ARGON2ID_PARAMS);
  } catch {
    return true;
  }
}

export const argon2idHasher: PasswordHasher = { hash: hashPassword, verify: verifyPassword, needsRehash };

/** `$scrypt$<salt b64>$<key b64>`: what early seeds wrote; re-hashed to argon2id at the next login. */
async function verifyLegacyScrypt(hash: string, password: string): Promise<boolean> {
  const [, , saltB64, keyB64] = hash.split('$');
  if (!saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64');
  if (expected.length !== 32) return false;
  const key = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password, Buffer.from(saltB64, 'base64'), 32, (e, k) => (e ? reject(e) : resolve(k))),
  );
  return timingSafeEqual(key, expected);
}
