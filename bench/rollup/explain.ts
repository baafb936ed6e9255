/**
 * EXPLAIN (ANALYZE, BUFFERS) of what `rollupInsightsDay` and the hand-written baseline run, on a
 * database kept by `BENCH_KEEP=1 npm run bench:rollup`:
 *
 *   BENCH_DB=<kept database name> npx tsx bench/rollup/explain.ts
 *
 * (`FRESH=1`: the day's rows deleted first, as in the bench's timed rounds; `WORK_MEM=…`.)
 *
 * Every statement runs in a transaction that is rolled back, so the database stays as it was.
 */
import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import type { Database } from '@earshot/db';
import { rollupInsightsDay } from '@earshot/core';

const name = process.env.BENCH_DB;
if (!name) throw new Error('BENCH_DB=<database kept by BENCH_KEEP=1 npm run bench:rollup>');
const admin = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const url = new URL(admin);
url.pathname = `/${name}`;
const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
const seen: CompiledQuery[] = [];
const db = new Kysely<Database>({
  dialect: new PostgresDialect({ pool }),
  log: (e) => {
    if (e.level === 'query') seen.push(e.query);
  },
});
const day = (await sql<{ d: string }>`select (max(day))::text as d from track_daily_stats`.execute(db)).rows[0]!.d;
seen.length = 0;
await rollupInsightsDay({ db, clock: () => new Date(`${day}T23:00:00Z`), playsRetentionDays: 90 }, day);
const statements = seen.filter((q) => /insert|delete/i.test(q.sql));
const client = await pool.connect();
/** The session settings `rollupInsightsDay` (and the bench's baseline) run with; `WORK_MEM=…` to try another. */
async function settings(): Promise<void> {
  await client.query('set local jit = off');
  await client.query(`set local work_mem = '${process.env.WORK_MEM ?? '160MB'}'`);
  await client.query('set local enable_nestloop = off');
}
try {
  for (const q of statements) {
    await client.query('begin');
    await settings();
    // FRESH=1: the day's rows deleted first (in the same rolled-back transaction), as in the bench's timed rounds.
    if (process.env.FRESH === '1') {
      await client.query('delete from track_daily_stats where day = $1::date', [day]);
      await client.query('delete from artist_daily_stats where day = $1::date', [day]);
    }
    const plan = await client.query(`explain (analyze, buffers) ${q.sql}`, [...q.parameters]);
    await client.query('rollback');
    console.log(`\n=== ${q.sql.replace(/\s+/g, ' ').slice(0, 100)}…`);
    for (const row of plan.rows) console.log(row['QUERY PLAN']);
  }
  await client.query('begin');
  await settings();
  const hand = await client.query(
    `explain (analyze, buffers) insert into hand_rollup (day, track_id, plays, listeners, seconds_heard)
    select $1::date, track_id, count(*), count(distinct coalesce('u' || user_id::text, 'i' || ip_hash)), sum(seconds_listened)
    from plays where created_at >= $1::timestamptz and created_at < $1::timestamptz + interval '1 day'
    group by track_id
    on conflict (day, track_id) do update set plays = excluded.plays, listeners = excluded.listeners, seconds_heard = excluded.seconds_heard`,
    [day],
  );
  await client.query('rollback');
  console.log('\n=== hand-written');
  for (const row of hand.rows) console.log(row['QUERY PLAN']);
} finally {
  client.release();
  await db.destroy();
}
