/**
 * The daily rollup on PGlite and PostgreSQL, with a test clock: per-track and per-artist rows of
 * one day, unique listeners by account else IP hash, reruns give the same rows, catch-up after
 * downtime, backfill on the first run, raw plays deleted after the retention period.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database, DatabaseHandle } from '@earshot/db';
import { deleteAccount, deleteTrack, rollupInsightsDay, runRollup } from '../../src/index.ts';
import { BACKENDS, insertPlay, insertTrack, insertUser, openMigrated, testClock } from './support.ts';

describe.each(BACKENDS)('rollup on %s', (_name, open) => {
  let handle: DatabaseHandle;
  let drop: (() => Promise<void>) | undefined;
  let db: Kysely<Database>;

  beforeAll(async () => {
    ({ handle, drop } = await openMigrated(open));
    db = handle.db;
  });
  afterAll(async () => {
    await handle?.close();
    await drop?.();
  });

  const trackRows = (trackId: string) =>
    db.selectFrom('track_daily_stats').selectAll().where('track_id', '=', trackId).orderBy('day').execute();

  /** The rollup's deps on a test clock set at `now`; an artist with a track of each name, and a fan. */
  const artistAndFan = async <Name extends string>(now: string, playsRetentionDays: number, trackNames: Name[]) => {
    const clock = testClock(now);
    const artist = await insertUser(db, 'artist');
    const fan = await insertUser(db);
    const tracks = {} as Record<Name, Awaited<ReturnType<typeof insertTrack>>>;
    for (const name of trackNames) tracks[name] = await insertTrack(db, artist);
    return { clock, deps: { db, clock: clock.now, playsRetentionDays }, artist, fan, tracks };
  };

  /** The artist deletes their track (the store has nothing of it). */
  const deleteAsArtist = (clock: { now: () => Date }, artist: string, trackId: string) =>
    deleteTrack(
      { db, store: { deletePrefix: async () => 0 }, clock: clock.now },
      { id: artist, role: 'artist' },
      trackId,
    );

  it('folds one day into per-track and per-artist rows, the same on every rerun', async () => {
    const { deps, artist, fan, tracks } = await artistAndFan('2026-06-10T12:00:00Z', 90, ['a', 'b']);
    const { a, b } = tracks;
    // Track a: the fan twice (one listener), two anonymous IPs, one IP twice; one play the day before, one the day after.
    await insertPlay(db, a, '2026-06-09T00:00:00Z', { userId: fan }, { seconds: 40 });
    await insertPlay(db, a, '2026-06-09T10:00:00Z', { userId: fan }, { seconds: 60 });
    await insertPlay(db, a, '2026-06-09T11:00:00Z', { ip: 7 }, { seconds: 30 });
    await insertPlay(db, a, '2026-06-09T12:00:00Z', { ip: 7 }, { seconds: 30, heardPct: [0, 1, 2] });
    await insertPlay(db, a, '2026-06-09T23:59:59.999Z', { ip: 8 }, { seconds: 50, heardPct: [0, 1] });
    await insertPlay(db, a, '2026-06-08T23:59:59Z', { ip: 9 });
    await insertPlay(db, a, '2026-06-10T00:00:00Z', { ip: 9 });
    // Track b: the same fan and IP 7 (the artist has 3 listeners over both tracks, not 4).
    await insertPlay(db, b, '2026-06-09T05:00:00Z', { userId: fan }, { seconds: 100 });
    await insertPlay(db, b, '2026-06-09T06:00:00Z', { ip: 7 }, { seconds: 100 });

    await rollupInsightsDay(deps, '2026-06-09');
    const first = await trackRows(a.id);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      track_id: a.id,
      owner_user_id: artist,
      plays: 5,
      listeners: 3,
      seconds_heard: 210,
      ranged_plays: 2,
    });
    const artistRow = await db
      .selectFrom('artist_daily_stats')
      .selectAll()
      .where('artist_user_id', '=', artist)
      .executeTakeFirstOrThrow();
    expect(artistRow).toMatchObject({ plays: 7, listeners: 3, seconds_heard: 410 });
    expect(first[0]).toMatchObject({ reach_buckets: [0, 1, 2], reach_plays: [2, 2, 1] });
    expect(
      await db
        .selectFrom('track_daily_stats')
        .select(['reach_buckets', 'reach_plays'])
        .where('track_id', '=', b.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ reach_buckets: [], reach_plays: [] });

    // Rerun: same rows. One more play, rerun: replaced, not added to.
    await rollupInsightsDay(deps, '2026-06-09');
    expect((await trackRows(a.id)).map((r) => r.plays)).toEqual([5]);
    // It heard the same buckets as an earlier play: the two count together in the reach.
    await insertPlay(db, a, '2026-06-09T13:00:00Z', { ip: 10 }, { heardPct: [0, 1] });
    await rollupInsightsDay(deps, '2026-06-09');
    await rollupInsightsDay(deps, '2026-06-09');
    expect((await trackRows(a.id))[0]).toMatchObject({
      plays: 6,
      listeners: 4,
      ranged_plays: 3,
      reach_buckets: [0, 1, 2],
      reach_plays: [3, 3, 1],
    });
    // A day whose events are gone loses its rows.
    await db.deleteFrom('plays').where('track_id', '=', b.id).execute();
    await rollupInsightsDay(deps, '2026-06-09');
    expect(await trackRows(b.id)).toEqual([]);
  });

  it('counts likes, reposts, shown comments, downloads and paid sales (revenue after the fee) of the day', async () => {
    const deps = { db, clock: () => new Date('2026-06-20T12:00:00Z'), playsRetentionDays: 90 };
    const artist = await insertUser(db, 'artist');
    const fan = await insertUser(db);
    const t = await insertTrack(db, artist);
    const at = '2026-06-20T10:00:00Z';
    await db
      .insertInto('likes')
      .values([
        { user_id: fan, track_id: t.id, created_at: at },
        { user_id: artist, track_id: t.id, created_at: '2026-06-19T10:00:00Z' },
      ])
      .execute();
    await db.insertInto('reposts').values({ user_id: fan, track_id: t.id, created_at: at }).execute();
    await db
      .insertInto('comments')
      .values([
        { user_id: fan, track_id: t.id, body: 'a', position_ms: 0, created_at: at },
        { user_id: fan, track_id: t.id, body: 'b', position_ms: 0, created_at: at, deleted_at: new Date(at) },
      ])
      .execute();
    await db
      .insertInto('download_events')
      .values([
        { track_id: t.id, user_id: fan, format: 'flac', created_at: at },
        { track_id: t.id, user_id: fan, format: 'mp3-320', created_at: at },
      ])
      .execute();
    const order = {
      item_type: 'track' as const,
      track_id: t.id,
      seller_user_id: artist,
      buyer_email: 'b@example.test',
      amount_minor: 1000,
      platform_fee_minor: 100,
      currency: 'EUR',
      paid_at: new Date(at),
    };
    await db
      .insertInto('orders')
      .values([
        { ...order, status: 'paid' },
        { ...order, status: 'refunded' },
        { ...order, status: 'pending', paid_at: null },
      ])
      .execute();
    await rollupInsightsDay(deps, '2026-06-20');
    expect((await trackRows(t.id))[0]).toMatchObject({
      plays: 0,
      likes: 1,
      reposts: 1,
      comments: 1,
      downloads: 2,
      sales: 1,
      revenue_minor: '900',
    });
    expect(
      await db
        .selectFrom('artist_daily_stats')
        .select(['likes', 'sales', 'revenue_minor'])
        .where('artist_user_id', '=', artist)
        .where('day', '=', '2026-06-20')
        .executeTakeFirstOrThrow(),
    ).toEqual({
      likes: 1,
      sales: 1,
      revenue_minor: '900',
    });
  });

  it("keeps a deleted track's share of its artist's daily figures when the day is rolled again", async () => {
    const { clock, deps, artist, fan, tracks } = await artistAndFan('2026-07-02T12:00:00Z', 30, ['gone', 'kept']);
    const { gone, kept } = tracks;
    // The fan on both tracks (one listener for the artist), IP 21 only on the track deleted below.
    await insertPlay(db, gone, '2026-07-01T08:00:00Z', { userId: fan }, { seconds: 40, heardPct: [0, 1] });
    await insertPlay(db, gone, '2026-07-01T09:00:00Z', { ip: 21 }, { seconds: 50 });
    await insertPlay(db, gone, '2026-07-01T10:00:00Z', { ip: 21 }, { seconds: 60 });
    await insertPlay(db, gone, '2026-07-02T10:00:00Z', { ip: 22 }, { seconds: 70 });
    await insertPlay(db, kept, '2026-07-01T11:00:00Z', { userId: fan }, { seconds: 100 });
    await db
      .insertInto('likes')
      .values({ user_id: fan, track_id: gone.id, created_at: '2026-07-01T12:00:00Z' })
      .execute();
    const artistDays = () =>
      db
        .selectFrom('artist_daily_stats')
        .select(['day', 'plays', 'listeners', 'seconds_heard', 'likes', 'ranged_plays'])
        .where('artist_user_id', '=', artist)
        .orderBy('day')
        .execute();
    await rollupInsightsDay(deps, '2026-07-01');
    await rollupInsightsDay(deps, '2026-07-02');
    const before = await artistDays();
    expect(before.map((r) => [r.plays, r.listeners, r.seconds_heard, r.likes, r.ranged_plays])).toEqual([
      [4, 2, 250, 1, 1],
      [1, 1, 70, 0, 0],
    ]);

    await deleteAsArtist(clock, artist, gone.id);
    expect(await db.selectFrom('plays').select('id').where('track_id', '=', gone.id).execute()).toEqual([]);
    // Both days rolled again (twice: idempotent): the artist's rows are what they were; the track's rows are gone.
    for (let i = 0; i < 2; i++) {
      await rollupInsightsDay(deps, '2026-07-01');
      await rollupInsightsDay(deps, '2026-07-02');
    }
    expect(await artistDays()).toEqual(before);
    expect(await trackRows(gone.id)).toEqual([]);
    expect((await trackRows(kept.id)).map((r) => r.plays)).toEqual([1]);

    // Past the retention horizon the folded events go, like plays; the artist's rows stay.
    clock.set('2026-08-15T00:00:00Z');
    await runRollup(deps);
    expect(
      await db.selectFrom('deleted_track_events').select('day').where('artist_user_id', '=', artist).execute(),
    ).toEqual([]);
    expect((await artistDays()).slice(0, 2)).toEqual(before);
  });

  it("drops a deleted account's id from a deleted track's folded plays, the artist's figures unchanged", async () => {
    const { clock, deps, artist, fan, tracks } = await artistAndFan('2026-07-12T12:00:00Z', 30, ['gone']);
    const { gone } = tracks;
    await insertPlay(db, gone, '2026-07-12T08:00:00Z', { userId: fan }, { seconds: 40 });
    await insertPlay(db, gone, '2026-07-12T09:00:00Z', { userId: fan }, { seconds: 50 });
    await insertPlay(db, gone, '2026-07-12T10:00:00Z', { ip: 31 }, { seconds: 60 });
    const artistDay = () =>
      db
        .selectFrom('artist_daily_stats')
        .select(['plays', 'listeners', 'seconds_heard'])
        .where('artist_user_id', '=', artist)
        .execute();
    await rollupInsightsDay(deps, '2026-07-12');
    const before = await artistDay();
    expect(before).toEqual([{ plays: 3, listeners: 2, seconds_heard: 150 }]);
    await deleteAsArtist(clock, artist, gone.id);
    const folded = () =>
      db
        .selectFrom('deleted_track_events')
        .select(['listener', 'events'])
        .where('artist_user_id', '=', artist)
        .orderBy('events')
        .execute();
    expect((await folded()).map((r) => r.listener)).toContain(fan);

    await deleteAccount(
      { db, store: { delete: async () => {}, deletePrefix: async () => 0 }, passwords: { verify: async () => true } },
      { id: fan, role: 'listener' },
      'password',
    );
    const after = await folded();
    expect(after.map((r) => r.events)).toEqual([1, 2]);
    expect(after.map((r) => r.listener)).not.toContain(fan);
    // The stand-in is no account's id (negative, like an anonymous listener's key).
    expect(after.every((r) => r.listener !== null && BigInt(r.listener) < 0n)).toBe(true);
    await rollupInsightsDay(deps, '2026-07-12');
    expect(await artistDay()).toEqual(before);
  });

  it('refuses a malformed day', async () => {
    const deps = { db, clock: () => new Date('2026-06-10T00:00:00Z'), playsRetentionDays: 90 };
    for (const day of ['2026-13-45', 'yesterday', '2026-02-30', "2026-01-01'; drop table plays; --"]) {
      await expect(rollupInsightsDay(deps, day)).rejects.toMatchObject({ status: 400 });
    }
  });

  it('backfills on the first run, catches up after downtime, then deletes plays past retention', async () => {
    const artist = await insertUser(db, 'artist');
    const t = await insertTrack(db, artist);
    await db.deleteFrom('plays').execute();
    await db.deleteFrom('track_daily_stats').execute();
    await db.deleteFrom('rollup_progress').execute();
    await insertPlay(db, t, '2026-03-01T10:00:00Z', { ip: 1 });
    await insertPlay(db, t, '2026-03-03T10:00:00Z', { ip: 2 });
    const clock = testClock('2026-03-04T08:00:00Z');
    const deps = { db, clock: clock.now, playsRetentionDays: 30 };

    // First run: from the oldest play through today.
    const first = await runRollup(deps);
    expect(first.days).toEqual(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04']);
    expect((await trackRows(t.id)).map((r) => [r.day, r.plays])).toEqual([
      [expect.anything(), 1],
      [expect.anything(), 1],
    ]);

    // Down for four days; plays kept coming.
    await insertPlay(db, t, '2026-03-05T10:00:00Z', { ip: 3 });
    await insertPlay(db, t, '2026-03-07T10:00:00Z', { ip: 4 });
    clock.set('2026-03-08T00:10:00Z');
    const second = await runRollup(deps);
    expect(second.days).toEqual(['2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08']);
    expect(await trackRows(t.id)).toHaveLength(4);

    // Later: the first plays are past 30 days; they go, their daily rows stay, and the days
    // before the horizon are never recomputed (which would zero them).
    clock.set('2026-04-03T12:00:00Z');
    const third = await runRollup(deps);
    expect(third.deletedPlays).toBe(2);
    expect(await db.selectFrom('plays').select('created_at').where('track_id', '=', t.id).execute()).toHaveLength(2);
    expect(await rollupInsightsDay(deps, '2026-03-01')).toBe(false);
    expect((await trackRows(t.id)).map((r) => r.plays)).toEqual([1, 1, 1, 1]);
  });
});
