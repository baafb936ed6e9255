/**
 * Trending on PGlite and PostgreSQL with a test clock: distinct listeners beat repeated plays, a
 * day-old play weighs half in `day`, the owner's own activity and plays under 30 s never count,
 * the weights of §"Insights and trending", genres, and the cache the rollup clears.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database, DatabaseHandle } from '@earshot/db';
import { getTrending, MemoryListCache, recomputeTrending, type TrendingDeps } from '../../src/index.ts';
import { BACKENDS, insertPlay, insertTrack, insertUser, openMigrated, testClock } from './support.ts';

const NOW = '2026-07-01T12:00:00.000Z';
const hoursAgo = (h: number) => new Date(Date.parse(NOW) - h * 3_600_000).toISOString();

describe.each(BACKENDS)('trending on %s', (_name, open) => {
  let handle: DatabaseHandle;
  let drop: (() => Promise<void>) | undefined;
  let db: Kysely<Database>;
  let deps: TrendingDeps;
  const clock = testClock(NOW);

  beforeAll(async () => {
    ({ handle, drop } = await openMigrated(open));
    db = handle.db;
    deps = { db, cache: new MemoryListCache(), clock: clock.now };
  });
  afterAll(async () => {
    await handle?.close();
    await drop?.();
  });

  const scoreOf = async (trackId: string, period: 'day' | 'week' = 'day') =>
    (
      await db
        .selectFrom('trending_scores')
        .select('score')
        .where('period', '=', period)
        .where('track_id', '=', trackId)
        .executeTakeFirst()
    )?.score ?? 0;

  /** `count` plays of a minute by one signed-in listener from one IP (its hash: `ipDigit` 64 times), the i-th at `at(i)`. */
  const playsByOne = (
    track: { id: string; versionId: string },
    userId: string,
    ipDigit: string,
    count: number,
    at: (i: number) => string,
  ) =>
    db
      .insertInto('plays')
      .values(
        Array.from({ length: count }, (_, i) => ({
          track_id: track.id,
          version_id: track.versionId,
          user_id: userId,
          ip_hash: ipDigit.repeat(64),
          seconds_listened: 60,
          created_at: at(i),
        })),
      )
      .execute();

  it('30 distinct listeners today outrank 300 plays by one listener; only the owner never counts', async () => {
    const artist = await insertUser(db, 'artist');
    const crowd = await insertTrack(db, artist);
    const loop = await insertTrack(db, artist);
    const vanity = await insertTrack(db, artist);
    for (let i = 0; i < 30; i++) await insertPlay(db, crowd, hoursAgo(1), { ip: 1000 + i });
    const fan = await insertUser(db);
    await playsByOne(loop, fan, '1', 300, (i) => hoursAgo(1 + i / 100));
    // The owner plays, likes and comments on their own track a lot: nothing counts.
    await playsByOne(vanity, artist, '2', 50, (i) => hoursAgo(i / 10));
    await db
      .insertInto('likes')
      .values({ user_id: artist, track_id: vanity.id, created_at: hoursAgo(1) })
      .execute();
    await db
      .insertInto('comments')
      .values({ user_id: artist, track_id: vanity.id, body: 'mine', position_ms: 0, created_at: hoursAgo(1) })
      .execute();

    await recomputeTrending(deps);
    expect(await scoreOf(crowd.id)).toBeGreaterThan(29);
    expect(await scoreOf(loop.id)).toBeLessThan(1);
    expect(await scoreOf(vanity.id)).toBe(0);
    const list = await getTrending(deps, { period: 'day' });
    const ids = list.tracks.map((t) => t.id);
    expect(ids.indexOf(crowd.id)).toBeLessThan(ids.indexOf(loop.id));
    expect(ids).not.toContain(vanity.id);
    expect(list.tracks[0]).toMatchObject({ rank: 1, id: crowd.id, artist: { handle: expect.any(String) } });
  });

  it('in `day` a play 24 h old weighs half a play now; in `week` (72 h half-life) 2^(-1/3)', async () => {
    const artist = await insertUser(db, 'artist');
    const today = await insertTrack(db, artist);
    const yesterday = await insertTrack(db, artist);
    for (let i = 0; i < 10; i++) {
      await insertPlay(db, today, NOW, { ip: 2000 + i });
      await insertPlay(db, yesterday, hoursAgo(24), { ip: 2000 + i });
    }
    const counted = await recomputeTrending(deps);
    expect(await scoreOf(today.id)).toBeCloseTo(10, 6);
    expect(await scoreOf(yesterday.id)).toBeCloseTo(5, 6);
    expect((await scoreOf(yesterday.id, 'week')) / (await scoreOf(today.id, 'week'))).toBeCloseTo(2 ** (-1 / 3), 6);
    // The recompute answers how many tracks each period scored.
    const stored = await db
      .selectFrom('trending_scores')
      .select(['period', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('period')
      .execute();
    const n = Object.fromEntries(stored.map((r) => [r.period, Number(r.n)]));
    expect(n.day).toBeGreaterThan(0);
    expect(counted).toEqual([
      { period: 'day', tracks: n.day },
      { period: 'week', tracks: n.week },
    ]);
    // Lists show scores to three decimals: 10 × 2^(−1/3) = 7.93700…
    const week = await getTrending(deps, { period: 'week', limit: 100 });
    expect(week.tracks.find((t) => t.id === yesterday.id)?.score).toBe(7.937);
    expect(week.tracks.find((t) => t.id === today.id)?.score).toBe(10);
  });

  it('plays under 30 s never count; events past the window are out', async () => {
    const artist = await insertUser(db, 'artist');
    const short = await insertTrack(db, artist, { durationMs: 20_000 });
    for (let i = 0; i < 5; i++) await insertPlay(db, short, hoursAgo(1), { ip: 3000 + i }, { seconds: 19 });
    const old = await insertTrack(db, artist);
    await insertPlay(db, old, hoursAgo(49), { ip: 3100 });
    await recomputeTrending(deps);
    expect(await scoreOf(short.id)).toBe(0);
    expect(await scoreOf(old.id, 'day')).toBe(0);
    expect(await scoreOf(old.id, 'week')).toBeGreaterThan(0);
  });

  it('weights: like 3, repost 4, comment 2 (once per account), purchase 8', async () => {
    const artist = await insertUser(db, 'artist');
    const fan = await insertUser(db);
    const [liked, reposted, commented, bought] = [
      await insertTrack(db, artist),
      await insertTrack(db, artist),
      await insertTrack(db, artist),
      await insertTrack(db, artist),
    ];
    await db.insertInto('likes').values({ user_id: fan, track_id: liked.id, created_at: NOW }).execute();
    await db.insertInto('reposts').values({ user_id: fan, track_id: reposted.id, created_at: NOW }).execute();
    for (let i = 0; i < 3; i++)
      await db
        .insertInto('comments')
        .values({ user_id: fan, track_id: commented.id, body: `c${i}`, position_ms: 0, created_at: NOW })
        .execute();
    await db
      .insertInto('orders')
      .values({
        item_type: 'track',
        track_id: bought.id,
        seller_user_id: artist,
        buyer_email: 'b@example.test',
        amount_minor: 500,
        currency: 'EUR',
        status: 'paid',
        paid_at: new Date(NOW),
      })
      .execute();
    await recomputeTrending(deps);
    expect([
      await scoreOf(liked.id),
      await scoreOf(reposted.id),
      await scoreOf(commented.id),
      await scoreOf(bought.id),
    ]).toEqual([3, 4, 2, 8]);
  });

  it('per genre; served from the cache until the recompute clears it; unlisted tracks never shown', async () => {
    const artist = await insertUser(db, 'artist');
    const jazz = await insertTrack(db, artist);
    await db.updateTable('tracks').set({ genre: 'Jazz' }).where('id', '=', jazz.id).execute();
    await insertPlay(db, jazz, hoursAgo(2), { ip: 4000 });
    await recomputeTrending(deps);
    const first = await getTrending(deps, { period: 'week', genre: 'jazz' });
    expect(first.tracks.map((t) => t.id)).toEqual([jazz.id]);
    expect(first.tracks[0]?.genre).toBe('Jazz');
    expect((await getTrending(deps, { period: 'week', genre: 'polka' })).tracks).toEqual([]);

    // A new listener: the cached list stays until the recompute.
    await insertPlay(db, jazz, hoursAgo(1), { ip: 4001 });
    expect((await getTrending(deps, { period: 'week', genre: 'jazz' })).tracks[0]?.score).toBe(first.tracks[0]?.score);
    await recomputeTrending(deps);
    const second = await getTrending(deps, { period: 'week', genre: 'jazz' });
    expect(second.tracks[0]!.score).toBeGreaterThan(first.tracks[0]!.score);

    // Made private: gone at the next read of the database.
    await db.updateTable('tracks').set({ visibility: 'private' }).where('id', '=', jazz.id).execute();
    await recomputeTrending(deps);
    expect((await getTrending(deps, { period: 'week', genre: 'jazz' })).tracks).toEqual([]);
  });

  it('refuses bad queries', async () => {
    await expect(getTrending(deps, { period: 'month' })).rejects.toMatchObject({ status: 400 });
    await expect(getTrending(deps, { genre: 'x'.repeat(51) })).rejects.toMatchObject({ status: 400 });
    await expect(getTrending(deps, { limit: 0 })).rejects.toMatchObject({ status: 400 });
  });
});
