import { PREPARED } from '@earshot/db';
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
 * one by one as uploads). Keyset on (time, key): the key is the track id, minus the release id.
 * The events come from `feed_items`, written ahead for each follower (the migration's triggers);
 * the page walks the reader's rows newest first, so its cost follows the page size, not the
 * number followed nor the size of the catalogue (docs/performance.md, "Community reads").
 */
export async function getFeed(
  deps: Pick<CommunityDeps, 'db'>,
  userId: string,
  options: { limit: number; cursor?: string },
): Promise<Page<FeedEntry>> {
  const { rows } = await feedQuery(userId, { ...options, now: new Date() }).execute(deps.db);
  return toPage(deps, userId, rows, options.limit);
}

/**
 * The feed's query (exported for EXPLAIN in bench/feed). A row of `feed_items` is an entry when
 * what it names is listed, when it is not an upload of a track that comes with its album, and
 * when no newer such event of the same track is in the reader's feed (one entry per track, at its
 * newest event: a track shown on an earlier page is not repeated). What may be seen is checked
 * here, at read time, so a track made private, taken down or moved onto an album leaves the feed
 * at once without a write to `feed_items`.
 */
export function feedQuery(userId: string, options: { limit: number; cursor?: string; now: Date }) {
  // The page size is written into the text, not sent as a parameter: the prepared statement's cached
  // generic plan then knows how few rows are wanted (docs/performance.md, "Planning once").
  const per = options.limit + 1;
  if (!Number.isSafeInteger(per) || per < 2) throw new RangeError('feed page size must be a whole number');
  const listed = (alias: string) => trackListed(expressionBuilder<any, any>(), alias);
  const released = (alias: string) => releaseListed(expressionBuilder<any, any>(), options.now, alias);
  // A track of one of its artist's listed releases comes in the feed with the release, not alone.
  const inRelease = (alias: string) =>
    sql`exists (select 1 from release_tracks xt join releases x on x.id = xt.release_id
                 where xt.track_id = ${sql.ref(`${alias}.id`)} and x.owner_user_id = ${sql.ref(`${alias}.owner_user_id`)} and ${released('x')})`;
  // An event that makes an entry (the track's or release's own rules apply to all its events alike).
  const counts = (fi: string) =>
    sql`(${sql.ref(`${fi}.repost`)} or ${sql.ref(`${fi}.release_id`)} is not null or not ${inRelease('t')})`;
  let before = sql`true`;
  if (options.cursor) {
    const [at, id] = decodeCursor(options.cursor, ['time', 'sint']);
    before = sql`(fi.at, fi.k) < (${at}::timestamptz, ${id}::bigint)`;
  }
  // The checks run per row walked (a lateral subquery of one row): planned for the whole table
  // instead, PostgreSQL would hash every account and every album track to check a few dozen rows.
  // Prepared: planning this text cost more than running it (docs/performance.md, "Planning once").
  return sql<FeedRow>`
    with top as (
      select fi.k, fi.at from feed_items fi
      left join tracks t on t.id = fi.track_id
      left join releases rl on rl.id = fi.release_id
      cross join lateral (
        select (case when fi.track_id is not null then ${listed('t')} else ${released('rl')} end)
          and ${counts('fi')}
          and not exists (select 1 from feed_items f2
                          where f2.user_id = fi.user_id and f2.k = fi.k
                            and (f2.at, f2.actor_id, f2.repost) > (fi.at, fi.actor_id, fi.repost) and ${counts('f2')}) as shown
        offset 0
      ) c
      where fi.user_id = ${userId} and ${before} and c.shown
      order by fi.at desc, fi.k desc
      limit ${sql.raw(String(per))}
    )
    select e.k, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, null::bigint[] as reposters,
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
    order by 2 desc, 1 desc${PREPARED}`;
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
  // for the page alone.
  const trackKeys = page.filter((r) => Number(r.k) > 0).map((r) => String(r.k));
  if (trackKeys.length) {
    const { rows: reposted } = await sql<{ track_id: string; ids: string[] }>`
      select r.track_id, (array_agg(r.user_id order by r.created_at desc))[1:3] as ids
      from reposts r join follows f on f.followee_id = r.user_id and f.follower_id = ${userId}
      where r.track_id = any(${trackKeys}::bigint[])
      group by r.track_id${PREPARED}`.execute(deps.db);
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
