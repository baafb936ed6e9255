import { describe, expect, it } from 'vitest';
import { BullMQJobQueue } from '../src/index.ts';

describe('BullMQJobQueue without a reachable Redis', () => {
  it('check() rejects, close() resolves', async () => {
    const errors: unknown[] = [];
    // Port 1: nothing listens there.
    const jobs = new BullMQJobQueue({
      url: 'redis://127.0.0.1:1',
      prefix: 'earshot-test-unreachable',
      onError: (err) => errors.push(err),
    });
    await expect(jobs.check()).rejects.toThrow();
    await jobs.close(500);
    expect(errors.length).toBeGreaterThan(0);
  });
});
