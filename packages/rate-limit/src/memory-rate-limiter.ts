import type { RateCounter, RateLimiter } from './rate-limiter.ts';

/** Sweep expired counters once the map holds this many (bounds memory under a flood of IPs). */
const SWEEP_AT = 10_000;

/** One process's counters (embedded mode, or no Redis configured). `now` is injectable for tests. */
export class MemoryRateLimiter implements RateLimiter {
  readonly kind = 'memory' as const;
  private readonly counters = new Map<string, { count: number; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async hit(key: string, windowMs: number): Promise<RateCounter> {
    const now = this.now();
    let entry = this.live(key, now);
    if (!entry) {
      if (this.counters.size >= SWEEP_AT) this.sweep(now);
      entry = { count: 0, expiresAt: now + windowMs };
      this.counters.set(key, entry);
    }
    entry.count += 1;
    return { count: entry.count, resetInMs: entry.expiresAt - now };
  }

  async peek(key: string): Promise<RateCounter | null> {
    const now = this.now();
    const entry = this.live(key, now);
    return entry ? { count: entry.count, resetInMs: entry.expiresAt - now } : null;
  }

  async set(key: string, count: number, ttlMs: number): Promise<void> {
    this.counters.set(key, { count, expiresAt: this.now() + ttlMs });
  }

  async reset(key: string): Promise<void> {
    this.counters.delete(key);
  }

  async close(): Promise<void> {
    this.counters.clear();
  }

  private live(key: string, now: number) {
    const entry = this.counters.get(key);
    if (entry && entry.expiresAt <= now) {
      this.counters.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep(now: number): void {
    for (const [k, e] of this.counters) if (e.expiresAt <= now) this.counters.delete(k);
  }
}
