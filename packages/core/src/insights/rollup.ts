import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '@earshot/db';
import { rollupDay as rollupPlatformDay, utcDay } from '../analytics/daily-rollup.ts';
import { badRequest } from '../errors.ts';

/**
 * The daily rollup (docs/architecture.md, "Insights and trending"): raw events folded into one row
 * per UTC day per track (`track_daily_stats`, with the 1% buckets its plays heard) and per artist
 * (`artist_daily_stats`).
 *
 * - Idempotent: a day is recomputed from the source tables (`INSERT … SELECT … GROUP BY` with
 *   `ON CONFLICT DO UPDATE` of the rows whose figures changed, rows of the day no event names any
 *   more are removed), never incremented, so reruns, retries and two workers doing the same day give the same rows.
 * - Catches up: `rollup_progress.through_day` is the last day rolled after it ended; each run
 *   rolls from that day (once more, for events committed around midnight) to today. The first run
 *   starts at the oldest event: a backfill from history.
 * - Retention: plays older than `playsRetentionDays` are deleted once their day is rolled; a day
 *   older than the horizon is never recomputed (its plays are gone; its rows stay).
 */

export interface RollupDeps {
  db: Kysely<Database>;
  clock: () => Date;
  playsRetentionDays: number;
}

export interface RollupOutcome {
  days: string[];
  deletedPlays: number;
}

const DAY_MS = 86_400_000;
const PROGRESS_KEY = 'daily';

function checkDay(day: string): void {
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(day) ||
    Number.isNaN(Date.parse(`${day}T00:00:00Z`)) ||
    utcDay(new Date(`${day}T00:00:00Z`)) !== day
  )
    throw badRequest(`Invalid day ${day}`);
}

function addDays(day: string, n: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
}

/** The first day whose plays are still kept. */
export function retentionHorizon(now: Date, retentionDays: number): string {
  return utcDay(new Date(now.getTime() - retentionDays * DAY_MS));
}

/**
 * Every event of `[from, to)` that counts in the daily figures, one row each:
 * `(track_id, release_id, seller, kind, listener, seconds, amount, n, ranged)`. `track_id` is null for what
 * concerns a release (its downloads and sales count for the artist only); `n` is how many events
 * the row stands for (1, except the folded events of deleted tracks: `deleted_track_events`, whose
 * `seller` is the artist) and `ranged` how many of them were plays with ranges; `listener` (the account,
 * else the IP hash) is set for plays only; `amount` is what a sale earned the artist (the paid
 * amount less the platform's fee, in the artist's currency: Checkout charges in it). One place
 * for the sources, shared by the per-track and per-artist statements.
 * - likes, reposts: the rows made that day (one removed later drops out when the day is rerun);
 * - comments: made that day and neither deleted nor taken down;
 * - sales: orders paid that day and still paid (a refund takes the sale back out on a rerun).
 */
/**
 * The listener of a play as one bigint: the account id, else minus a 64-bit hash of the IP hash
 * (never a valid id). Distinct counts and groups on it sort 8-byte integers instead of 65-byte
 * strings (bench/rollup); two IP hashes colliding in 64 bits is a 1 in 10^9 chance at 200,000
 * listeners a day, and would only undercount by one.
 */
export const LISTENER_KEY = sql`coalesce(p.user_id, -1 - (hashtextextended(p.ip_hash, 0) & 9223372036854775807))`;

function events(day: string, from: string, to: string): RawBuilder<unknown> {
  const inDay = (column: string) =>
    sql`${sql.ref(column)} >= ${from}::timestamptz and ${sql.ref(column)} < ${to}::timestamptz`;
  // No joins here: the owner is looked up once per group (per track) or per row only where the
  // artist statement needs it. `release_id` names a release's downloads; `seller` a sale's artist.
  return sql`
    select p.track_id, null::bigint as release_id, null::bigint as seller, 'play' as kind,
      ${LISTENER_KEY} as listener,
      p.seconds_listened::float8 as seconds, 0::bigint as amount, 1 as n, (p.heard_pct is not null)::int as ranged
    from plays p where ${inDay('p.created_at')}
    union all
    select l.track_id, null, null, 'like', null::bigint, 0, 0, 1, 0 from likes l where ${inDay('l.created_at')}
    union all
    select r.track_id, null, null, 'repost', null, 0, 0, 1, 0 from reposts r where ${inDay('r.created_at')}
    union all
    select c.track_id, null, null, 'comment', null, 0, 0, 1, 0 from comments c
      where ${inDay('c.created_at')} and c.deleted_at is null and c.taken_down_at is null
    union all
    select d.track_id, d.release_id, null, 'download', null, 0, 0, 1, 0 from download_events d where ${inDay('d.created_at')}
    union all
    select o.track_id, o.release_id, o.seller_user_id, 'sale', null, 0, (o.amount_minor - o.platform_fee_minor)::bigint, 1, 0
      from orders o where o.status = 'paid' and ${inDay('o.paid_at')}
    union all
    select null, null, x.artist_user_id, x.kind, x.listener, x.seconds, 0, x.events, x.ranged
      from deleted_track_events x where x.day = ${day}::date
  `;
}

const FIGURES = sql`
  coalesce(sum(e.n) filter (where e.kind = 'play'), 0)::int as plays,
  count(distinct e.listener)::int as listeners,
  coalesce(sum(e.seconds), 0)::float8 as seconds_heard,
  coalesce(sum(e.n) filter (where e.kind = 'like'), 0)::int as likes,
  coalesce(sum(e.n) filter (where e.kind = 'repost'), 0)::int as reposts,
  coalesce(sum(e.n) filter (where e.kind = 'comment'), 0)::int as comments,
  coalesce(sum(e.n) filter (where e.kind = 'download'), 0)::int as downloads,
  coalesce(sum(e.n) filter (where e.kind = 'sale'), 0)::int as sales,
  coalesce(sum(e.amount), 0)::bigint as revenue_minor,
  coalesce(sum(e.ranged), 0)::int as ranged_plays
`;
const NAMES = [
  'plays',
  'listeners',
  'seconds_heard',
  'likes',
  'reposts',
  'comments',
  'downloads',
  'sales',
  'revenue_minor',
  'ranged_plays',
];
const COLUMNS = sql.raw(NAMES.join(', '));
const FROM_AGG = sql.raw(NAMES.map((c) => `a.${c}`).join(', '));
const UPDATE = sql.raw([...NAMES, 'computed_at'].map((c) => `${c} = excluded.${c}`).join(', '));

/**
 * Recomputes one UTC day of the per-track and per-artist rows, in one transaction and one pass
 * over the day's events: `GROUP BY GROUPING SETS ((track, owner), (owner))` gives both levels
 * (an artist's listeners are distinct over all their tracks), and a data-modifying CTE writes
 * both tables. A day before the retention horizon is left as it is (its plays are gone).
 */
export async function rollupInsightsDay(deps: RollupDeps, day: string): Promise<boolean> {
  checkDay(day);
  const now = deps.clock();
  if (day < retentionHorizon(now, deps.playsRetentionDays)) return false;
  const from = `${day}T00:00:00Z`;
  const to = `${addDays(day, 1)}T00:00:00Z`;
  await deps.db.transaction().execute(async (trx) => {
    // PostgreSQL's JIT compiles these big one-off aggregates for seconds and gains nothing (bench/rollup).
    await sql`set local jit = off`.execute(trx);
    // A sort of the day's events in memory, not in temporary files (bench/rollup: the sort of
    // 1,000,000 events takes ~130 MB): one rollup runs at a time, for seconds.
    await sql`set local work_mem = '160MB'`.execute(trx);
    await sql`
      with agg as (
        select e.track_id, o.owner, grouping(e.track_id) as per_artist, ${FIGURES}
        from (${events(day, from, to)}) e
        left join tracks t on t.id = e.track_id
        left join releases r on r.id = e.release_id
        cross join lateral (select coalesce(t.owner_user_id, r.owner_user_id, e.seller) as owner) o
        where o.owner is not null
        group by grouping sets ((e.track_id, o.owner), (o.owner))
      ),
      -- Reach: plays of a track that heard the same buckets are counted together before the
      -- buckets are unnested (whole listens and listens stopped at the same point repeat), so the
      -- unnest and its grouping see distinct patterns, not every play (bench/rollup).
      reach as (
        select x.track_id, array_agg(x.bucket order by x.bucket) as buckets, array_agg(x.n order by x.bucket) as n
        from (
          select h.track_id, b.bucket, sum(h.n)::int as n
          from (
            select p.track_id, p.heard_pct, count(*) as n
            from plays p
            where p.created_at >= ${from}::timestamptz and p.created_at < ${to}::timestamptz and p.heard_pct is not null
            group by p.track_id, p.heard_pct
          ) h cross join lateral unnest(h.heard_pct) as b(bucket)
          group by h.track_id, b.bucket
        ) x
        group by x.track_id
      ),
      -- Rows of this day that no event names any more (a removed like, a deleted comment) go.
      stale_tracks as (
        delete from track_daily_stats s where s.day = ${day}::date
          and not exists (select 1 from agg a where a.per_artist = 0 and a.track_id = s.track_id)
      ),
      stale_artists as (
        delete from artist_daily_stats s where s.day = ${day}::date
          and not exists (select 1 from agg a where a.per_artist = 1 and a.owner = s.artist_user_id)
      ),
      -- The others are upserted, and only written when a figure changed: the job rolls today
      -- again every few minutes, when most of its rows are as they were (no dead rows, no index
      -- churn for them). \`computed_at\` is when the row's figures last changed.
      per_track as (
        insert into track_daily_stats (day, track_id, owner_user_id, ${COLUMNS}, reach_buckets, reach_plays, computed_at)
        select ${day}::date, a.track_id, a.owner, ${FROM_AGG}, coalesce(rc.buckets, '{}'), coalesce(rc.n, '{}'), ${now}::timestamptz
        from agg a left join reach rc on rc.track_id = a.track_id
        where a.per_artist = 0 and a.track_id is not null
        on conflict (day, track_id) do update set owner_user_id = excluded.owner_user_id, reach_buckets = excluded.reach_buckets, reach_plays = excluded.reach_plays, ${UPDATE}
        where (track_daily_stats.owner_user_id, track_daily_stats.reach_buckets, track_daily_stats.reach_plays, ${sql.raw(NAMES.map((c) => `track_daily_stats.${c}`).join(', '))})
          is distinct from (excluded.owner_user_id, excluded.reach_buckets, excluded.reach_plays, ${sql.raw(NAMES.map((c) => `excluded.${c}`).join(', '))})
      )
      insert into artist_daily_stats (day, artist_user_id, ${COLUMNS}, computed_at)
      select ${day}::date, a.owner, ${FROM_AGG}, ${now}::timestamptz
      from agg a where a.per_artist = 1
      on conflict (day, artist_user_id) do update set ${UPDATE}
        where (${sql.raw(NAMES.map((c) => `artist_daily_stats.${c}`).join(', '))}) is distinct from (${sql.raw(NAMES.map((c) => `excluded.${c}`).join(', '))})
    `.execute(trx);
  });
  return true;
}

/**
 * Before a track is deleted (its plays, likes, reposts and comments go by cascade; its downloads
 * lose the track), its events still inside the rollup's reach are folded into
 * `deleted_track_events` per UTC day, kind and listener, so the artist's daily rows keep them
 * when a day is rolled again. Its own per-track rows go with it. Call inside the deleting
 * transaction, with the track row locked.
 */
export async function keepDeletedTrackEvents(
  db: Kysely<Database>,
  trackId: string,
  ownerUserId: string,
): Promise<void> {
  const day = (column: string) => sql`(${sql.ref(column)} at time zone 'UTC')::date`;
  await sql`
    insert into deleted_track_events (day, artist_user_id, kind, listener, events, seconds, ranged)
    select ${day('p.created_at')}, ${ownerUserId}::bigint, 'play', ${LISTENER_KEY}, count(*)::int,
      sum(p.seconds_listened)::float8, count(*) filter (where p.heard_pct is not null)::int
    from plays p where p.track_id = ${trackId}::bigint
    group by 1, 4
    union all
    select ${day('l.created_at')}, ${ownerUserId}::bigint, 'like', null, count(*)::int, 0, 0
    from likes l where l.track_id = ${trackId}::bigint group by 1
    union all
    select ${day('r.created_at')}, ${ownerUserId}::bigint, 'repost', null, count(*)::int, 0, 0
    from reposts r where r.track_id = ${trackId}::bigint group by 1
    union all
    select ${day('c.created_at')}, ${ownerUserId}::bigint, 'comment', null, count(*)::int, 0, 0
    from comments c where c.track_id = ${trackId}::bigint and c.deleted_at is null and c.taken_down_at is null group by 1
    union all
    select ${day('d.created_at')}, ${ownerUserId}::bigint, 'download', null, count(*)::int, 0, 0
    from download_events d where d.track_id = ${trackId}::bigint and d.release_id is null group by 1
  `.execute(db);
}

/** The oldest day any source has an event on (the backfill's start), or null when there is none. */
async function firstEventDay(db: Kysely<Database>): Promise<string | null> {
  const row = await sql<{ first: Date | string | null }>`
    select least(
      (select min(created_at) from plays), (select min(created_at) from likes), (select min(created_at) from reposts),
      (select min(created_at) from comments), (select min(created_at) from download_events), (select min(paid_at) from orders)
    ) as first`.execute(db);
  const first = row.rows[0]?.first;
  return first ? utcDay(new Date(first)) : null;
}

/**
 * One run of the `analytics-rollup` job: rolls every day from the last finished one (or the
 * first event, on the first run) through today, records progress, then deletes plays past the
 * retention period. Safe to run at any time, as often as wanted.
 */
export async function runRollup(deps: RollupDeps): Promise<RollupOutcome> {
  const now = deps.clock();
  const today = utcDay(now);
  const horizon = retentionHorizon(now, deps.playsRetentionDays);
  // Dates leave SQL as text: pg would read a `date` as local midnight.
  const progress = (
    await sql<{
      day: string;
    }>`select through_day::text as day from rollup_progress where name = ${PROGRESS_KEY}`.execute(deps.db)
  ).rows[0];
  let start = progress ? progress.day : ((await firstEventDay(deps.db)) ?? today);
  if (start < horizon) start = horizon;
  if (start > today) start = today;
  const days: string[] = [];
  for (let day = start; day <= today; day = addDays(day, 1)) {
    await rollupInsightsDay(deps, day);
    await rollupPlatformDay(deps.db, day);
    days.push(day);
  }
  const finished = addDays(today, -1);
  await deps.db
    .insertInto('rollup_progress')
    .values({ name: PROGRESS_KEY, through_day: finished, updated_at: now })
    .onConflict((oc) => oc.column('name').doUpdateSet({ through_day: finished, updated_at: now }))
    .execute();
  // Only days already rolled lose their plays: the horizon is before `finished` (retention ≥ 14 days).
  const deleted = await deps.db
    .deleteFrom('plays')
    .where('created_at', '<', new Date(`${horizon}T00:00:00Z`))
    .executeTakeFirst();
  await deps.db.deleteFrom('deleted_track_events').where('day', '<', horizon).execute();
  return { days, deletedPlays: Number(deleted.numDeletedRows ?? 0) };
}
