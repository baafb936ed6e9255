/**
 * Search benchmark (docs/architecture.md, "Performance budgets"): `GET /api/v1/search` of the real
 * API next to a bare Fastify route running the same SQL (core's `search`) on the same PostgreSQL
 * database holding BENCH_TRACKS tracks of BENCH_USERS artists, loaded in turn by autocannon on
 * loopback with queries that carry a typo. Budget: p99 < 50 ms and ≥ 50% of the bare route's req/s.
 *
 *   npm run bench:search      # BENCH_TRACKS=100000 BENCH_USERS=20000 BENCH_SECONDS=10 BENCH_CONNECTIONS=16
 *   BENCH_SEARCH_KEEP=0 npm run bench:search    # no kept candidates: every search runs whole
 *
 * PostgreSQL: DATABASE_URL if set (its data is left as is, the seed added), else a database of its
 * own on the local server, dropped at the end.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { MemoryListCache, search, type ListCache } from '@earshot/core';
import { runApiVsBare } from '../lib/api-vs-bare.ts';
import { ensureBenchPrerequisites } from '../lib/prerequisites.ts';
import { QUERIES } from './queries.ts';

const trackCount = Number(process.env.BENCH_TRACKS ?? 100_000);
const userCount = Number(process.env.BENCH_USERS ?? 20_000);

/**
 * Titles and names of two words from a vocabulary of VOCABULARY words — 30 real ones ("harbour",
 * "lights", …) and made-up ones — so each real word appears in about 2 / VOCABULARY of the titles,
 * as a word does in a varied catalogue; a fifth of the tracks are unlisted or private.
 */
const VOCABULARY = 3_000;
async function seed(db: Kysely<Database>): Promise<void> {
  const words = sql`(select array['harbour','lights','midnight','garden','velvet','river','café','nocturne','echo','drift','salt','static','paper','moon','glass','ember','north','tide','hollow','signal','winter','copper','blue','motel','fever','satellite','orchard','dust','neon','quiet'] a)`;
  const word = (k: ReturnType<typeof sql>) =>
    sql`(case when (${k}) % ${VOCABULARY} < 30 then w.a[1 + (${k}) % ${VOCABULARY}] else substr(md5(((${k}) % ${VOCABULARY})::text), 1, 7) end)`;
  await sql`
    insert into users (email, handle, display_name, password_hash, role)
    select 'bench' || i || '@example.test', 'bench-' || i, initcap(${word(sql`i * 7`)}) || ' ' || initcap(${word(sql`i * 13 + 1`)}), 'x', 'artist'
    from generate_series(1, ${userCount}) i, ${words} w`.execute(db);
  await sql`update users set display_name = 'Mara Sélène' where handle = 'bench-1'`.execute(db);
  await sql`
    insert into tracks (owner_user_id, title, slug, description, genre, tags, visibility)
    select u.lo + (i % ${userCount}),
           initcap(${word(sql`i * 3`)}) || ' ' || initcap(${word(sql`i * 11 + 2`)}),
           'bench-' || i,
           'A piece about ' || ${word(sql`i * 5 + 3`)} || ' and ' || ${word(sql`i * 17 + 4`)},
           (array['ambient','techno','folk','jazz','house'])[1 + i % 5],
           array[${word(sql`i * 19 + 5`)}, (array['sea','night','field recording','live'])[1 + i % 4]],
           (array['public','public','public','unlisted','private'])[1 + i % 5]
    from generate_series(1, ${trackCount}) i, ${words} w, (select min(id) lo from users where handle like 'bench-%') u`.execute(
    db,
  );
  await sql`
    insert into track_versions (track_id, status, original_key, original_filename, original_size_bytes, duration_ms, steps, hls_key, ready_at)
    select id, 'ready', 'version-x/original.wav', 'a.wav', 1, 180000, '{}', 'version-x/playlist.m3u8', now() from tracks where slug like 'bench-%'`.execute(
    db,
  );
  await sql`update tracks t set current_version_id = v.id from track_versions v where v.track_id = t.id and t.slug like 'bench-%'`.execute(
    db,
  );
  // As autovacuum would leave it: the update above left a dead copy of every track row behind.
  await sql`vacuum analyze`.execute(db);
}

/** A cache that keeps nothing (BENCH_SEARCH_KEEP=0). */
const keepNothing: ListCache = {
  get: async () => null,
  set: async () => undefined,
  deletePrefix: async () => undefined,
  close: async () => undefined,
};

ensureBenchPrerequisites('search');
await runApiVsBare({
  name: 'search',
  async seed(db, _config, infra) {
    // BENCH_SEEDED=1: DATABASE_URL already holds the seed of an earlier run (measuring again, EXPLAIN).
    if (process.env.BENCH_SEEDED !== '1') await seed(db);
    // Both routes keep candidates as the API does in production (process memory here: no
    // REDIS_URL); BENCH_SEARCH_KEEP=0 keeps nothing, so every search runs whole.
    const keep = process.env.BENCH_SEARCH_KEEP !== '0';
    if (!keep) infra.searchCache = keepNothing;
    const core = {
      db,
      clock: () => new Date(),
      searchCache: keep ? new MemoryListCache(Date.now, 2_000) : keepNothing,
    };
    return {
      apiPath: '/api/v1/search',
      queries: QUERIES.map((q) => `?q=${encodeURIComponent(q)}&type=track&limit=20`),
      bare: async (_reply, query) => search(core, null, query as { q: string }),
      describe: async () => `${trackCount} tracks / ${userCount} users; queries: ${QUERIES.join(', ')}`,
    };
  },
});
