import { expressionBuilder, sql } from 'kysely';
import { releaseListed, trackListed } from '../visibility.ts';
import { decodeCursor, encodeCursor, type Page } from './cursor.ts';
import type { CommunityDeps } from './deps.ts';
import { type FeedTrack, type FeedTrackRow, toFeedTrack } from './track-card.ts';

export type { FeedTrack } from './track-card.ts';

export interface FeedRelease {
  id: string;
  title: string;
  slug: string;
  type: string;
  artist: { id: string; handle: string; displayName: string };
  artworkKey: string | null;
  releaseDate: string | null;
  trackCount: number;
}

/** A row of the feed query: `k` is the track id of a track entry, minus the release id of a release entry. */
interface FeedRow extends FeedTrackRow {
  k: string;
  at: string;
  reposters: string[] | null;
  release_type: string | null;
  release_date: Date | null;
  track_count: number | null;
}

interface FeedTrackEntry {
  kind: 'track';
  /** When this entry's newest event happened (the upload, or the newest repost). */
  at: string;
  track: FeedTrack;
  /** Followed accounts that reposted it, newest first (at most 3); empty for a plain upload. */
  repostedBy: Array<{ handle: string; displayName: string }>;
}

interface FeedReleaseEntry {
  kind: 'release';
  /** When it came out: made public, or its release date came. */
  at: string;
  release: FeedRelease;
  repostedBy: [];
}

export type FeedEntry = FeedTrackEntry | FeedReleaseEntry;

/**
 * The signed-in user's feed (docs/architecture.md, "Community"): uploads, releases and reposts of
 * the accounts they follow, newest first, one entry per track (its newest event; "reposted by"
 * names the followed reposters) and one per release (when it came out: its tracks are not listed
 * one by one as uploads). Keyset on (time, key): the key is the track id, minus the release id. Each followed account contributes at most
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
  const now = new Date();
  const { rows } = await deps.db.transaction().execute(async (trx) => {
    await sql`set local jit = off`.execute(trx);
    const floored = await feedQuery(userId, { ...options, now, floor: true }).execute(trx);
    // Fewer than a page above the floor: the end of the feed, or several streams' newest events
    // were one track; the unbounded query decides.
    if (floored.rows.length > options.limit) return floored;
    return feedQuery(userId, { ...options, now }).execute(trx);
  });
  return toPage(deps, userId, rows, options.limit);
}

/**
 * The feed's query (exported for EXPLAIN in bench/feed). With `floor`, each followed account's
 * streams (uploads, releases, reposts) are first probed for their newest event only, and the
 * page's worth of newest of those is a time no entry of the page can be older than: the per-account
 * scans then stop there instead of reading a page each (docs/performance.md, "Community reads").
 */
export function feedQuery(userId: string, options: { limit: number; cursor?: string; now: Date; floor?: boolean }) {
  const per = options.limit + 1;
  let before = sql`true`;
  let beforeT = sql`true`;
  let beforeR = sql`true`;
  let beforeRel = sql`true`;
  let seen = sql`false`;
  const listed = (alias: string) => trackListed(expressionBuilder<any, any>(), alias);
  const released = (alias: string) => releaseListed(expressionBuilder<any, any>(), options.now, alias);
  // A track of one of its artist's listed releases comes in the feed with the release, not alone.
  const inRelease = (alias: string) =>
    sql`exists (select 1 from release_tracks xt join releases x on x.id = xt.release_id
                 where xt.track_id = ${sql.ref(`${alias}.id`)} and x.owner_user_id = ${sql.ref(`${alias}.owner_user_id`)} and ${released('x')})`;
  const releasedAt = (alias: string) =>
    sql`greatest(${sql.ref(`${alias}.created_at`)}, ${sql.ref(`${alias}.release_date`)})`;
  if (options.cursor) {
    const [at, id] = decodeCursor(options.cursor, ['time', 'sint']);
    before = sql`(e.at, e.k) < (${at}::timestamptz, ${id}::bigint)`;
    beforeT = sql`t.created_at <= ${at}::timestamptz`;
    beforeR = sql`r.created_at <= ${at}::timestamptz`;
    beforeRel = sql`${releasedAt('rl')} <= ${at}::timestamptz`;
    // Already shown: the track has an event at or after the cursor (a release has only one).
    seen = sql`e.k > 0 and (exists (select 1 from reposts r2 join follows f2 on f2.followee_id = r2.user_id and f2.follower_id = ${userId}
                        where r2.track_id = e.k and (r2.created_at, r2.track_id) >= (${at}::timestamptz, ${id}::bigint))
            or exists (select 1 from tracks t2 join follows f3 on f3.followee_id = t2.owner_user_id and f3.follower_id = ${userId}
                        where t2.id = e.k and (t2.created_at, t2.id) >= (${at}::timestamptz, ${id}::bigint) and not ${inRelease('t2')}))`;
  }
  const uploads = (limit: number, floor: ReturnType<typeof sql>) =>
    sql`select t.id as k, t.created_at as at from tracks t
        where t.owner_user_id = f.uid and ${beforeT} and t.created_at >= ${floor} and ${listed('t')} and not ${inRelease('t')}
        order by t.created_at desc limit ${limit}`;
  const releases = (limit: number, floor: ReturnType<typeof sql>) =>
    sql`select rl.id, ${releasedAt('rl')} as at from releases rl
        where rl.owner_user_id = f.uid and ${beforeRel} and ${releasedAt('rl')} >= ${floor} and ${released('rl')}
        order by 2 desc limit ${limit}`;
  const reposts = (limit: number, floor: ReturnType<typeof sql>) =>
    sql`select r.track_id, r.created_at as at from reposts r join tracks rt on rt.id = r.track_id
        where r.user_id = f.uid and ${beforeR} and r.created_at >= ${floor} and ${listed('rt')}
        order by r.created_at desc limit ${limit}`;
  const none = sql`'-infinity'::timestamptz`;
  const floor = options.floor ? sql`(select at from page_floor)` : none;
  // Each stream's newest event; the per-th newest of them bounds the page from below.
  const floorCte = options.floor
    ? sql`page_floor as (
      select coalesce((select x.at from (
        select u.at from followed f cross join lateral (${uploads(1, none)}) u
        union all select u.at from followed f cross join lateral (${releases(1, none)}) u
        union all select u.at from followed f cross join lateral (${reposts(1, none)}) u
      ) x order by x.at desc offset ${per - 1} limit 1), '-infinity'::timestamptz) as at
    ),`
    : sql``;
  // Only listed tracks become events, so the newest `per` entries are final before anything is
  // joined for display: the heavy joins run on one page of rows, not on every candidate.
  return sql<FeedRow>`
    with followed as (select followee_id as uid from follows where follower_id = ${userId}),
    ${floorCte}
    events as (
      select u.k, u.at, null::bigint as reposter from followed f cross join lateral (${uploads(per, floor)}) u
      union all
      select -rl.id, rl.at, null::bigint from followed f cross join lateral (${releases(per, floor)}) rl
      union all
      select r.track_id, r.at, f.uid from followed f cross join lateral (${reposts(per, floor)}) r
    ),
    grouped as (
      select e.k, max(e.at) as at, array_agg(e.reposter order by e.at desc) filter (where e.reposter is not null) as reposters
      from events e group by e.k
    ),
    top as (
      select e.* from grouped e where ${before} and not (${seen}) order by e.at desc, e.k desc limit ${per}
    )
    select e.k, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, e.reposters,
      t.title, t.slug, t.owner_user_id, u.handle, u.display_name, t.artwork_key, v.artwork_key as version_artwork, v.duration_ms, t.created_at,
      t.like_count, t.repost_count, t.comment_count, t.play_count,
      null::text as release_type, null::timestamptz as release_date, null::int as track_count
    from top e
    join tracks t on t.id = e.k
    join users u on u.id = t.owner_user_id
    join track_versions v on v.id = t.current_version_id
    where e.k > 0
    union all
    select e.k, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), null,
      rl.title, rl.slug, rl.owner_user_id, u.handle, u.display_name, rl.artwork_key, null, null, rl.created_at,
      0, 0, 0, 0,
      rl.type, rl.release_date, (select count(*)::int from release_tracks xt where xt.release_id = rl.id)
    from top e
    join releases rl on rl.id = -e.k
    join users u on u.id = rl.owner_user_id
    where e.k < 0
    order by 2 desc, 1 desc`;
}

async function toPage(
  deps: Pick<CommunityDeps, 'db'>,
  userId: string,
  rows: FeedRow[],
  limit: number,
): Promise<Page<FeedEntry>> {
  const options = { limit };
  const page = rows.slice(0, options.limit);
  // "Reposted by": the followed accounts that reposted each track of the page, newest first, read
  // for the page alone (the floored query only saw the reposts above its floor).
  const trackKeys = page.filter((r) => Number(r.k) > 0).map((r) => String(r.k));
  if (trackKeys.length) {
    const { rows: reposted } = await sql<{ track_id: string; ids: string[] }>`
      select r.track_id, (array_agg(r.user_id order by r.created_at desc))[1:3] as ids
      from reposts r join follows f on f.followee_id = r.user_id and f.follower_id = ${userId}
      where r.track_id in (${sql.join(trackKeys.map((k) => sql`${k}::bigint`))})
      group by r.track_id`.execute(deps.db);
    const byTrack = new Map(reposted.map((x) => [String(x.track_id), x.ids.map(String)]));
    for (const r of page) if (Number(r.k) > 0) r.reposters = byTrack.get(String(r.k)) ?? null;
  }
  const reposterIds = [...new Set(page.flatMap((r) => (r.reposters ?? []).slice(0, 3).map(String)))];
  const people = reposterIds.length
    ? await deps.db
        .selectFrom('users')
        .select(['id', 'handle', 'display_name'])
        .where('id', 'in', reposterIds)
        .execute()
    : [];
  const byId = new Map(people.map((p) => [p.id, { handle: p.handle, displayName: p.display_name }]));
  const items = page.map<FeedEntry>((r) =>
    Number(r.k) < 0
      ? {
          kind: 'release',
          at: r.at,
          release: {
            id: String(-Number(r.k)),
            title: r.title,
            slug: r.slug,
            type: r.release_type ?? 'album',
            artist: { id: String(r.owner_user_id), handle: r.handle, displayName: r.display_name },
            artworkKey: r.artwork_key,
            releaseDate: r.release_date ? new Date(r.release_date).toISOString() : null,
            trackCount: Number(r.track_count ?? 0),
          },
          repostedBy: [],
        }
      : {
          kind: 'track',
          at: r.at,
          track: toFeedTrack(r.k, r),
          repostedBy: [...new Set((r.reposters ?? []).map(String))]
            .slice(0, 3)
            .flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])),
        },
  );
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > options.limit && last ? encodeCursor([last.at, String(last.k)]) : null };
}
