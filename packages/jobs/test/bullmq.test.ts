import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { BullMQJobQueue } from '../src/index.ts';
import { FAST_BULLMQ } from './fast-timings.ts';
import { describeQueueContract } from './queue-contract.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describeQueueContract('BullMQJobQueue on Redis', async () => {
  // A prefix per file, and a fresh one per test under it; every key under it is deleted at the end.
  const filePrefix = `earshot-test-jobs-${randomBytes(4).toString('hex')}`;
  let round = 0;
  const prefix = () => `${filePrefix}-${round}`;
  return {
    open: async (options) => new BullMQJobQueue({ url: REDIS_URL, prefix: prefix(), ...FAST_BULLMQ, ...options }),
    reset: async () => {
      round++;
    },
    childEnv: () => ({
      FIXTURE_REDIS_URL: REDIS_URL,
      FIXTURE_REDIS_PREFIX: prefix(),
      FIXTURE_LOCK_MS: String(FAST_BULLMQ.lockDurationMs),
      FIXTURE_STALLED_INTERVAL_MS: String(FAST_BULLMQ.stalledIntervalMs),
    }),
    dispose: async () => {
      const redis = new Redis(REDIS_URL);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${filePrefix}-*`, 'COUNT', 500);
          cursor = next;
          if (keys.length) await redis.del(...keys);
        } while (cursor !== '0');
      } finally {
        await redis.quit();
      }
    },
  };
});
