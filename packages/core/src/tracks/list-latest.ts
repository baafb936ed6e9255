import type { CoreDeps } from '../deps.ts';
import { CARD_BASICS_COLUMNS, toCardBasics } from '../catalog/listed-track.ts';
import { badRequest } from '../errors.ts';
import { trackListed } from '../visibility.ts';

/** Page sizes of track lists: at most `PAGE_LIMIT_MAX`, `PAGE_LIMIT_DEFAULT` when not asked. */
export const PAGE_LIMIT_MAX = 100;
export const PAGE_LIMIT_DEFAULT = 24;

export interface TrackCard {
  id: string;
  title: string;
  slug: string;
  artist: { handle: string; displayName: string };
  artworkKey: string | null;
  durationMs: number | null;
  createdAt: string;
  /** Exact counts shown on every card (docs/architecture.md, "Community"). */
  likeCount: number;
  repostCount: number;
  commentCount: number;
  playCount: number;
}

/**
 * Opaque keyset cursor (base64url of the last id). Ids are an identity column, so id order is
 * creation order, and paging by id never skips or repeats a row the way a millisecond timestamp
 * (JS Date vs Postgres microseconds) could.
 */
function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{1,18}$/.test(id)) throw badRequest('Invalid cursor');
  return id;
}

function encodeCursor(id: string): string {
  return Buffer.from(id).toString('base64url');
}

/**
 * The columns of a track card, for a query joining `tracks as t`, `users as u` (the owner) and
 * `track_versions as v` (the current version); `toTrackCard` makes the card of such a row. Every
 * list of cards (latest, an artist's, trending) reads them the same way.
 */
export const TRACK_CARD_COLUMNS = [
  ...CARD_BASICS_COLUMNS,
  't.like_count',
  't.repost_count',
  't.comment_count',
  't.play_count',
] as const;

export type TrackCardRow = Parameters<typeof toCardBasics>[0] & {
  like_count: number;
  repost_count: number;
  comment_count: number;
  play_count: number;
};

export function toTrackCard(r: TrackCardRow): TrackCard {
  return {
    ...toCardBasics(r),
    likeCount: r.like_count,
    repostCount: r.repost_count,
    commentCount: r.comment_count,
    playCount: r.play_count,
  };
}

/** Newest public tracks with a playable version, newest first, keyset-paginated; `ownerUserId` keeps one artist's. */
export async function listLatestTracks(
  deps: Pick<CoreDeps, 'db'>,
  options: { limit: number; cursor?: string; ownerUserId?: string },
): Promise<{ tracks: TrackCard[]; nextCursor: string | null }> {
  let query = deps.db
    .selectFrom('tracks as t')
    .innerJoin('users as u', 'u.id', 't.owner_user_id')
    .innerJoin('track_versions as v', 'v.id', 't.current_version_id')
    .select(TRACK_CARD_COLUMNS)
    .where((eb) => trackListed(eb, 't'))
    .where('v.status', '=', 'ready')
    .orderBy('t.id', 'desc')
    .limit(options.limit + 1);
  if (options.cursor) {
    query = query.where('t.id', '<', decodeCursor(options.cursor));
  }
  if (options.ownerUserId) query = query.where('t.owner_user_id', '=', options.ownerUserId);
  const rows = await query.execute();
  const page = rows.slice(0, options.limit).map(toTrackCard);
  const last = page[page.length - 1];
  return { tracks: page, nextCursor: rows.length > options.limit && last ? encodeCursor(last.id) : null };
}
