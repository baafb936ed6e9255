import { sql } from 'kysely';
import type { TrackCard } from '../tracks/list-latest.ts';

/** A track as the feed and the library show it: the track card, with its artist's id. */
export interface FeedTrack extends Omit<TrackCard, 'artist'> {
  artist: TrackCard['artist'] & { id: string };
}

/** What `FEED_TRACK_COLUMNS` reads. */
export interface FeedTrackRow {
  title: string;
  slug: string;
  owner_user_id: string;
  handle: string;
  display_name: string;
  artwork_key: string | null;
  version_artwork: string | null;
  duration_ms: number | null;
  created_at: Date;
  like_count: number;
  repost_count: number;
  comment_count: number;
  play_count: number;
}

/** The card's columns, for a select list after `feedTrackJoins`. */
export const FEED_TRACK_COLUMNS = sql`t.title, t.slug, t.owner_user_id, u.handle, u.display_name, t.artwork_key,
      v.artwork_key as version_artwork, v.duration_ms, t.created_at, t.like_count, t.repost_count, t.comment_count, t.play_count`;

/** Joins the track (`t`), its owner (`u`) and its current version (`v`) to `<from>.track_id`. */
export const feedTrackJoins = (from: string) => sql`join tracks t on t.id = ${sql.ref(`${from}.track_id`)}
    join users u on u.id = t.owner_user_id
    join track_versions v on v.id = t.current_version_id`;

export function toFeedTrack(trackId: string, r: FeedTrackRow): FeedTrack {
  return {
    id: String(trackId),
    title: r.title,
    slug: r.slug,
    artist: { id: String(r.owner_user_id), handle: r.handle, displayName: r.display_name },
    artworkKey: r.artwork_key ?? r.version_artwork,
    durationMs: r.duration_ms,
    createdAt: new Date(r.created_at).toISOString(),
    likeCount: Number(r.like_count),
    repostCount: Number(r.repost_count),
    commentCount: Number(r.comment_count),
    playCount: Number(r.play_count),
  };
}
