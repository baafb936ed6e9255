import { sql, type Kysely } from 'kysely';

/**
 * What a deleted track leaves in its artist's daily figures (docs/architecture.md, "Insights and
 * trending"): deleting a track cascades its plays, likes, reposts and comments, and the rollup
 * recomputes a day from those rows, so without this the artist's totals of every day still
 * recomputed (today, the retention window) would drop the track's share. On deletion its events
 * are folded per UTC day, kind and listener (the account, else a 64-bit key of the IP hash: the
 * listener key of the rollup, so distinct listeners over an artist's tracks stay exact); the
 * rollup reads them with the live events. Rows older than the plays' retention are pruned with
 * the plays.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('deleted_track_events')
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('artist_user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('play', 'like', 'repost', 'comment', 'download')`))
    // Plays only: the listener key; null for the other kinds.
    .addColumn('listener', 'bigint')
    .addColumn('events', 'integer', (c) => c.notNull().check(sql`events > 0`))
    .addColumn('seconds', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('ranged', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`create index deleted_track_events_day_idx on deleted_track_events (day)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('deleted_track_events').execute();
}
