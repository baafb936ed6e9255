import { sql, type Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { validationFailed } from '../errors.ts';
import { TRACK_CARD_COLUMNS, toTrackCard, type TrackCard } from '../tracks/list-latest.ts';
import type { ListCache } from './cache.ts';
import { trackListed } from '../visibility.ts';
import { LISTENER_KEY } from './rollup.ts';

/**
 * Trending (docs/architecture.md, "Insights and trending"):
 * score = Σ weight × 2^(−age / half-life) over the events of the period's window, where
 * - the weights are play 1, like 3, repost 4, comment 2, purchase 8;
 * - one account (or one IP hash, for anonymous plays) counts once per track per window: its latest
 *   event of each kind;
 * - plays under 30 s heard never count, and neither does anything the track's owner does;
 * - half-life 24 h for `day` (window 48 h: yesterday weighs half), 72 h for `week` (window 7 days).
 * The worker recomputes `trending_scores` (the `analytics-rollup` queue, every few minutes) and
 * clears the cached lists; the API serves lists from the cache, filling it from `trending_scores`.
 */

export const TRENDING_PERIODS = {
  day: { halfLifeHours: 24, windowHours: 48 },
  week: { halfLifeHours: 72, windowHours: 7 * 24 },
} as const;
export type TrendingPeriod = keyof typeof TRENDING_PERIODS;
export const TRENDING_WEIGHTS = { play: 1, like: 3, repost: 4, comment: 2, purchase: 8 } as const;
export const TRENDING_MIN_PLAY_SECONDS = 30;
export const TRENDING_MAX_LIMIT = 100;
export const TRENDING_GENRE_MAX = 50;
/** How long a cached list lives without an invalidation (the recompute replaces it sooner). */
export const TRENDING_CACHE_TTL_SECONDS = 300;
/** Browsers and nginx may keep a list this long (`Cache-Control: public, max-age`). */
export const TRENDING_MAX_AGE_SECONDS = 60;
const CACHE_PREFIX = 'trending:';

export interface TrendingDeps {
  db: Kysely<Database>;
  cache: ListCache;
  clock: () => Date;
}

export interface TrendingEntry extends TrackCard {
  rank: number;
  score: number;
  genre: string | null;
}

export interface TrendingList {
  period: TrendingPeriod;
  genre: string | null;
  computedAt: string | null;
  tracks: TrendingEntry[];
}

/**
 * The events of the window, once per (track, actor, kind) — the actor's latest — none of the
 * track owner's: `(track_id, at, weight)`. Plays under 30 s heard never count (a short track's
 * full play counts as a play, not in trending). Purchases are paid orders of the track, by
 * account or else by buyer email.
 */
function windowEvents(since: Date, now: Date) {
  const w = TRENDING_WEIGHTS;
  const inWindow = (column: string) => sql`${sql.ref(column)} > ${since} and ${sql.ref(column)} <= ${now}`;
  return sql`
    select p.track_id, max(p.created_at) as at, ${w.play}::float8 as weight
    from plays p join tracks t on t.id = p.track_id
    where ${inWindow('p.created_at')} and p.seconds_listened >= ${TRENDING_MIN_PLAY_SECONDS}
      and (p.user_id is null or p.user_id <> t.owner_user_id)
    group by p.track_id, ${LISTENER_KEY}
    union all
    select l.track_id, l.created_at, ${w.like}::float8 from likes l join tracks t on t.id = l.track_id
    where ${inWindow('l.created_at')} and l.user_id <> t.owner_user_id
    union all
    select r.track_id, r.created_at, ${w.repost}::float8 from reposts r join tracks t on t.id = r.track_id
    where ${inWindow('r.created_at')} and r.user_id <> t.owner_user_id
    union all
    select c.track_id, max(c.created_at), ${w.comment}::float8 from comments c join tracks t on t.id = c.track_id
    where ${inWindow('c.created_at')} and c.user_id is not null and c.user_id <> t.owner_user_id and c.deleted_at is null and c.taken_down_at is null
    group by c.track_id, c.user_id
    union all
    select o.track_id, max(o.paid_at), ${w.purchase}::float8 from orders o join tracks t on t.id = o.track_id
    where o.status = 'paid' and ${inWindow('o.paid_at')} and (o.buyer_user_id is null or o.buyer_user_id <> t.owner_user_id)
      and (o.buyer_user_id is not null or o.buyer_email is not null)
    group by o.track_id, coalesce('u' || o.buyer_user_id::text, 'e' || lower(o.buyer_email))
  `;
}

/**
 * Recomputes `trending_scores` for both periods in one pass over the longest window (each
 * actor's latest event per track and kind; `day` keeps those of its shorter window), then clears
 * the cached lists.
 */
export async function recomputeTrending(deps: TrendingDeps): Promise<{ period: TrendingPeriod; tracks: number }[]> {
  const now = deps.clock();
  const day = TRENDING_PERIODS.day;
  const week = TRENDING_PERIODS.week;
  const since = new Date(now.getTime() - Math.max(day.windowHours, week.windowHours) * 3_600_000);
  const daySince = new Date(now.getTime() - day.windowHours * 3_600_000);
  const decay = (halfLifeHours: number) =>
    sql`e.weight * power(2::float8, -extract(epoch from (${now}::timestamptz - e.at)) / ${halfLifeHours * 3600}::float8)`;
  const counts = await deps.db.transaction().execute(async (trx) => {
    // PostgreSQL's JIT compiles this one-off aggregate for seconds and gains nothing (bench/rollup).
    await sql`set local jit = off`.execute(trx);
    // The week's plays grouped per (track, listener): in memory rather than temporary files as far
    // as it goes (bench/rollup); one recompute runs at a time.
    await sql`set local work_mem = '160MB'`.execute(trx);
    await sql`delete from trending_scores`.execute(trx);
    await sql`
      with scored as (
        select e.track_id, t.genre,
          sum(${decay(day.halfLifeHours)}) filter (where e.at > ${daySince}::timestamptz) as day_score,
          sum(${decay(week.halfLifeHours)}) as week_score
        from (${windowEvents(since, now)}) e join tracks t on t.id = e.track_id
        group by e.track_id, t.genre
      )
      insert into trending_scores (period, track_id, genre, score, computed_at)
      select 'day', track_id, genre, day_score, ${now}::timestamptz from scored where day_score is not null
      union all
      select 'week', track_id, genre, week_score, ${now}::timestamptz from scored
    `.execute(trx);
    const rows = await sql<{
      period: TrendingPeriod;
      n: number;
    }>`select period, count(*)::int as n from trending_scores group by period`.execute(trx);
    return new Map(rows.rows.map((r) => [r.period, Number(r.n)]));
  });
  await deps.cache.deletePrefix(CACHE_PREFIX);
  return (Object.keys(TRENDING_PERIODS) as TrendingPeriod[]).map((period) => ({
    period,
    tracks: counts.get(period) ?? 0,
  }));
}

export interface TrendingQuery {
  period?: string;
  genre?: string;
  limit?: number;
}

function normaliseQuery(query: TrendingQuery): { period: TrendingPeriod; genre: string | null; limit: number } {
  const period = query.period ?? 'day';
  if (period !== 'day' && period !== 'week') throw validationFailed('period must be day or week', { field: 'period' });
  const genre = query.genre?.trim().toLowerCase() || null;
  if (genre !== null && genre.length > TRENDING_GENRE_MAX)
    throw validationFailed(`genre is at most ${TRENDING_GENRE_MAX} characters`, { field: 'genre' });
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > TRENDING_MAX_LIMIT)
    throw validationFailed(`limit must be 1..${TRENDING_MAX_LIMIT}`, { field: 'limit' });
  return { period, genre, limit };
}

/**
 * The trending list as JSON text, from the cache or (on a miss) from `trending_scores`, shaped by
 * the caller's `present` (the HTTP presenter): the route sends the text as it is, so a hit costs
 * one cache read and no serialisation.
 */
export async function getTrendingJson(
  deps: Pick<TrendingDeps, 'db' | 'cache'>,
  query: TrendingQuery,
  present: (list: TrendingList) => unknown = (l) => l,
): Promise<string> {
  const q = normaliseQuery(query);
  const key = `${CACHE_PREFIX}${q.period}:${q.limit}:${q.genre ?? ''}`;
  const hit = await deps.cache.get(key);
  if (hit !== null) return hit;
  const json = JSON.stringify(present(await readTrending(deps.db, q)));
  await deps.cache.set(key, json, TRENDING_CACHE_TTL_SECONDS);
  return json;
}

export async function getTrending(
  deps: Pick<TrendingDeps, 'db' | 'cache'>,
  query: TrendingQuery,
): Promise<TrendingList> {
  return JSON.parse(await getTrendingJson(deps, query)) as TrendingList;
}

async function readTrending(
  db: Kysely<Database>,
  q: { period: TrendingPeriod; genre: string | null; limit: number },
): Promise<TrendingList> {
  let query = db
    .selectFrom('trending_scores as s')
    .innerJoin('tracks as t', 't.id', 's.track_id')
    .innerJoin('users as u', 'u.id', 't.owner_user_id')
    .innerJoin('track_versions as v', 'v.id', 't.current_version_id')
    .select([...TRACK_CARD_COLUMNS, 's.score', 's.genre', 's.computed_at'])
    .where('s.period', '=', q.period)
    // Listed tracks only (the visibility rule), whatever they were when scored.
    .where((eb) => trackListed(eb, 't'))
    .orderBy('s.score', 'desc')
    .orderBy('s.track_id', 'desc')
    .limit(q.limit);
  if (q.genre !== null) query = query.where(sql<boolean>`lower(s.genre) = ${q.genre}`);
  const rows = await query.execute();
  return {
    period: q.period,
    genre: q.genre,
    computedAt: rows[0] ? new Date(rows[0].computed_at).toISOString() : null,
    tracks: rows.map((r, i) => ({
      rank: i + 1,
      score: Math.round(r.score * 1000) / 1000,
      genre: r.genre,
      ...toTrackCard(r),
    })),
  };
}
