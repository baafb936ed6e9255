/**
 * The trending query's rules in process (docs/architecture.md, "Insights and trending"): the
 * weights and periods, what a query may ask, the cache key each query reads, and that a cached
 * list is served as it is. A cache that answers every key it is asked for stands in for Redis; a
 * miss would read the database, which trending.test.ts covers.
 */
import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import {
  getTrending,
  getTrendingJson,
  TRENDING_CACHE_TTL_SECONDS,
  TRENDING_GENRE_MAX,
  TRENDING_MAX_AGE_SECONDS,
  TRENDING_MAX_LIMIT,
  TRENDING_MIN_PLAY_SECONDS,
  TRENDING_PERIODS,
  TRENDING_WEIGHTS,
} from '../../src/insights/trending.ts';
import type { ListCache } from '../../src/insights/cache.ts';
import { AppError } from '../../src/errors.ts';

/** Answers every read with a list naming the key it was asked for; writes are not expected. */
class AnsweringCache implements ListCache {
  readonly asked: string[] = [];
  async get(key: string) {
    this.asked.push(key);
    return JSON.stringify({ period: 'day', genre: null, computedAt: null, tracks: [], key });
  }
  async set(): Promise<void> {
    throw new Error('a hit is not written again');
  }
  async deletePrefix(): Promise<void> {}
  async close(): Promise<void> {}
}
// Never reached: every read is a cache hit.
const db = new Proxy(
  {},
  {
    get() {
      throw new Error('the database is not read on a cache hit');
    },
  },
) as Kysely<Database>;

const keyOf = async (query: Parameters<typeof getTrendingJson>[1]) => {
  const cache = new AnsweringCache();
  await getTrendingJson({ db, cache }, query);
  expect(cache.asked).toHaveLength(1);
  return cache.asked[0];
};
const refusal = async (query: Parameters<typeof getTrendingJson>[1]) => {
  const err = await getTrendingJson({ db, cache: new AnsweringCache() }, query).then(
    () => {
      throw new Error('accepted');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  const e = err as AppError;
  return { status: e.status, code: e.code, message: e.message, details: e.details };
};

describe('trending rules', () => {
  it('weights, periods and limits as documented', () => {
    expect(TRENDING_WEIGHTS).toEqual({ play: 1, like: 3, repost: 4, comment: 2, purchase: 8 });
    expect(TRENDING_PERIODS).toEqual({
      day: { halfLifeHours: 24, windowHours: 48 },
      week: { halfLifeHours: 72, windowHours: 168 },
    });
    expect(TRENDING_MIN_PLAY_SECONDS).toBe(30);
    expect([TRENDING_MAX_LIMIT, TRENDING_GENRE_MAX]).toEqual([100, 50]);
    expect([TRENDING_CACHE_TTL_SECONDS, TRENDING_MAX_AGE_SECONDS]).toEqual([300, 60]);
  });

  it('each query reads its own key: period, limit, genre trimmed and lower-cased; day and 50 by default', async () => {
    expect(await keyOf({})).toBe('trending:day:50:');
    expect(await keyOf({ period: 'day' })).toBe('trending:day:50:');
    expect(await keyOf({ period: 'week', limit: 10 })).toBe('trending:week:10:');
    expect(await keyOf({ genre: '  Deep House ' })).toBe('trending:day:50:deep house');
    // A blank genre is no genre.
    expect(await keyOf({ genre: '   ' })).toBe('trending:day:50:');
    expect(await keyOf({ genre: 'g'.repeat(50), limit: 1 })).toBe(`trending:day:1:${'g'.repeat(50)}`);
    expect(await keyOf({ limit: 100 })).toBe('trending:day:100:');
  });

  it('a cached list is served as it is, without presenting it again', async () => {
    const cache = new AnsweringCache();
    const present = () => {
      throw new Error('not presented on a hit');
    };
    expect(await getTrendingJson({ db, cache }, { period: 'week' }, present)).toBe(
      '{"period":"day","genre":null,"computedAt":null,"tracks":[],"key":"trending:week:50:"}',
    );
    expect(await getTrending({ db, cache }, {})).toMatchObject({ tracks: [], key: 'trending:day:50:' });
  });

  it('refuses an unknown period, a genre over 50 characters and a limit outside 1..100', async () => {
    expect(await refusal({ period: 'month' })).toEqual({
      status: 400,
      code: 'validation_failed',
      message: 'period must be day or week',
      details: { field: 'period' },
    });
    expect(await refusal({ period: '' })).toMatchObject({ details: { field: 'period' } });
    expect(await refusal({ genre: 'g'.repeat(51) })).toEqual({
      status: 400,
      code: 'validation_failed',
      message: 'genre is at most 50 characters',
      details: { field: 'genre' },
    });
    const limit = {
      status: 400,
      code: 'validation_failed',
      message: 'limit must be 1..100',
      details: { field: 'limit' },
    };
    for (const l of [0, -1, 101, 1.5, Number.NaN]) expect(await refusal({ limit: l })).toEqual(limit);
  });
});
