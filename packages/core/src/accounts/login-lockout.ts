import type { RateLimiter } from '@earshot/rate-limit';
import { AppError } from '../errors.ts';
import { sha256Hex } from './account-tokens.ts';

/**
 * Per-account lockout after failed logins, on top of the per-IP `auth` zone (which a botnet
 * spreads thin). Counted per email address whether or not an account has it, so the answers do
 * not reveal which addresses exist.
 *
 * After FREE_FAILURES failures within a day, each further failure locks the address for
 * 1 min · 2^(failures − FREE_FAILURES), at most MAX_LOCK_MS: 5 → 1 min, 6 → 2 min, 7 → 4 min,
 * … 10 → 32 min, then 1 h. A successful login clears it. While locked, even the right password
 * gets 429 with Retry-After, so guessing cannot go on in the background.
 */
export const LOCKOUT = {
  freeFailures: 5,
  firstLockMs: 60_000,
  maxLockMs: 3600_000,
  failureWindowMs: 24 * 3600_000,
} as const;

const failKey = (email: string) => `login-fail:${sha256Hex(email).slice(0, 32)}`;
const lockKey = (email: string) => `login-lock:${sha256Hex(email).slice(0, 32)}`;

export function lockDurationMs(failures: number): number {
  if (failures < LOCKOUT.freeFailures) return 0;
  return Math.min(LOCKOUT.firstLockMs * 2 ** (failures - LOCKOUT.freeFailures), LOCKOUT.maxLockMs);
}

export const accountLocked = (retryAfterMs: number) => {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError(
    429,
    'account_locked',
    `Too many failed sign-ins for this account; try again in ${seconds > 90 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`}`,
    { retryAfterSeconds: seconds },
  );
};

/** Throws 429 while the address is locked. */
export async function assertNotLocked(limiter: RateLimiter, email: string): Promise<void> {
  const lock = await limiter.peek(lockKey(email));
  if (lock && lock.resetInMs > 0) throw accountLocked(lock.resetInMs);
}

/** Counts a failure; returns the lock it caused (0 = none). */
export async function recordLoginFailure(limiter: RateLimiter, email: string): Promise<number> {
  const failures = await limiter.hit(failKey(email), LOCKOUT.failureWindowMs);
  const lockMs = lockDurationMs(failures.count);
  if (lockMs > 0) await limiter.set(lockKey(email), failures.count, lockMs);
  return lockMs;
}

export async function clearLoginFailures(limiter: RateLimiter, email: string): Promise<void> {
  await limiter.reset(failKey(email));
  await limiter.reset(lockKey(email));
}
