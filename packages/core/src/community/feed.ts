import { expressionBuilder, sql } from 'kysely';
import { trackListed } from '../visibility.ts';
import { decodeCursor, encodeCursor, type Page } from './cursor.ts';
import type { CommunityDeps } from './deps.ts';
import { FEED_TRACK_COLUMNS, feedTrackJoins, toFeedTrack, type FeedTrack, type FeedTrackRow } from './track-card.ts';

export type { FeedTrack } from './track-card.ts';

interface FeedRow extends FeedTrackRow {
  track_id: string;
  at: string;
  reposters: string[] | null;
}

export interface FeedEntry {
  kind: 'track';
  /** When this entry's newest event happened (the upload, or the newest repost). */
  at: string;
  track: FeedTrack;
  /** Followed accounts that reposted it, newest first (at most 3); empty for a plain upload. */
  repostedBy: Array<{ handle: string; displayName: string }>;
}

/**
 * The signed-in user's feed (docs/architecture.md, "Community"): uploads and reposts of the
 * accounts they follow, newest first, one entry per track (its newest event; "reposted by" names
 * the followed reposters). Keyset on (time, track id). Each followed account contributes at most
 * one page of its newest events (a lateral index probe per account), so the cost follows the page
 * size and the number followed, not the size of the catalogue. A track whose newest event lies on
 * an earlier page is not repeated on a later one.
 */
export async function getFeed(
  deps: Pick<CommunityDeps, 'db'>,
  userId: string,
  options: { limit: number; cursor?: string },
): Promise<Page<FeedEntry>> {
  // JIT off for this one query: its (over-)estimated cost passes `jit_above_cost` and compiling took
  // longer than running it (docs/performance.md, "Community reads").
  const { rows } = await deps.db.transaction().execute(async (trx) => {
    await sql`set local jit = off`.execute(trx);
    return feedQuery(userId, options).execute(trx);
  });
  return toPage(deps, rows, options.limit);
}

/** The feed's one query (exported for EXPLAIN in bench/feed). */
export function feedQuery(userId: string, options: { limit: number; cursor?: string }) {
  const per = options.limit + 1;
  let before = sql`true`;
  let beforeT = sql`true`;
  let beforeR = sql`true`;
  let seen = sql`false`;
  if (options.cursor) {
    const [at, id] = decodeCursor(options.cursor, ['time', 'int']);
    before = sql`(e.at, e.track_id) < (${at}::timestamptz, ${id}::bigint)`;
    beforeT = sql`t.created_at <= ${at}::timestamptz`;
    beforeR = sql`r.created_at <= ${at}::timestamptz`;
    // Already shown: the track has an event at or after the cursor.
    seen = sql`exists (select 1 from reposts r2 join follows f2 on f2.followee_id = r2.user_id and f2.follower_id = ${userId}
                        where r2.track_id = e.track_id and (r2.created_at, r2.track_id) >= (${at}::timestamptz, ${id}::bigint))
            or exists (select 1 from tracks t2 join follows f3 on f3.followee_id = t2.owner_user_id and f3.follower_id = ${userId}
                        where t2.id = e.track_id and (t2.created_at, t2.id) >= (${at}::timestamptz, ${id}::bigint))`;
  }
  const listed = (alias: string) => trackListed(expressionBuilder<any, any>(), alias);
  // Only listed tracks become events, so the newest `per` entries are final before anything is
  // joined for display: the heavy joins run on one page of rows, not on every candidate.
  return sql<FeedRow>`
    with followed as (select followee_id as uid from follows where follower_id = ${userId}),
    events as (
      select u.track_id, u.at, null::bigint as reposter from followed f cross join lateral (
        select t.id as track_id, t.created_at as at from tracks t
        where t.owner_user_id = f.uid and ${beforeT} and ${listed('t')} order by t.created_at desc limit ${per}) u
      union all
      select r.track_id, r.at, f.uid from followed f cross join lateral (
        select r.track_id, r.created_at as at from reposts r join tracks rt on rt.id = r.track_id
        where r.user_id = f.uid and ${beforeR} and ${listed('rt')} order by r.created_at desc limit ${per}) r
    ),
    grouped as (
      select e.track_id, max(e.at) as at, array_agg(e.reposter order by e.at desc) filter (where e.reposter is not null) as reposters
      from events e group by e.track_id
    ),
    top as (
      select e.* from grouped e where ${before} and not (${seen}) order by e.at desc, e.track_id desc limit ${per}
    )
    select e.track_id, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, e.reposters,
      ${FEED_TRACK_COLUMNS}
    from top e
    ${feedTrackJoins('e')}
    order by e.at desc, e.track_id desc`;
}

async function toPage(deps: Pick<CommunityDeps, 'db'>, rows: FeedRow[], limit: number): Promise<Page<FeedEntry>> {
  const options = { limit };
  const page = rows.slice(0, options.limit);
  const reposterIds = [...new Set(page.flatMap((r) => (r.reposters ?? []).slice(0, 3).map(String)))];
  const people = reposterIds.length
    ? await deps.db
        .selectFrom('users')
        .select(['id', 'handle', 'display_name'])
        .where('id', 'in', reposterIds)
        .execute()
    : [];
  const byId = new Map(people.map((p) => [p.id, { handle: p.handle, displayName: p.display_name }]));
  const items = page.map<FeedEntry>((r) => ({
    kind: 'track',
    at: r.at,
    track: toFeedTrack(r.track_id, r),
    repostedBy: [...new Set((r.reposters ?? []).map(String))]
      .slice(0, 3)
      .flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])),
  }));
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > options.limit && last ? encodeCursor([last.at, last.track_id]) : null };
}
