import { Redis } from 'ioredis';
import type { RateCounter, RateLimiter } from './rate-limiter.ts';

/**
 * INCR, and PEXPIRE when the counter is new, in one script so that two replicas can never both
 * see "new" or leave a counter without expiry (a crash between INCR and PEXPIRE would otherwise
 * lock a client out forever). Returns {count, ms to live}.
 */
const HIT = `
local c = redis.call('INCR', KEYS[1])
local t = redis.call('PTTL', KEYS[1])
if c == 1 or t < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  t = tonumber(ARGV[1])
end
return {c, t}
`;

const PEEK = `
local c = redis.call('GET', KEYS[1])
if not c then return nil end
return {tonumber(c), redis.call('PTTL', KEYS[1])}
`;

/** Counters shared by every process through Redis (keys `<prefix>:rl:<key>`). */
export class RedisRateLimiter implements RateLimiter {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(url: string, keyPrefix: string) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
    this.prefix = `${keyPrefix}:rl:`;
  }

  async hit(key: string, windowMs: number): Promise<RateCounter> {
    const [count, ttl] = (await this.redis.eval(HIT, 1, this.prefix + key, String(Math.max(1, Math.ceil(windowMs))))) as [number, number];
    return { count, resetInMs: Math.max(0, ttl) };
  }

  async peek(key: string): Promise<RateCounter | null> {
    const r = (await this.redis.eval(PEEK, 1, this.prefix + key)) as [number, number] | null;
    if (!r || r[1] === -2) return null;
    return { count: r[0], resetInMs: Math.max(0, r[1]) };
  }

  async set(key: string, count: number, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + key, String(count), 'PX', Math.max(1, Math.ceil(ttlMs)));
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
