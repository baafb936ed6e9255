import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { MemoryRateLimiter, RedisRateLimiter } from '../src/index.ts';
import { rateLimiterContract } from './contract.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `earshot-test-rl-${randomBytes(4).toString('hex')}`;
let n = 0;

rateLimiterContract('memory', () => new MemoryRateLimiter());
rateLimiterContract('redis', () => new RedisRateLimiter(REDIS_URL, `${prefix}-${n++}`));

afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe('memory adapter on a test clock', () => {
  it('forgets a counter when its window ends, and starts a new one', async () => {
    let now = 1_000_000;
    const rl = new MemoryRateLimiter(() => now);
    await rl.hit('k', 60_000);
    await rl.hit('k', 60_000);
    now += 59_999;
    expect((await rl.peek('k'))?.count).toBe(2);
    now += 1;
    expect(await rl.peek('k')).toBeNull();
    expect(await rl.hit('k', 60_000)).toEqual({ count: 1, resetInMs: 60_000 });
  });
});

describe('redis adapter', () => {
  it('every counter it creates has an expiry in Redis', async () => {
    const p = `${prefix}-ttl`;
    const rl = new RedisRateLimiter(REDIS_URL, p);
    const redis = new Redis(REDIS_URL);
    try {
      await rl.hit('x', 60_000);
      await rl.set('y', 3, 10_000);
      for (const key of [`${p}:rl:x`, `${p}:rl:y`]) {
        const ttl = await redis.pttl(key);
        expect(ttl, key).toBeGreaterThan(0);
      }
      // A counter that lost its expiry (e.g. written by an older version) gets one on the next hit.
      await redis.set(`${p}:rl:z`, '4');
      expect((await rl.hit('z', 60_000)).count).toBe(5);
      expect(await redis.pttl(`${p}:rl:z`)).toBeGreaterThan(0);
    } finally {
      await rl.close();
      await redis.quit();
    }
  });
});

describe('redis adapter without Redis', () => {
  it('counts in this process, says so once, and never throws', async () => {
    const events: boolean[] = [];
    // Nothing listens on port 1: the adapter never connects.
    const rl = new RedisRateLimiter('redis://127.0.0.1:1', `${prefix}-down`, { onDegraded: (d) => events.push(d) });
    try {
      expect((await rl.hit('k', 60_000)).count).toBe(1);
      expect((await rl.hit('k', 60_000)).count).toBe(2);
      expect((await rl.peek('k'))?.count).toBe(2);
      await rl.set('lock', 5, 60_000);
      expect((await rl.peek('lock'))?.count).toBe(5);
      await rl.reset('k');
      expect(await rl.peek('k')).toBeNull();
      expect(events).toEqual([true]);
    } finally {
      await rl.close();
    }
  });
});
