/**
 * Trending read benchmark (docs/architecture.md, "Performance budgets"; docs/performance.md):
 * `GET /api/v1/trending` of the real API next to a bare Fastify route sending the same cached list
 * (the same cache, the same key), loaded in turn by autocannon on loopback. Budget: the API reaches
 * ≥ 50% of the bare route's requests/s, with p99 < 50 ms.
 *
 *   npm run bench:trending          # BENCH_SECONDS=10 BENCH_CONNECTIONS=16 (DATABASE_URL: PostgreSQL)
 */
import { sql } from 'kysely';
import { getTrendingJson, recomputeTrending } from '@earshot/core';
import { runApiVsBare } from '../lib/api-vs-bare.ts';
import { ensureBenchPrerequisites } from '../lib/prerequisites.ts';

const TRACKS = 500;

ensureBenchPrerequisites('trending');
await runApiVsBare({
  name: 'trending',
  database: 'configured',
  async seed(db, config, infra) {
    // 500 listed tracks with plays over the last day: a full list of 50.
    const user = await db
      .insertInto('users')
      .values({
        email: 't@example.com',
        handle: 'trender',
        display_name: 'Trender',
        password_hash: 'x',
        role: 'artist',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`insert into tracks (owner_user_id, title, slug, genre) select ${user.id}, 'Track ' || i, 't' || i, case when i % 2 = 0 then 'ambient' else 'techno' end from generate_series(1, ${TRACKS}::int) i`.execute(
      db,
    );
    await sql`insert into track_versions (track_id, status, original_key, original_filename, original_size_bytes, duration_ms, hls_key, steps)
        select id, 'ready', 'k' || id, 'a.flac', 1, 180000, 'version-' || id || '/playlist.m3u8', '{}' from tracks`.execute(
      db,
    );
    await sql`update tracks t set current_version_id = v.id from track_versions v where v.track_id = t.id`.execute(db);
    await sql`insert into plays (track_id, version_id, ip_hash, seconds_listened, created_at)
        select v.track_id, v.id, md5(g::text) || md5((g + 1)::text), 60, now() - (g % 1440) * interval '1 minute'
        from track_versions v cross join generate_series(1, 20) g where (v.track_id + g) % 3 <> 0`.execute(db);
    await recomputeTrending({ db, cache: infra.cache, clock: () => new Date() });
    return {
      apiPath: '/api/v1/trending',
      // The baseline: the same cached text, the same cache, no plugins, no schema, no access check.
      bare: async (reply) =>
        reply.type('application/json; charset=utf-8').send(await getTrendingJson({ db, cache: infra.cache }, {})),
      describe: async (origin) => {
        const body = await (await fetch(`${origin}/api/v1/trending`)).text();
        return `cache: ${config.redis.url ? 'Redis' : 'memory'}; list of ${JSON.parse(body).tracks.length} tracks (${body.length} bytes)`;
      },
    };
  },
});
