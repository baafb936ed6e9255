import { describe, expect, it } from 'vitest';
import type { RateLimiter } from '../src/index.ts';

/** The one suite every RateLimiter adapter passes. `fresh()` gives a limiter with its own keys. */
export function rateLimiterContract(name: string, fresh: () => RateLimiter) {
  describe(`RateLimiter contract: ${name}`, () => {
    it('counts hits in a fixed window', async () => {
      const rl = fresh();
      try {
        const a = await rl.hit('k', 60_000);
        expect(a.count).toBe(1);
        expect(a.resetInMs).toBeGreaterThan(0);
        expect(a.resetInMs).toBeLessThanOrEqual(60_000);
        const b = await rl.hit('k', 5_000);
        expect(b.count).toBe(2);
        // The window is fixed at the first hit: a later hit with another window does not move it.
        expect(b.resetInMs).toBeGreaterThan(5_000);
        expect((await rl.hit('other', 60_000)).count).toBe(1);
      } finally {
        await rl.close();
      }
    });

    it('many concurrent hits are all counted (atomic)', async () => {
      const rl = fresh();
      try {
        const counts = await Promise.all(Array.from({ length: 50 }, () => rl.hit('burst', 60_000)));
        expect(counts.map((c) => c.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      } finally {
        await rl.close();
      }
    });

    it('peek reads without counting; set replaces; reset removes', async () => {
      const rl = fresh();
      try {
        expect(await rl.peek('p')).toBeNull();
        await rl.hit('p', 60_000);
        expect((await rl.peek('p'))?.count).toBe(1);
        expect((await rl.peek('p'))?.count).toBe(1);
        await rl.set('p', 7, 30_000);
        const p = await rl.peek('p');
        expect(p?.count).toBe(7);
        expect(p!.resetInMs).toBeLessThanOrEqual(30_000);
        expect(p!.resetInMs).toBeGreaterThan(0);
        await rl.reset('p');
        expect(await rl.peek('p')).toBeNull();
        await rl.reset('never-there');
      } finally {
        await rl.close();
      }
    });
  });
}
