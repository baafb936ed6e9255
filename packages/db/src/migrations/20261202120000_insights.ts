import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * Artist insights and trending (docs/architecture.md, "Insights and trending"):
 * - `track_daily_stats` / `artist_daily_stats`: one row per UTC day per track / per artist, written
 *   by the `analytics-rollup` job (an upsert of counts, never increments, so reruns are harmless).
 *   They outlive the raw plays (PLAYS_RETENTION_DAYS).
 * - `track_daily_stats.reach_buckets` / `reach_plays`: per day and track, how many plays heard each
 *   1% bucket of the track ("where listeners stop"), from `plays.heard_pct` (sparse, sorted).
 * - `plays.heard_pct`: the 1% buckets (0..99) a play actually heard, from the ranges the player
 *   reports; null for reports that sent only seconds.
 * - `trending_scores`: the last trending computation, per period; the API serves it through a cache.
 * - `rollup_progress`: the last day the rollup finished, so it catches up after downtime and
 *   backfills from history on its first run.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const metrics = (t: CreateTableBuilder<string, string>): CreateTableBuilder<string, string> =>
    t
      .addColumn('plays', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('listeners', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('seconds_heard', 'double precision', (c) => c.notNull().defaultTo(0))
      .addColumn('likes', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('reposts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('comments', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('downloads', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('sales', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('revenue_minor', 'bigint', (c) => c.notNull().defaultTo(0))
      // Plays that reported the ranges they heard: the denominator of "where listeners stop".
      .addColumn('ranged_plays', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('computed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`));

  await metrics(
    db.schema
      .createTable('track_daily_stats')
      .addColumn('day', 'date', (c) => c.notNull())
      .addColumn('track_id', 'bigint', (c) => c.notNull().references('tracks.id').onDelete('cascade'))
      .addColumn('owner_user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade')),
  )
    // Where listeners stop, that day: the 1% buckets heard (sorted) and how many ranged plays heard each.
    .addColumn('reach_buckets', sql`smallint[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('reach_plays', sql`integer[]`, (c) =>
      c.notNull().defaultTo(sql`'{}'`).check(sql`cardinality(reach_plays) = cardinality(reach_buckets)`),
    )
    .addPrimaryKeyConstraint('track_daily_stats_pk', ['day', 'track_id'])
    .execute();
  await sql`create index track_daily_stats_track_day_idx on track_daily_stats (track_id, day)`.execute(db);
  await sql`create index track_daily_stats_owner_day_idx on track_daily_stats (owner_user_id, day)`.execute(db);

  await metrics(
    db.schema
      .createTable('artist_daily_stats')
      .addColumn('day', 'date', (c) => c.notNull())
      .addColumn('artist_user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade')),
  )
    .addPrimaryKeyConstraint('artist_daily_stats_pk', ['day', 'artist_user_id'])
    .execute();
  await sql`create index artist_daily_stats_artist_day_idx on artist_daily_stats (artist_user_id, day)`.execute(db);

  await db.schema
    .alterTable('plays')
    .addColumn('heard_pct', sql`smallint[]`, (c) => c.check(sql`cardinality(heard_pct) <= 100`))
    .execute();

  await db.schema
    .createTable('trending_scores')
    .addColumn('period', 'text', (c) => c.notNull().check(sql`period in ('day', 'week')`))
    .addColumn('track_id', 'bigint', (c) => c.notNull().references('tracks.id').onDelete('cascade'))
    .addColumn('genre', 'text')
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('trending_scores_pk', ['period', 'track_id'])
    .execute();
  await sql`create index trending_scores_rank_idx on trending_scores (period, score desc, track_id)`.execute(db);
  await sql`create index trending_scores_genre_rank_idx on trending_scores (period, genre, score desc, track_id)`.execute(
    db,
  );

  await db.schema
    .createTable('rollup_progress')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('through_day', 'date', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rollup_progress').execute();
  await db.schema.dropTable('trending_scores').execute();
  await db.schema.alterTable('plays').dropColumn('heard_pct').execute();
  await db.schema.dropTable('artist_daily_stats').execute();
  await db.schema.dropTable('track_daily_stats').execute();
}
