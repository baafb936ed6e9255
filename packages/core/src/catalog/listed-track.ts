import { sql, type Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import type { Actor } from '../actor.ts';
import { trackVisibleTo } from '../visibility.ts';
import type { TrackCard } from '../tracks/list-latest.ts';

/** The fields of a track card (tracks/list-latest.ts) without its counts. */
export type CardBasics = Pick<
  TrackCard,
  'id' | 'title' | 'slug' | 'artist' | 'artworkKey' | 'durationMs' | 'createdAt'
>;

/**
 * A track card's columns without its date (`CardBasics` but `createdAt`), for a query joining
 * `tracks as t`, `users as u` (the owner) and `track_versions as v` (the current version).
 */
export const CARD_COLUMNS = [
  't.id',
  't.title',
  't.slug',
  'u.handle',
  'u.display_name',
  'v.duration_ms',
  sql<string | null>`coalesce(t.artwork_key, v.artwork_key)`.as('artwork_key'),
] as const;

/** The card of a row read with `CARD_COLUMNS`. */
export const toCard = (r: {
  id: string;
  title: string;
  slug: string;
  handle: string;
  display_name: string;
  duration_ms: number | null;
  artwork_key: string | null;
}): Omit<CardBasics, 'createdAt'> => ({
  id: r.id,
  title: r.title,
  slug: r.slug,
  artist: { handle: r.handle, displayName: r.display_name },
  artworkKey: r.artwork_key,
  durationMs: r.duration_ms,
});

/** `CardBasics`' columns: the card's and its date. */
export const CARD_BASICS_COLUMNS = [...CARD_COLUMNS, 't.created_at'] as const;

export const toCardBasics = (r: Parameters<typeof toCard>[0] & { created_at: Date }): CardBasics => ({
  ...toCard(r),
  createdAt: r.created_at.toISOString(),
});

/** A track in an ordered list (a release, a playlist), as a card plus its position. */
export interface ListedTrack extends CardBasics {
  position: number;
  /** The current version's waveform (null while none is drawn). */
  waveformKey: string | null;
}

/**
 * The tracks of an ordered list this actor may open, in order: a track that is hidden from them
 * (private, taken down, retired, still processing) is skipped, so the list never breaks.
 */
export async function listedTracks(
  db: Kysely<Database>,
  actor: Actor | null,
  table: 'release_tracks' | 'playlist_tracks',
  key: 'release_id' | 'playlist_id',
  listId: string,
): Promise<ListedTrack[]> {
  const rows = await db
    .selectFrom(`${table} as lt` as 'release_tracks as lt')
    .innerJoin('tracks as t', 't.id', 'lt.track_id')
    .innerJoin('users as u', 'u.id', 't.owner_user_id')
    .leftJoin('track_versions as v', 'v.id', 't.current_version_id')
    .select([...CARD_BASICS_COLUMNS, 'lt.position', 'v.waveform_key'])
    .where(sql<boolean>`${sql.ref(`lt.${key}`)} = ${listId}`)
    .where((eb) => trackVisibleTo(eb, actor, 't'))
    .orderBy('lt.position')
    .execute();
  return rows.map((r) => ({ ...toCardBasics(r), position: r.position, waveformKey: r.waveform_key }));
}
