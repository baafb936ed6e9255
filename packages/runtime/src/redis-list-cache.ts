import { Redis } from 'ioredis';
import type { ListCache } from '@earshot/core';

/**
 * Production adapter of the list cache: one Redis shared by every API replica and the worker, so
 * the rollup's invalidation reaches all of them. Keys live under `<prefix>:cache:`. A Redis error
 * reads as a miss (the caller computes from the database) and never fails a request.
 */
export class RedisListCache implements ListCache {
  private readonly redis: Redis;
  private readonly ns: string;

  constructor(url: string, prefix: string) {
    this.ns = `${prefix}:cache:`;
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1 });
    this.redis.on('error', () => {});
  }

  async get(key: string): Promise<string | null> {
    try {
      return await this.redis.get(this.ns + key);
    } catch {
      return null;
    }
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    try {
      await this.redis.set(this.ns + key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)));
    } catch {
      // A cache that cannot be written is only slower.
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    // A handful of keys (periods × genres): SCAN, never KEYS.
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.ns}${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await this.redis.del(...keys);
    } while (cursor !== '0');
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
