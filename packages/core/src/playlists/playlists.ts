import { sql, type Kysely } from 'kysely';
import type { Database, Visibility } from '@earshot/db';
import { AppError, forbidden, notFound, validationFailed } from '../errors.ts';
import { ownsOrAdmin, type Actor } from '../actor.ts';
import { playlistVisibleTo, trackVisibleTo } from '../visibility.ts';
import { cleanText } from '../text/text-input.ts';
import { normalizeVisibility } from '../tracks/fields.ts';
import { normalizeTrackIds } from '../releases/fields.ts';
import { listedTracks, type ListedTrack } from '../catalog/listed-track.ts';
import { PLAYLIST_DESCRIPTION_MAX, PLAYLIST_TITLE_MAX } from '../field-limits.ts';
export { PLAYLIST_TITLE_MAX, PLAYLIST_DESCRIPTION_MAX } from '../field-limits.ts';

/** Playlists: any signed-in user's ordered tracks (docs/architecture.md, "Catalogue"). */

export const PLAYLIST_TRACKS_MAX = 10_000;
/** A person's playlists: enough for any collection, bounded so one account cannot fill the database. */
export const PLAYLISTS_PER_USER_MAX = 1_000;

export interface PlaylistInput {
  title?: string;
  description?: string;
  visibility?: Visibility | string;
  trackIds?: string[];
}

export interface PlaylistView {
  id: string;
  title: string;
  description: string;
  visibility: Visibility;
  owner: { id: string; handle: string; displayName: string };
  tracks: ListedTrack[];
  totalDurationMs: number;
  createdAt: string;
}

export interface PlaylistCard {
  id: string;
  title: string;
  visibility: Visibility;
  trackCount: number;
}

type Deps = { db: Kysely<Database>; clock: () => Date };

function title(input: string | undefined): string {
  const t = cleanText(input ?? '', 'title', { trim: true });
  if (!t) throw validationFailed('Give the playlist a name', { field: 'title', reason: 'required' });
  if (t.length > PLAYLIST_TITLE_MAX)
    throw validationFailed(`A name is at most ${PLAYLIST_TITLE_MAX} characters`, {
      field: 'title',
      reason: 'too_long',
    });
  return t;
}

function description(input: string | undefined): string {
  const d = cleanText(input ?? '', 'description', { kind: 'multiline', trim: true });
  if (d.length > PLAYLIST_DESCRIPTION_MAX)
    throw validationFailed('Description is at most 5,000 characters', { field: 'description', reason: 'too_long' });
  return d;
}

/**
 * Sets the whole order. Every track must be one the owner may open; a track already in the list
 * that has since been hidden from them may stay (it reappears if it comes back). 422 otherwise.
 */
async function writeTracks(
  db: Kysely<Database>,
  owner: Actor,
  playlistId: string,
  trackIds: string[],
  now: Date,
): Promise<void> {
  if (trackIds.length) {
    const visible = await db
      .selectFrom('tracks as t')
      .select('t.id')
      .where('t.id', 'in', trackIds)
      .where((eb) =>
        eb.or([
          trackVisibleTo(eb, owner, 't'),
          eb('t.id', 'in', eb.selectFrom('playlist_tracks').select('track_id').where('playlist_id', '=', playlistId)),
        ]),
      )
      .execute();
    const ok = new Set(visible.map((r) => r.id));
    const missing = trackIds.filter((id) => !ok.has(id));
    if (missing.length)
      throw new AppError(422, 'unknown_tracks', `No such track: ${missing.slice(0, 10).join(', ')}`, {
        field: 'trackIds',
        trackIds: missing.slice(0, 50),
      });
  }
  const before = new Map(
    (
      await db
        .selectFrom('playlist_tracks')
        .select(['track_id', 'added_at'])
        .where('playlist_id', '=', playlistId)
        .execute()
    ).map((r) => [r.track_id, r.added_at]),
  );
  await db.deleteFrom('playlist_tracks').where('playlist_id', '=', playlistId).execute();
  // Inserted in chunks: 10,000 rows × 4 parameters stays under PostgreSQL's 65,535 bind parameters.
  for (let i = 0; i < trackIds.length; i += 5_000) {
    await db
      .insertInto('playlist_tracks')
      .values(
        trackIds.slice(i, i + 5_000).map((track_id, j) => ({
          playlist_id: playlistId,
          position: i + j,
          track_id,
          added_at: before.get(track_id) ?? now,
        })),
      )
      .execute();
  }
}

/** `POST /playlists`. */
export async function createPlaylist(deps: Deps, actor: Actor | null, input: PlaylistInput): Promise<PlaylistView> {
  if (!actor) throw forbidden();
  const values = {
    title: title(input.title),
    description: description(input.description),
    visibility: normalizeVisibility(input.visibility),
  };
  const trackIds = normalizeTrackIds(input.trackIds ?? [], PLAYLIST_TRACKS_MAX, 'A playlist');
  const id = await deps.db.transaction().execute(async (trx) => {
    // Serialise one user's creations so the cap holds under concurrent requests.
    await trx.selectFrom('users').select('id').where('id', '=', actor.id).forUpdate().execute();
    const { n } = await trx
      .selectFrom('playlists')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('owner_user_id', '=', actor.id)
      .executeTakeFirstOrThrow();
    if (n >= PLAYLISTS_PER_USER_MAX)
      throw new AppError(
        409,
        'too_many_playlists',
        `You have ${PLAYLISTS_PER_USER_MAX} playlists, the most one account may have`,
      );
    const row = await trx
      .insertInto('playlists')
      .values({ owner_user_id: actor.id, ...values })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeTracks(trx, actor, row.id, trackIds, deps.clock());
    return row.id;
  });
  return getPlaylist(deps, actor, id);
}

/** `GET /playlists/:id`: per visibility; tracks hidden from this actor are skipped. */
export async function getPlaylist(
  deps: Pick<Deps, 'db'>,
  actor: Actor | null,
  playlistId: string,
): Promise<PlaylistView> {
  const row = await deps.db
    .selectFrom('playlists as p')
    .innerJoin('users as u', 'u.id', 'p.owner_user_id')
    .select([
      'p.id',
      'p.title',
      'p.description',
      'p.visibility',
      'p.owner_user_id',
      'p.created_at',
      'u.handle',
      'u.display_name',
    ])
    .where('p.id', '=', playlistId)
    .where((eb) => playlistVisibleTo(eb, actor, 'p'))
    .executeTakeFirst();
  if (!row) throw notFound('Playlist');
  const tracks = await listedTracks(deps.db, actor, 'playlist_tracks', 'playlist_id', row.id);
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    visibility: row.visibility,
    owner: { id: row.owner_user_id, handle: row.handle, displayName: row.display_name },
    tracks,
    totalDurationMs: tracks.reduce((n, t) => n + (t.durationMs ?? 0), 0),
    createdAt: row.created_at.toISOString(),
  };
}

async function ownedPlaylist(db: Kysely<Database>, actor: Actor | null, playlistId: string) {
  const row = await db
    .selectFrom('playlists')
    .select(['id', 'owner_user_id'])
    .where('id', '=', playlistId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('Playlist');
  if (!actor || !ownsOrAdmin(actor, row.owner_user_id)) throw forbidden('Only the playlist owner can change it');
  return row;
}

/** `PATCH /playlists/:id`: title, description, visibility. */
export async function updatePlaylist(
  deps: Deps,
  actor: Actor | null,
  playlistId: string,
  input: PlaylistInput,
): Promise<PlaylistView> {
  const set: Record<string, unknown> = {};
  if (input.title !== undefined) set.title = title(input.title);
  if (input.description !== undefined) set.description = description(input.description);
  if (input.visibility !== undefined) set.visibility = normalizeVisibility(input.visibility);
  await deps.db.transaction().execute(async (trx) => {
    const p = await ownedPlaylist(trx, actor, playlistId);
    await trx
      .updateTable('playlists')
      .set({ ...set, updated_at: deps.clock() })
      .where('id', '=', p.id)
      .execute();
  });
  return getPlaylist(deps, actor, playlistId);
}

/** `PUT /playlists/:id/tracks`: the whole order, at most PLAYLIST_TRACKS_MAX, written in one transaction. */
export async function setPlaylistTracks(
  deps: Deps,
  actor: Actor | null,
  playlistId: string,
  trackIds: string[],
): Promise<PlaylistView> {
  const ids = normalizeTrackIds(trackIds, PLAYLIST_TRACKS_MAX, 'A playlist');
  await deps.db.transaction().execute(async (trx) => {
    const p = await ownedPlaylist(trx, actor, playlistId);
    // The owner's view decides what may be added (an admin editing keeps the owner's view).
    const owner = p.owner_user_id === actor!.id ? actor! : { id: p.owner_user_id, role: 'listener' as const };
    await writeTracks(trx, owner, p.id, ids, deps.clock());
    await trx.updateTable('playlists').set({ updated_at: deps.clock() }).where('id', '=', p.id).execute();
  });
  return getPlaylist(deps, actor, playlistId);
}

/** `DELETE /playlists/:id`: the playlist goes, the tracks stay. */
export async function deletePlaylist(deps: Pick<Deps, 'db'>, actor: Actor | null, playlistId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const p = await ownedPlaylist(trx, actor, playlistId);
    await trx.deleteFrom('playlists').where('id', '=', p.id).execute();
  });
}

/** How many tracks the playlist of the query's alias `p` holds. */
export const playlistTrackCount = sql<number>`(select count(*)::int from playlist_tracks pt where pt.playlist_id = p.id)`;

/** The signed-in user's playlists, newest first (the "Add to playlist" menu). */
export async function listMyPlaylists(deps: Pick<Deps, 'db'>, actor: Actor): Promise<PlaylistCard[]> {
  const rows = await deps.db
    .selectFrom('playlists as p')
    .select(['p.id', 'p.title', 'p.visibility', playlistTrackCount.as('track_count')])
    .where('p.owner_user_id', '=', actor.id)
    .orderBy('p.id', 'desc')
    .limit(PLAYLISTS_PER_USER_MAX)
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, visibility: r.visibility, trackCount: r.track_count }));
}
