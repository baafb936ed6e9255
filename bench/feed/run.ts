/**
 * `GET /api/v1/feed` of a user following 500 accounts, among 1,000 artists with 100,000 tracks
 * (30,000 of them on 3,000 albums), 1,000,000 likes and 20,000 reposts, against a bare Fastify route calling the same core query
 * (docs/performance.md). The API call is signed in (Bearer): the session check is part of its cost.
 *
 *   npm run bench:feed     # BENCH_SECONDS=10 BENCH_CONNECTIONS=16; DATABASE_URL or a fresh local PostgreSQL database
 */
import { CompiledQuery, type Kysely, sql } from 'kysely';
import type { Database } from '@earshot/db';
import { feedQuery, getFeed, SessionTokens } from '@earshot/core';
import { ensureBenchPrerequisites } from '../lib/prerequisites.ts';
import { runApiVsBare } from '../lib/api-vs-bare.ts';

const ARTISTS = 1000;
const TRACKS = Number(process.env.BENCH_TRACKS ?? 100_000);
const LISTENERS = 10_000;
const LIKES_EACH = Number(process.env.BENCH_LIKES_EACH ?? 100);

async function main(): Promise<void> {
  ensureBenchPrerequisites('feed');
  await runApiVsBare({
    name: 'feed',
    async seed(db, config) {
      // BENCH_SEEDED=1: DATABASE_URL already holds the seed of an earlier run (measuring again, EXPLAIN).
      const reader =
        process.env.BENCH_SEEDED === '1'
          ? await db.selectFrom('users').select('id').where('handle', '=', 'reader').executeTakeFirstOrThrow()
          : await seed(db);
      // Where the time goes: the plan of the first page, as getFeed runs it.
      const q = feedQuery(reader.id, { limit: 20, now: new Date() }).compile(db);
      const plan = await db.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`explain (analyze, buffers) ${q.sql}`, [...q.parameters]),
      );
      if (process.env.BENCH_EXPLAIN) console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
      const tokens = new SessionTokens(config.auth.jwtSecret, config.auth.jwtExpiresInSeconds);
      const { token } = await tokens.sign({ userId: reader.id, tokenVersion: 0 });
      return {
        apiPath: '/api/v1/feed?limit=20',
        headers: { authorization: `Bearer ${token}` },
        bare: () => getFeed({ db }, reader.id, { limit: 20 }),
      };
    },
  });
}

async function seed(db: Kysely<Database>): Promise<{ id: string }> {
  const reader = await db
    .insertInto('users')
    .values({ email: 'reader@example.com', handle: 'reader', display_name: 'Reader', password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`insert into users (email, handle, display_name, password_hash, role) select 'a' || i || '@example.com', 'artist' || i, 'Artist ' || i, 'x', 'artist' from generate_series(1, ${ARTISTS}) i`.execute(
    db,
  );
  await sql`insert into users (email, handle, display_name, password_hash) select 'l' || i || '@example.com', 'listener' || i, 'Listener ' || i, 'x' from generate_series(1, ${LISTENERS}) i`.execute(
    db,
  );
  const {
    rows: [range],
  } = await sql<{
    lo: string;
    hi: string;
  }>`select min(id) as lo, max(id) as hi from users where role = 'artist'`.execute(db);
  const lo = Number(range!.lo);
  // Tracks spread over the artists and over the last year; each with a ready current version.
  await sql`insert into tracks (owner_user_id, title, slug, created_at)
        select ${lo} + (i % ${ARTISTS}), 'Track ' || i, 'track-' || i, now() - make_interval(secs => (i * 317) % 31536000) from generate_series(1, ${TRACKS}) i`.execute(
    db,
  );
  await sql`insert into track_versions (track_id, status, original_key, original_filename, original_size_bytes, duration_ms, hls_key, steps)
        select id, 'ready', 'k', 'a.flac', 1, 180000, 'version-' || id || '/playlist.m3u8', '{}' from tracks`.execute(
    db,
  );
  await sql`update tracks t set current_version_id = v.id from track_versions v where v.track_id = t.id`.execute(db);
  // The reader follows every other artist (500).
  await sql`insert into follows (follower_id, followee_id) select ${reader.id}, id from users where role = 'artist' and id % 2 = 0`.execute(
    db,
  );
  const {
    rows: [tr],
  } = await sql<{ lo: string }>`select min(id) as lo from tracks`.execute(db);
  const tlo = Number(tr!.lo);
  await sql`insert into likes (user_id, track_id)
        select u.id, ${tlo} + ((u.id * 7919 + k * 104729) % ${TRACKS}) from users u cross join generate_series(1, ${LIKES_EACH}) k where u.role = 'listener'
        on conflict do nothing`.execute(db);
  await sql`insert into reposts (user_id, track_id, created_at)
        select ${lo} + (i % ${ARTISTS}), ${tlo} + ((i * 7907) % ${TRACKS}), now() - make_interval(secs => (i * 613) % 31536000) from generate_series(1, 20000) i
        on conflict do nothing`.execute(db);
  await sql`update tracks t set like_count = x.n from (select track_id, count(*) n from likes group by track_id) x where x.track_id = t.id`.execute(
    db,
  );
  // Three albums of ten tracks per artist, over the year: their tracks come in the feed as the album.
  await sql`insert into releases (owner_user_id, title, slug, type, created_at)
        select u.id, 'Album ' || r, 'album-' || r, 'album', now() - make_interval(secs => (u.id * 7919 + r * 8640000) % 31536000)
        from users u cross join generate_series(1, 3) r where u.role = 'artist'`.execute(db);
  await sql`insert into release_tracks (release_id, position, track_id)
        select x.id, row_number() over (partition by x.id order by t.id) - 1, t.id
        from (select id, owner_user_id, row_number() over (partition by owner_user_id order by id) as n from releases) x
        cross join lateral (select id from tracks where owner_user_id = x.owner_user_id order by id offset (x.n - 1) * 10 limit 10) t`.execute(
    db,
  );
  await sql`analyze`.execute(db);
  return reader;
}

await main();
