import { describe, expect, it } from 'vitest';
import { ARGON2ID_PARAMS, hashPassword, needsRehash, verifyPassword } from '../src/index.ts';

describe('argon2id password hashes', () => {
  it('hash with the documented parameters and verify', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(
      new RegExp(
        `^\\$argon2id\\$v=19\\$m=${ARGON2ID_PARAMS.memoryCost},p=${ARGON2ID_PARAMS.parallelism},t=${ARGON2ID_PARAMS.timeCost}\\$`,
      ),
    );
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery stapl')).toBe(false);
    expect(needsRehash(hash)).toBe(false);
  });

  it('two hashes of one password differ (random salt)', async () => {
    expect(await hashPassword('same password here')).not.toBe(await hashPassword('same password here'));
  });

  it('garbage hashes and huge passwords are a plain "no"', async () => {
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
    expect(await verifyPassword('$argon2id$v=19$m=1,t=1,p=1$AAAA$BBBB', 'x')).toBe(false);
    const hash = await hashPassword('short one 123');
    expect(await verifyPassword(hash, 'x'.repeat(10_000))).toBe(false);
    await expect(hashPassword('x'.repeat(10_000))).rejects.toThrow(RangeError);
  });

  it('older parameters and legacy scrypt hashes ask for a re-hash', async () => {
    expect(needsRehash('$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNo')).toBe(true);
    expect(needsRehash('$scrypt$abc$def')).toBe(true);
  });
});
