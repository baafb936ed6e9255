import { sql, type Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { badRequest, notFound } from '../errors.ts';
import { getListenableTrack, getPlayableTrack } from '../tracks/get-track.ts';
import { decodeCursor, encodeCursor, type Page } from './cursor.ts';
import { deliver, type CommunityActor, type CommunityDeps } from './deps.ts';
import { notify } from './notify.ts';

/** A track's counts, as every card and page shows them; `liked`/`reposted` for the signed-in caller. */
export interface TrackCounts {
  id: string;
  likeCount: number;
  repostCount: number;
  commentCount: number;
  playCount: number;
  liked?: boolean;
  reposted?: boolean;
}

export interface UserCounts {
  id: string;
  handle: string;
  followerCount: number;
  followingCount: number;
  following?: boolean;
}

export interface UserCard {
  id: string;
  handle: string;
  displayName: string;
  avatarKey: string | null;
  role: string;
  followerCount: number;
  /** When they liked, reposted or followed. */
  at: string;
}

type TrackToggle = 'like' | 'repost';
const TABLE = { like: 'likes', repost: 'reposts' } as const;
const COUNT = { like: 'like_count', repost: 'repost_count' } as const;

/**
 * Likes or reposts a track (on = true) or takes it back. Idempotent: the row is inserted with
 * `on conflict do nothing` (or deleted) and the count moves by the number of rows that changed,
 * in ONE statement (a data-modifying CTE) — two toggles of the same row serialise on its unique
 * key, and the count update on the track row, so the count is exact under any interleaving.
 * Turning on needs a track the caller may play (404 otherwise: deleted, private, taken down);
 * turning off works on anything (nothing to take back → `changed: false`, the route's 204).
 */
export async function toggleTrack(
  deps: CommunityDeps,
  actor: NonNullable<CommunityActor>,
  kind: TrackToggle,
  trackId: string,
  on: boolean,
): Promise<{ changed: boolean; track: TrackCounts }> {
  if (!/^[1-9]\d{0,17}$/.test(trackId)) throw notFound('Track');
  // A like is a listener's: allowed while a playable track is processed; a repost fills feeds and waits for ready.
  if (on) await (kind === 'like' ? getListenableTrack : getPlayableTrack)(deps, actor ?? null, trackId);
  const table = sql.table(TABLE[kind]);
  const count = sql.ref(COUNT[kind]);
  const result = await deps.db.transaction().execute(async (trx) => {
    const changed = on
      ? sql<{
          n: number;
        }>`with changed as (insert into ${table} (user_id, track_id) values (${actor.id}, ${trackId}) on conflict do nothing returning track_id)
          update tracks set ${count} = ${count} + (select count(*) from changed) where id = ${trackId} returning (select count(*) from changed)::int as n, owner_user_id`
      : sql<{
          n: number;
        }>`with changed as (delete from ${table} where user_id = ${actor.id} and track_id = ${trackId} returning track_id)
          update tracks set ${count} = greatest(${count} - (select count(*) from changed), 0) where id = ${trackId} returning (select count(*) from changed)::int as n, owner_user_id`;
    const row = (await changed.execute(trx)).rows[0] as { n: number; owner_user_id: string } | undefined;
    if (!row) return { n: 0, note: null };
    const note =
      on && row.n > 0 ? await notify(trx, { userId: row.owner_user_id, actorId: actor.id, type: kind, trackId }) : null;
    return { n: row.n, note };
  });
  if (!on && result.n === 0 && !(await trackExists(deps.db, trackId)))
    return { changed: false, track: emptyCounts(trackId) };
  deliver(deps, [result.note]);
  return { changed: result.n > 0, track: await trackCounts(deps.db, trackId, actor) };
}

async function trackExists(db: Kysely<Database>, trackId: string): Promise<boolean> {
  return !!(await db.selectFrom('tracks').select('id').where('id', '=', trackId).executeTakeFirst());
}

const emptyCounts = (id: string): TrackCounts => ({
  id,
  likeCount: 0,
  repostCount: 0,
  commentCount: 0,
  playCount: 0,
  liked: false,
  reposted: false,
});

/** Who made a like, repost or follow, and what it names. */
const MARK_COLUMNS = {
  likes: ['user_id', 'track_id'],
  reposts: ['user_id', 'track_id'],
  follows: ['follower_id', 'followee_id'],
} as const;

/**
 * Whether the caller liked or reposted the track, or follows the account, whose id is `subject`
 * (a column of the outer query).
 */
function callerHas(actorId: string, table: keyof typeof MARK_COLUMNS, subject: string) {
  const [by, of] = MARK_COLUMNS[table];
  return sql<boolean>`exists (select 1 from ${sql.table(table)} x where ${sql.ref(`x.${by}`)} = ${actorId} and ${sql.ref(`x.${of}`)} = ${sql.ref(subject)})`;
}

/** The counts of a track, and whether the caller liked / reposted it. */
export async function trackCounts(db: Kysely<Database>, trackId: string, actor: CommunityActor): Promise<TrackCounts> {
  const row = await db
    .selectFrom('tracks as t')
    .select(['t.id', 't.like_count', 't.repost_count', 't.comment_count', 't.play_count'])
    .$if(!!actor, (q) =>
      q.select([
        callerHas(actor!.id, 'likes', 't.id').as('liked'),
        callerHas(actor!.id, 'reposts', 't.id').as('reposted'),
      ]),
    )
    .where('t.id', '=', trackId)
    .executeTakeFirst();
  if (!row) throw notFound('Track');
  const r = row as typeof row & { liked?: boolean; reposted?: boolean };
  return {
    id: r.id,
    likeCount: Number(r.like_count),
    repostCount: Number(r.repost_count),
    commentCount: Number(r.comment_count),
    playCount: Number(r.play_count),
    ...(actor ? { liked: !!r.liked, reposted: !!r.reposted } : {}),
  };
}

/**
 * Follows (on) or unfollows an account by handle; same one-statement counting as `toggleTrack`,
 * on both users' rows (followee's followers, follower's following). Following yourself is a 400;
 * following a disabled or unknown account, or unfollowing an unknown one, a 404.
 */
export async function toggleFollow(
  deps: CommunityDeps,
  actor: NonNullable<CommunityActor>,
  handle: string,
  on: boolean,
): Promise<{ changed: boolean; user: UserCounts }> {
  const target = await deps.db
    .selectFrom('users')
    .select(['id', 'disabled_at'])
    .where('handle', '=', handle.toLowerCase())
    .executeTakeFirst();
  // An unknown account is a 404 either way (idempotence is about the follow, not the account);
  // a disabled one can be unfollowed but not followed.
  if (!target || (on && target.disabled_at)) throw notFound('User');
  if (target.id === actor.id) {
    if (!on) return { changed: false, user: await userCounts(deps.db, target.id, actor) };
    throw badRequest('You cannot follow yourself');
  }
  const result = await deps.db.transaction().execute(async (trx) => {
    // Both user rows are updated in id order so two opposite follows cannot deadlock.
    const changed = on
      ? sql<{
          n: number;
        }>`with changed as (insert into follows (follower_id, followee_id) values (${actor.id}, ${target.id}) on conflict do nothing returning 1),
          n as (select count(*)::int as n from changed),
          upd as (update users set
            follower_count = follower_count + case when id = ${target.id} then (select n from n) else 0 end,
            following_count = following_count + case when id = ${actor.id} then (select n from n) else 0 end
            where id in (${actor.id}, ${target.id}) returning id)
          select (select n from n) as n, (select count(*) from upd) as touched`
      : sql<{
          n: number;
        }>`with changed as (delete from follows where follower_id = ${actor.id} and followee_id = ${target.id} returning 1),
          n as (select count(*)::int as n from changed),
          upd as (update users set
            follower_count = greatest(follower_count - case when id = ${target.id} then (select n from n) else 0 end, 0),
            following_count = greatest(following_count - case when id = ${actor.id} then (select n from n) else 0 end, 0)
            where id in (${actor.id}, ${target.id}) returning id)
          select (select n from n) as n, (select count(*) from upd) as touched`;
    const row = (await changed.execute(trx)).rows[0] as { n: number };
    const note = on && row.n > 0 ? await notify(trx, { userId: target.id, actorId: actor.id, type: 'follow' }) : null;
    return { n: row.n, note };
  });
  deliver(deps, [result.note]);
  return { changed: result.n > 0, user: await userCounts(deps.db, target.id, actor) };
}

export async function userCounts(db: Kysely<Database>, userId: string, actor: CommunityActor): Promise<UserCounts> {
  const row = await db
    .selectFrom('users as u')
    .select(['u.id', 'u.handle', 'u.follower_count', 'u.following_count'])
    .$if(!!actor, (q) => q.select(callerHas(actor!.id, 'follows', 'u.id').as('following')))
    .where('u.id', '=', userId)
    .executeTakeFirstOrThrow();
  const r = row as typeof row & { following?: boolean };
  return {
    id: r.id,
    handle: r.handle,
    followerCount: Number(r.follower_count),
    followingCount: Number(r.following_count),
    ...(actor ? { following: !!r.following } : {}),
  };
}

export type PeopleList = 'likers' | 'reposters' | 'followers' | 'following';

/**
 * Who liked or reposted a track (the track must be visible to the caller), who follows an account
 * and whom it follows: newest first, keyset-paginated by (time, user id). Disabled accounts are left out.
 */
export async function listPeople(
  deps: Pick<CommunityDeps, 'db'>,
  actor: CommunityActor,
  list: PeopleList,
  subject: string,
  options: { limit: number; cursor?: string },
): Promise<Page<UserCard>> {
  const db = deps.db;
  let from;
  if (list === 'likers' || list === 'reposters') {
    const track = await getListenableTrack({ db }, actor ?? null, subject);
    from = sql`${sql.table(list === 'likers' ? 'likes' : 'reposts')} x join users u on u.id = x.user_id where x.track_id = ${track.id}`;
  } else {
    const userId = await enabledUserId(db, subject);
    from =
      list === 'followers'
        ? sql`follows x join users u on u.id = x.follower_id where x.followee_id = ${userId}`
        : sql`follows x join users u on u.id = x.followee_id where x.follower_id = ${userId}`;
  }
  let after = sql``;
  if (options.cursor) {
    const [at, id] = decodeCursor(options.cursor, ['time', 'int']);
    after = sql`and (x.created_at, u.id) < (${at}::timestamptz, ${id}::bigint)`;
  }
  const { rows } = await sql<{
    id: string;
    handle: string;
    display_name: string;
    avatar_key: string | null;
    role: string;
    follower_count: number;
    at: string;
  }>`
    select u.id, u.handle, u.display_name, u.avatar_key, u.role, u.follower_count,
      to_char(x.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at
    from ${from} and u.disabled_at is null ${after}
    order by x.created_at desc, u.id desc limit ${options.limit + 1}`.execute(db);
  const page = rows.slice(0, options.limit);
  const items = page.map<UserCard>((r) => ({
    id: String(r.id),
    handle: r.handle,
    displayName: r.display_name,
    avatarKey: r.avatar_key,
    role: r.role,
    followerCount: Number(r.follower_count),
    at: r.at,
  }));
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > options.limit && last ? encodeCursor([last.at, last.id]) : null };
}

/** A track's counts for a caller who may see it (404 otherwise). */
export async function getTrackCounts(
  deps: Pick<CommunityDeps, 'db'>,
  actor: CommunityActor,
  trackId: string,
): Promise<TrackCounts> {
  const track = await getListenableTrack(deps, actor ?? null, trackId);
  return trackCounts(deps.db, track.id, actor);
}

/** An enabled account's follow counts, by handle (404 otherwise). */
export async function getUserCounts(
  deps: Pick<CommunityDeps, 'db'>,
  actor: CommunityActor,
  handle: string,
): Promise<UserCounts> {
  return userCounts(deps.db, await enabledUserId(deps.db, handle), actor);
}

/** The id of the enabled account with this handle (any case); 404 otherwise. */
async function enabledUserId(db: Kysely<Database>, handle: string): Promise<string> {
  const user = await db
    .selectFrom('users')
    .select('id')
    .where('handle', '=', handle.toLowerCase())
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  if (!user) throw notFound('User');
  return user.id;
}
