import { expressionBuilder, sql } from 'kysely';
import type { Actor } from '../actor.ts';
import { trackVisibleTo } from '../visibility.ts';
import { decodeCursor, encodeCursor, type Page } from './cursor.ts';
import type { CommunityDeps } from './deps.ts';
import type { FeedTrack } from './feed.ts';

export interface LibraryItem {
  /** When liked, or last played. */
  at: string;
  track: FeedTrack;
}

type Row = {
  at: string;
  id: string;
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
};

const toItem = (r: Row): LibraryItem => ({
  at: r.at,
  track: {
    id: String(r.id),
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
  },
});

/**
 * The library's lists (docs/architecture.md, "Community"): tracks the user liked (newest like
 * first) and tracks they played (the history is their counted plays: newest play first, each track
 * once). Only tracks they may still play are listed.
 */
export async function listLibrary(
  deps: Pick<CommunityDeps, 'db'>,
  actor: Actor,
  list: 'likes' | 'history',
  options: { limit: number; cursor?: string },
): Promise<Page<LibraryItem>> {
  let after = sql`true`;
  if (options.cursor) {
    const [at, id] = decodeCursor(options.cursor, ['time', 'int']);
    after = sql`(x.at, x.track_id) < (${at}::timestamptz, ${id}::bigint)`;
  }
  const source =
    list === 'likes'
      ? sql`select l.track_id, l.created_at as at from likes l where l.user_id = ${actor.id}`
      : sql`select p.track_id, max(p.created_at) as at from plays p where p.user_id = ${actor.id} group by p.track_id`;
  const { rows } = await sql<Row>`
    select to_char(x.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, t.id, t.title, t.slug, t.owner_user_id, u.handle, u.display_name,
      t.artwork_key, v.artwork_key as version_artwork, v.duration_ms, t.created_at, t.like_count, t.repost_count, t.comment_count, t.play_count
    from (${source}) x
    join tracks t on t.id = x.track_id
    join users u on u.id = t.owner_user_id
    join track_versions v on v.id = t.current_version_id
    where ${after} and ${trackVisibleTo(expressionBuilder<any, any>(), actor, 't')}
    order by x.at desc, x.track_id desc
    limit ${options.limit + 1}`.execute(deps.db);
  const page = rows.slice(0, options.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toItem),
    nextCursor: rows.length > options.limit && last ? encodeCursor([last.at, String(last.id)]) : null,
  };
}
