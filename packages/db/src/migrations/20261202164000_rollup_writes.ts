import { sql, type Kysely } from 'kysely';

/**
 * The daily rollup's writes (docs/performance.md, "Rollup and trending recompute"):
 * - `track_daily_stats` loses its two foreign keys. Each was a per-row check on every row the
 *   rollup writes (100,000 rows a day at the benchmark's scale, two lookups each: about a fifth of
 *   the rollup's time). The rows of a deleted track still go with it: a trigger on `tracks` does
 *   what the cascade did (and an account's deletion deletes its tracks, so its rows go too).
 *   Readers join `tracks`; a row written for a track deleted while its day was being rolled is
 *   removed as stale by the next roll of that day.
 * - `deleted_track_events` gets an index on the listener of accounts (positive keys), so an
 *   account's deletion finds its rows there (docs/architecture.md, "Insights and trending").
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table track_daily_stats drop constraint track_daily_stats_track_id_fkey`.execute(db);
  await sql`alter table track_daily_stats drop constraint track_daily_stats_owner_user_id_fkey`.execute(db);
  await sql`create function earshot_track_daily_stats_gone() returns trigger language plpgsql as $$
    begin
      delete from track_daily_stats where track_id = old.id;
      return null;
    end $$`.execute(db);
  await sql`create trigger tracks_daily_stats_gone after delete on tracks
    for each row execute function earshot_track_daily_stats_gone()`.execute(db);
  await sql`delete from track_daily_stats s where not exists (select 1 from tracks t where t.id = s.track_id)`.execute(
    db,
  );
  await sql`create index deleted_track_events_listener_idx on deleted_track_events (listener) where listener > 0`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index deleted_track_events_listener_idx`.execute(db);
  await sql`drop trigger tracks_daily_stats_gone on tracks`.execute(db);
  await sql`drop function earshot_track_daily_stats_gone()`.execute(db);
  await sql`delete from track_daily_stats s where not exists (select 1 from tracks t where t.id = s.track_id)
    or not exists (select 1 from users u where u.id = s.owner_user_id)`.execute(db);
  await sql`alter table track_daily_stats add constraint track_daily_stats_track_id_fkey
    foreign key (track_id) references tracks (id) on delete cascade`.execute(db);
  await sql`alter table track_daily_stats add constraint track_daily_stats_owner_user_id_fkey
    foreign key (owner_user_id) references users (id) on delete cascade`.execute(db);
}
