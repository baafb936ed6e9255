/**
 * Rollup and trending benchmark on PostgreSQL (docs/architecture.md, "Performance budgets";
 * docs/performance.md):
 * 1. one day of BENCH_PLAYS plays (default 1,000,000) over BENCH_TRACKS tracks (default 100,000):
 *    `rollupInsightsDay` (per-track, per-artist and reach rows, in one transaction) next to a single
 *    hand-written `INSERT … SELECT … GROUP BY` of the per-track play figures over the same rows,
 *    alternated, best of BENCH_ROUNDS (2), each writing the day's rows afresh (the day's rows
 *    deleted, the baseline's table emptied, before each round, untimed). Budget: ≤ 2× the
 *    hand-written statement. Then one more `rollupInsightsDay` of the same day with nothing
 *    changed: what the 5-minute job does to a day most of whose rows are as they were.
 * 2. `recomputeTrending` (both periods) over the day's plays (yesterday) plus BENCH_TRENDING_PLAYS
 *    more (default 2,000,000) spread over the last 7 days. Budget: < 30 s for 10,000,000 plays (BENCH_TRENDING_PLAYS=10000000).
 *
 *   npm run bench:rollup
 */
import os from 'node:os';
import { sql, type Kysely } from 'kysely';
import { createDatabase, migrateToLatest, type Database } from '@earshot/db';
import { createTestPostgresDatabase } from '@earshot/db/testing';
import { MemoryListCache, recomputeTrending, rollupInsightsDay } from '@earshot/core';
import { ensureBenchPrerequisites } from '../lib/prerequisites.ts';

const PLAYS = Number(process.env.BENCH_PLAYS ?? 1_000_000);
const TRACKS = Number(process.env.BENCH_TRACKS ?? 100_000);
const TRENDING_PLAYS = Number(process.env.BENCH_TRENDING_PLAYS ?? 2_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/** Yesterday (UTC): its plays are inside trending's week too. */
const DAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

async function timed<T>(what: string, f: () => Promise<T>): Promise<number> {
  const t0 = performance.now();
  await f();
  const ms = performance.now() - t0;
  console.error(`  ${what}: ${(ms / 1000).toFixed(2)} s`);
  return ms;
}

/** `count` anonymous plays of random tracks between `from` and `from + spanSeconds`, 200,000 distinct IP hashes. */
async function insertPlays(db: Kysely<Database>, count: number, from: string, spanSeconds: number): Promise<void> {
  const batch = 500_000;
  for (let done = 0; done < count; done += batch) {
    const n = Math.min(batch, count - done);
    await sql`
      insert into plays (track_id, version_id, ip_hash, seconds_listened, created_at, heard_pct)
      select v.track_id, v.id, h.hash, 30 + (g % 200), ${from}::timestamptz + ((g * 7919) % ${spanSeconds}::bigint) * interval '1 second',
        case when g % 4 = 0 then array[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]::smallint[] else null end
      from generate_series(${done + 1}::bigint, ${done + n}::bigint) g
      join track_versions v on v.track_id = (select min(id) from tracks) + ((g * 104729) % ${TRACKS}::bigint)
      cross join lateral (select md5((g % 200000)::text) || md5(((g % 200000) + 1)::text) as hash) h`.execute(db);
  }
}

async function main(): Promise<void> {
  ensureBenchPrerequisites('rollup');
  const pg = await createTestPostgresDatabase('bench_rollup');
  const handle = await createDatabase({ url: pg.url, poolMin: 0, poolMax: 4, pgliteDir: '' });
  const db = handle.db;
  try {
    await migrateToLatest(db);
    console.error(`seeding ${TRACKS} tracks, ${PLAYS} plays on ${DAY}…`);
    await sql`insert into users (email, handle, display_name, password_hash, role)
      select 'a' || i || '@example.com', 'artist' || i, 'Artist ' || i, 'x', 'artist' from generate_series(1, 1000) i`.execute(
      db,
    );
    await sql`insert into tracks (owner_user_id, title, slug, genre)
      select (select min(id) from users) + (i % 1000), 'Track ' || i, 't' || i, 'g' || (i % 20) from generate_series(1, ${TRACKS}::int) i`.execute(
      db,
    );
    await sql`insert into track_versions (track_id, status, original_key, original_filename, original_size_bytes, duration_ms, hls_key, steps)
      select id, 'ready', 'k' || id, 'a.flac', 1, 180000, 'version-' || id || '/playlist.m3u8', '{}' from tracks`.execute(
      db,
    );
    await sql`update tracks t set current_version_id = v.id from track_versions v where v.track_id = t.id`.execute(db);
    await insertPlays(db, PLAYS, `${DAY}T00:00:00Z`, 86_399);
    await sql`analyze`.execute(db);

    const deps = { db, clock: () => new Date(`${DAY}T23:00:00Z`), playsRetentionDays: 90 };
    await sql`create table hand_rollup (day date, track_id bigint, plays int, listeners int, seconds_heard float8, primary key (day, track_id))`.execute(
      db,
    );
    // The same session settings as the rollup (JIT off, work_mem): the statements are compared, not the settings.
    const handWritten = () =>
      db.transaction().execute(async (trx) => {
        await sql`set local jit = off`.execute(trx);
        await sql`set local work_mem = '160MB'`.execute(trx);
        await sql`insert into hand_rollup (day, track_id, plays, listeners, seconds_heard)
        select ${DAY}::date, track_id, count(*), count(distinct coalesce('u' || user_id::text, 'i' || ip_hash)), sum(seconds_listened)
        from plays where created_at >= ${DAY}::timestamptz and created_at < ${DAY}::timestamptz + interval '1 day'
        group by track_id
        on conflict (day, track_id) do update set plays = excluded.plays, listeners = excluded.listeners, seconds_heard = excluded.seconds_heard`.execute(
          trx,
        );
      });
    const hand: number[] = [];
    const ours: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await sql`truncate hand_rollup`.execute(db);
      hand.push(await timed(`hand-written INSERT … SELECT … GROUP BY, round ${round + 1}`, handWritten));
      await sql`delete from track_daily_stats where day = ${DAY}::date`.execute(db);
      await sql`delete from artist_daily_stats where day = ${DAY}::date`.execute(db);
      await sql`vacuum track_daily_stats, artist_daily_stats`.execute(db);
      ours.push(await timed(`rollupInsightsDay, round ${round + 1}`, () => rollupInsightsDay(deps, DAY)));
    }
    const rerun = await timed('rollupInsightsDay again, nothing changed', () => rollupInsightsDay(deps, DAY));
    const rows = await sql<{
      n: number;
    }>`select count(*)::int as n from track_daily_stats where day = ${DAY}::date`.execute(db);

    console.error(`seeding ${TRENDING_PLAYS} plays over the last 7 days for trending…`);
    const now = new Date();
    await insertPlays(db, TRENDING_PLAYS, new Date(now.getTime() - 7 * 86_400_000).toISOString(), 7 * 86_400 - 60);
    await sql`analyze plays`.execute(db);
    const trending = await timed('recomputeTrending (day and week)', () =>
      recomputeTrending({ db, cache: new MemoryListCache(), clock: () => now }),
    );

    const best = (xs: number[]) => Math.min(...xs);
    const load = os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ');
    console.log(`load average at the end (1, 5, 15 min): ${load} on ${os.cpus().length} CPUs`);
    console.log(
      `PostgreSQL; ${PLAYS.toLocaleString('en')} plays of one day over ${TRACKS.toLocaleString('en')} tracks (${rows.rows[0]!.n.toLocaleString('en')} track rows); best of ${ROUNDS}`,
    );
    console.log('| step | time |\n|---|---|');
    console.log(
      `| hand-written \`INSERT … SELECT … GROUP BY\` (per-track play figures only) | ${(best(hand) / 1000).toFixed(2)} s |`,
    );
    console.log(
      `| \`rollupInsightsDay\` (per track + per artist + reach, all sources, one transaction) | ${(best(ours) / 1000).toFixed(2)} s |`,
    );
    console.log(`| \`rollupInsightsDay\` again, nothing changed | ${(rerun / 1000).toFixed(2)} s |`);
    console.log(
      `| \`recomputeTrending\` (day and week) over ${(TRENDING_PLAYS + PLAYS).toLocaleString('en')} plays, all within the last 7 days | ${(trending / 1000).toFixed(2)} s |`,
    );
    console.log(
      `rollup / hand-written = ${(best(ours) / best(hand)).toFixed(2)}× (budget ≤ 2×); trending ${(trending / 1000).toFixed(1)} s (budget < 30 s at 10,000,000 plays)`,
    );
  } finally {
    await handle.close();
    // BENCH_KEEP=1 keeps the database for EXPLAIN ANALYZE (its name is printed).
    if (process.env.BENCH_KEEP === '1') console.error(`kept database ${pg.name}`);
    else await pg.drop();
  }
}

await main();
