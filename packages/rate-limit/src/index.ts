import { MemoryRateLimiter } from './memory-rate-limiter.ts';
import { RedisRateLimiter } from './redis-rate-limiter.ts';
import type { RateLimiter } from './rate-limiter.ts';

export type { RateLimiter, RateCounter } from './rate-limiter.ts';
export { MemoryRateLimiter } from './memory-rate-limiter.ts';
export { RedisRateLimiter, type RedisRateLimiterOptions } from './redis-rate-limiter.ts';

/** Redis when configured (counters shared by every replica), in process otherwise. */
export function createRateLimiter(options: {
  redisUrl?: string;
  keyPrefix: string;
  onDegraded?: (degraded: boolean, err?: unknown) => void;
}): RateLimiter {
  return options.redisUrl
    ? new RedisRateLimiter(options.redisUrl, options.keyPrefix, { onDegraded: options.onDegraded })
    : new MemoryRateLimiter();
}
