/** A counter and how long until it disappears. */
export interface RateCounter {
  count: number;
  /** Milliseconds until the counter expires (its window ends). */
  resetInMs: number;
}

/**
 * Counters with a time to live: the one port behind request limits and login lockouts. Shared
 * through Redis when the platform has one (several API replicas count together), in process
 * otherwise. Keys are free-form; adapters namespace them.
 */
export interface RateLimiter {
  readonly kind: 'memory' | 'redis';
  /**
   * Adds one to `key` and returns the new count. A counter that did not exist starts at 1 and
   * lives `windowMs` (a fixed window: later hits do not extend it). Atomic across processes.
   */
  hit(key: string, windowMs: number): Promise<RateCounter>;
  /** The counter without counting; null when absent or expired. */
  peek(key: string): Promise<RateCounter | null>;
  /** Sets `key` to `count` for `ttlMs`, replacing what was there. */
  set(key: string, count: number, ttlMs: number): Promise<void>;
  /** Removes `key` (absent is not an error). */
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}
