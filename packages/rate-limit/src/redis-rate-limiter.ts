import { Redis } from 'ioredis';
import { MemoryRateLimiter } from './memory-rate-limiter.ts';
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

export interface RedisRateLimiterOptions {
  /** Called once when Redis stops answering (counters fall back to this process) and once when it is back. */
  onDegraded?: (degraded: boolean, err?: unknown) => void;
}

/**
 * Counters shared by every process through Redis (keys `<prefix>:rl:<key>`). While Redis does not
 * answer, each process counts on its own (an in-process fallback), so the limits and lockouts still
 * hold, per replica, and requests are neither refused nor left waiting for Redis: the platform
 * stays up with one fewer guarantee (shared counting) until Redis is back.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly fallback = new MemoryRateLimiter();
  private degraded = false;
  private connected = false;

  constructor(
    url: string,
    keyPrefix: string,
    private readonly options: RedisRateLimiterOptions = {},
  ) {
    // The offline queue holds the first commands until the first connection is made (start-up);
    // once Redis has been seen, a lost connection switches to the fallback at once instead.
    this.redis = new Redis(url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      lazyConnect: false,
      connectTimeout: 2_000,
      commandTimeout: 2_000,
    });
    this.redis.on('error', () => {});
    this.redis.on('ready', () => {
      this.connected = true;
      this.setDegraded(false);
    });
    this.prefix = `${keyPrefix}:rl:`;
  }

  private setDegraded(degraded: boolean, err?: unknown): void {
    if (this.degraded === degraded) return;
    this.degraded = degraded;
    this.options.onDegraded?.(degraded, err);
  }

  /** Redis when it is connected; this process's counters when it is not, or when the call fails. */
  private async either<T>(shared: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (this.connected && this.redis.status !== 'ready') {
      this.setDegraded(true);
      return local();
    }
    try {
      return await shared();
    } catch (err) {
      this.setDegraded(true, err);
      return local();
    }
  }

  hit(key: string, windowMs: number): Promise<RateCounter> {
    return this.either(
      async () => {
        const [count, ttl] = (await this.redis.eval(
          HIT,
          1,
          this.prefix + key,
          String(Math.max(1, Math.ceil(windowMs))),
        )) as [number, number];
        return { count, resetInMs: Math.max(0, ttl) };
      },
      () => this.fallback.hit(key, windowMs),
    );
  }

  peek(key: string): Promise<RateCounter | null> {
    return this.either(
      async () => {
        const r = (await this.redis.eval(PEEK, 1, this.prefix + key)) as [number, number] | null;
        if (!r || r[1] === -2) return null;
        return { count: r[0], resetInMs: Math.max(0, r[1]) };
      },
      () => this.fallback.peek(key),
    );
  }

  set(key: string, count: number, ttlMs: number): Promise<void> {
    return this.either(
      async () => {
        await this.redis.set(this.prefix + key, String(count), 'PX', Math.max(1, Math.ceil(ttlMs)));
      },
      () => this.fallback.set(key, count, ttlMs),
    );
  }

  reset(key: string): Promise<void> {
    // A reset (a successful sign-in) clears both, so a counter kept here during an outage does not outlive it.
    return this.either(
      async () => {
        await this.fallback.reset(key);
        await this.redis.del(this.prefix + key);
      },
      () => this.fallback.reset(key),
    );
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
