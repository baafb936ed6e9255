/**
 * Rows written straight into the database for tests and benchmark seeds, with no media behind them
 * and no API in between: a track, a version of it, a playlist. Only what a caller gives differs from the defaults.
 */
import type { Insertable, Kysely } from 'kysely';
import type { Database } from '@earshot/db';

/** A public track of `ownerId` titled and addressed by `slug` unless `fields` say otherwise. */
export function addTrack(
  db: Kysely<Database>,
  ownerId: string,
  slug: string,
  fields: Partial<Omit<Insertable<Database['tracks']>, 'owner_user_id'>> = {},
): Promise<{ id: string }> {
  return db
    .insertInto('tracks')
    .values({ owner_user_id: ownerId, title: slug, slug, ...fields })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** A version row of the track: a ready version of `a.wav` unless `fields` say otherwise. */
export function addTrackVersion(
  db: Kysely<Database>,
  trackId: string,
  fields: Partial<Omit<Insertable<Database['track_versions']>, 'track_id'>> = {},
): Promise<{ id: string }> {
  return db
    .insertInto('track_versions')
    .values({
      track_id: trackId,
      status: 'ready',
      original_key: 'x',
      original_filename: 'a.wav',
      original_size_bytes: 1,
      steps: '{}',
      ...fields,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** A version row of the track (as `addTrackVersion` makes one), made the track's current version. */
export async function addCurrentVersion(
  db: Kysely<Database>,
  trackId: string,
  fields: Partial<Omit<Insertable<Database['track_versions']>, 'track_id'>> = {},
): Promise<{ id: string }> {
  const version = await addTrackVersion(db, trackId, fields);
  await db.updateTable('tracks').set({ current_version_id: version.id }).where('id', '=', trackId).execute();
  return version;
}

/** A playlist of `ownerId` titled `title`, holding `trackIds` in that order. */
export async function addPlaylist(
  db: Kysely<Database>,
  ownerId: string,
  title: string,
  trackIds: string[],
): Promise<{ id: string }> {
  const playlist = await db
    .insertInto('playlists')
    .values({ owner_user_id: ownerId, title })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('playlist_tracks')
    .values(trackIds.map((trackId, position) => ({ playlist_id: playlist.id, position, track_id: trackId })))
    .execute();
  return playlist;
}
