import { sql, type Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { badRequest } from '../errors.ts';

/** `YYYY-MM-DD` (UTC) of a date. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Recomputes one UTC day of `daily_stats` from the source tables. Idempotent (an upsert of
 * counts, never increments), so reruns and retries are harmless.
 */
export async function rollupDay(db: Kysely<Database>, day: string): Promise<void> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
    throw badRequest(`Invalid day ${day}`);
  const from = `${day}T00:00:00Z`;
  await sql`
    insert into daily_stats (day, new_users, new_artists, uploads, versions_ready, versions_failed, plays, computed_at)
    select ${day}::date,
      (select count(*) from users where created_at >= ${from}::timestamptz and created_at < ${from}::timestamptz + interval '1 day'),
      (select count(*) from users where role = 'artist' and created_at >= ${from}::timestamptz and created_at < ${from}::timestamptz + interval '1 day'),
      (select count(*) from track_versions where created_at >= ${from}::timestamptz and created_at < ${from}::timestamptz + interval '1 day'),
      (select count(*) from track_versions where status = 'ready' and ready_at >= ${from}::timestamptz and ready_at < ${from}::timestamptz + interval '1 day'),
      (select count(*) from track_versions where status = 'failed' and updated_at >= ${from}::timestamptz and updated_at < ${from}::timestamptz + interval '1 day'),
      -- Every row of plays is a counted play (only those are stored).
      (select count(*) from plays where created_at >= ${from}::timestamptz and created_at < ${from}::timestamptz + interval '1 day'),
      now()
    on conflict (day) do update set
      new_users = excluded.new_users, new_artists = excluded.new_artists, uploads = excluded.uploads,
      versions_ready = excluded.versions_ready, versions_failed = excluded.versions_failed, plays = excluded.plays, computed_at = excluded.computed_at
  `.execute(db);
}
