import { expressionBuilder, sql } from 'kysely';
import type { Actor } from '../actor.ts';
import { trackVisibleTo } from '../visibility.ts';
import { decodeCursor, encodeCursor, type Page } from './cursor.ts';
import type { CommunityDeps } from './deps.ts';
import { FEED_TRACK_COLUMNS, feedTrackJoins, toFeedTrack, type FeedTrack, type FeedTrackRow } from './track-card.ts';

export interface LibraryItem {
  /** When liked, or last played. */
  at: string;
  track: FeedTrack;
}

interface Row extends FeedTrackRow {
  at: string;
  track_id: string;
}

const toItem = (r: Row): LibraryItem => ({ at: r.at, track: toFeedTrack(r.track_id, r) });

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
    select to_char(x.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, x.track_id, ${FEED_TRACK_COLUMNS}
    from (${source}) x
    ${feedTrackJoins('x')}
    where ${after} and ${trackVisibleTo(expressionBuilder<any, any>(), actor, 't')}
    order by x.at desc, x.track_id desc
    limit ${options.limit + 1}`.execute(deps.db);
  const page = rows.slice(0, options.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toItem),
    nextCursor: rows.length > options.limit && last ? encodeCursor([last.at, String(last.track_id)]) : null,
  };
}
