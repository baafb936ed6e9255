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
/** The first key of the rollup's advisory lock (the second is the day). */
const ROLLUP_LOCK = 0x726f6c6c; // 'roll'

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
 * The listener of a play as one bigint: the account id, else minus a 64-bit hash of the IP hash
 * (never a valid id). Distinct counts and groups on it sort 8-byte integers instead of 65-byte
 * strings (bench/rollup); two IP hashes colliding in 64 bits is a 1 in 10^9 chance at 200,000
 * listeners a day, and would only undercount by one.
 */
export const LISTENER_KEY = sql`coalesce(p.user_id, -1 - (hashtextextended(p.ip_hash, 0) & 9223372036854775807))`;

const inRange = (column: string, from: string, to: string) =>
  sql`${sql.ref(column)} >= ${from}::timestamptz and ${sql.ref(column)} < ${to}::timestamptz`;

/**
 * The day's plays, one slim row each: `(track_id, owner, listener, seconds, n, ranged,
 * heard_pct)`, with the plays of deleted tracks (`deleted_track_events`, folded per listener: `n`
 * plays, `ranged` of them with ranges, no track and no buckets) so that an artist's distinct
 * listeners span both. Plays are the bulk of a day's events; they are read once, into narrow rows
 * that serve both the counts and the reach (bench/rollup).
 */
function plays(day: string, from: string, to: string): RawBuilder<unknown> {
  return sql`
    select p.track_id, t.owner_user_id as owner, ${LISTENER_KEY} as listener, p.seconds_listened::float8 as seconds,
      1 as n, (p.heard_pct is not null)::int as ranged, p.heard_pct
    from plays p join tracks t on t.id = p.track_id
    where ${inRange('p.created_at', from, to)}
    union all
    select null, x.artist_user_id, x.listener, x.seconds, x.events, x.ranged, null
    from deleted_track_events x where x.day = ${day}::date and x.kind = 'play'
  `;
}

/**
 * Every other event of the day that counts, one row each (or per folded group of a deleted
 * track): `(track_id, owner, kind, amount, n)`. `track_id` is null for what concerns a release
 * (its downloads and sales count for the artist only) and for a deleted track's events; `amount`
 * is what a sale earned the artist (the paid amount less the platform's fee, in the artist's
 * currency: Checkout charges in it).
 * - likes, reposts: the rows made that day (one removed later drops out when the day is rerun);
 * - comments: made that day and neither deleted nor taken down;
 * - sales: orders paid that day and still paid (a refund takes the sale back out on a rerun).
 */
function otherEvents(day: string, from: string, to: string): RawBuilder<unknown> {
  return sql`
    select e.track_id, coalesce(t.owner_user_id, r.owner_user_id, e.seller) as owner, e.kind, e.amount, e.n
    from (
      select l.track_id, null::bigint as release_id, null::bigint as seller, 'like' as kind, 0::bigint as amount, 1 as n
        from likes l where ${inRange('l.created_at', from, to)}
      union all
      select r.track_id, null, null, 'repost', 0, 1 from reposts r where ${inRange('r.created_at', from, to)}
      union all
      select c.track_id, null, null, 'comment', 0, 1 from comments c
        where ${inRange('c.created_at', from, to)} and c.deleted_at is null and c.taken_down_at is null
      union all
      select d.track_id, d.release_id, null, 'download', 0, 1 from download_events d where ${inRange('d.created_at', from, to)}
      union all
      select o.track_id, o.release_id, o.seller_user_id, 'sale', (o.amount_minor - o.platform_fee_minor)::bigint, 1
        from orders o where o.status = 'paid' and ${inRange('o.paid_at', from, to)}
      union all
      select null, null, x.artist_user_id, x.kind, 0, x.events
        from deleted_track_events x where x.day = ${day}::date and x.kind <> 'play'
    ) e
    left join tracks t on t.id = e.track_id
    left join releases r on r.id = e.release_id
  `;
}

const OTHER_FIGURES = ['likes', 'reposts', 'comments', 'downloads', 'sales'] as const;
const KIND: Record<(typeof OTHER_FIGURES)[number], string> = {
  likes: 'like',
  reposts: 'repost',
  comments: 'comment',
  downloads: 'download',
  sales: 'sale',
};
const NAMES = ['plays', 'listeners', 'seconds_heard', ...OTHER_FIGURES, 'revenue_minor', 'ranged_plays'];
const COLUMNS = sql.raw(NAMES.join(', '));
const FROM_AGG = sql.raw(NAMES.map((c) => `a.${c}`).join(', '));
const changed = (table: string, extra: string[] = []) =>
  sql.raw(
    `(${[...extra, ...NAMES].map((c) => `${table}.${c}`).join(', ')}) is distinct from (${[...extra, ...NAMES].map((c) => `a.${c}`).join(', ')})`,
  );
const setFromAgg = (extra: string[] = []) => sql.raw([...extra, ...NAMES].map((c) => `${c} = a.${c}`).join(', '));

/**
 * Recomputes one UTC day of the per-track and per-artist rows, in one transaction and one
 * statement. The day's plays are read once and sorted once: `GROUP BY GROUPING SETS ((owner,
 * track, heard_pct), (owner, track), (owner))` on narrow rows gives both levels (an artist's
 * listeners are distinct over all their tracks) and, at the finest, the plays of each track per
 * pattern of buckets heard, from which the reach is unnested; the day's other events, few, are
 * grouped the same way apart and joined on.
 * The writes touch only what differs: rows no event names any more are deleted, rows whose
 * figures changed are updated, new rows are inserted (plain inserts: the day is locked for the
 * transaction, so two workers rolling the same day take turns, and the second finds the first's
 * rows). A day before the retention horizon is left as it is (its plays are gone).
 */
export async function rollupInsightsDay(deps: RollupDeps, day: string): Promise<boolean> {
  checkDay(day);
  const now = deps.clock();
  if (day < retentionHorizon(now, deps.playsRetentionDays)) return false;
  const from = `${day}T00:00:00Z`;
  const to = `${addDays(day, 1)}T00:00:00Z`;
  await deps.db.transaction().execute(async (trx) => {
    // One roll of a given day at a time (the key: the day's number since 1970).
    await sql`select pg_advisory_xact_lock(${ROLLUP_LOCK}, (${day}::date - date '1970-01-01'))`.execute(trx);
    // PostgreSQL's JIT compiles these big one-off aggregates for seconds and gains nothing (bench/rollup).
    await sql`set local jit = off`.execute(trx);
    // The sort of the day's plays in memory, not in temporary files (bench/rollup: the sort of
    // 1,000,000 plays takes ~100 MB): one rollup runs at a time, for seconds.
    await sql`set local work_mem = '160MB'`.execute(trx);
    // Every join here is of whole sets (the day's rows, the day's tracks): a nested loop is never
    // right, and when the statistics of the day's tables are stale (emptied, then filled by this
    // very statement) the planner picks one whose inner side is a scan of the table being
    // written, which grows with every row (minutes instead of seconds in bench/rollup).
    await sql`set local enable_nestloop = off`.execute(trx);
    await sql`
      -- The day's plays are read once and sorted once, by (artist, track, buckets heard): the
      -- one sort gives the per-track and per-artist counts and, at its finest level, how many
      -- plays of a track heard the same buckets (the reach's input below), without a second scan.
      with play_levels as (
        select e.track_id, e.owner, grouping(e.track_id) as per_artist, grouping(e.heard_pct) as whole,
          e.heard_pct, sum(e.n)::int as plays, count(distinct e.listener)::int as listeners,
          sum(e.seconds)::float8 as seconds_heard, sum(e.ranged)::int as ranged_plays
        from (${plays(day, from, to)}) e
        group by grouping sets ((e.owner, e.track_id, e.heard_pct), (e.owner, e.track_id), (e.owner))
      ),
      play_agg as (
        select p.track_id, p.owner, p.per_artist, p.plays, p.listeners, p.seconds_heard, p.ranged_plays
        from play_levels p where p.whole = 1
      ),
      other_agg as (
        select e.track_id, e.owner, grouping(e.track_id) as per_artist,
          ${sql.join(
            OTHER_FIGURES.map(
              (f) => sql`coalesce(sum(e.n) filter (where e.kind = ${KIND[f]}), 0)::int as ${sql.ref(f)}`,
            ),
          )},
          coalesce(sum(e.amount), 0)::bigint as revenue_minor
        from (${otherEvents(day, from, to)}) e
        where e.owner is not null
        group by grouping sets ((e.owner, e.track_id), (e.owner))
      ),
      agg as (
        select coalesce(p.track_id, o.track_id) as track_id, coalesce(p.owner, o.owner) as owner,
          coalesce(p.per_artist, o.per_artist) as per_artist,
          coalesce(p.plays, 0) as plays, coalesce(p.listeners, 0) as listeners,
          coalesce(p.seconds_heard, 0)::float8 as seconds_heard,
          ${sql.join(OTHER_FIGURES.map((f) => sql`coalesce(o.${sql.ref(f)}, 0) as ${sql.ref(f)}`))},
          coalesce(o.revenue_minor, 0)::bigint as revenue_minor, coalesce(p.ranged_plays, 0) as ranged_plays
        from play_agg p full join other_agg o
          on o.per_artist = p.per_artist and o.owner = p.owner and coalesce(o.track_id, 0) = coalesce(p.track_id, 0)
      ),
      -- Reach: the plays of a track that heard the same buckets come counted together from the
      -- one pass above (whole listens and listens stopped at the same point repeat), so the unnest
      -- and its grouping see distinct patterns, not every play (bench/rollup).
      reach as (
        select x.track_id, array_agg(x.bucket order by x.bucket) as buckets, array_agg(x.n order by x.bucket) as n
        from (
          select h.track_id, b.bucket, sum(h.plays)::int as n
          from play_levels h cross join lateral unnest(h.heard_pct) as b(bucket)
          where h.whole = 0 and h.heard_pct is not null and h.track_id is not null
          group by h.track_id, b.bucket
        ) x
        group by x.track_id
      ),
      tracks_now as (
        select a.track_id, a.owner as owner_user_id, ${FROM_AGG},
          coalesce(rc.buckets, '{}') as reach_buckets, coalesce(rc.n, '{}') as reach_plays
        from agg a left join reach rc on rc.track_id = a.track_id
        where a.per_artist = 0 and a.track_id is not null
      ),
      -- Rows of this day that no event names any more (a removed like, a deleted comment) go.
      stale_tracks as (
        delete from track_daily_stats s where s.day = ${day}::date
          and not exists (select 1 from tracks_now a where a.track_id = s.track_id)
      ),
      stale_artists as (
        delete from artist_daily_stats s where s.day = ${day}::date
          and not exists (select 1 from agg a where a.per_artist = 1 and a.owner = s.artist_user_id)
      ),
      -- The rest is only written when a figure changed: the job rolls today again every few
      -- minutes, when most of its rows are as they were (no dead rows, no index churn for them).
      -- \`computed_at\` is when the row's figures last changed.
      changed_tracks as (
        update track_daily_stats s set ${setFromAgg(['owner_user_id', 'reach_buckets', 'reach_plays'])}, computed_at = ${now}::timestamptz
        from tracks_now a
        where s.day = ${day}::date and s.track_id = a.track_id
          and ${changed('s', ['owner_user_id', 'reach_buckets', 'reach_plays'])}
      ),
      new_tracks as (
        insert into track_daily_stats (day, track_id, owner_user_id, ${COLUMNS}, reach_buckets, reach_plays, computed_at)
        select ${day}::date, a.track_id, a.owner_user_id, ${FROM_AGG}, a.reach_buckets, a.reach_plays, ${now}::timestamptz
        from tracks_now a
        where not exists (select 1 from track_daily_stats s where s.day = ${day}::date and s.track_id = a.track_id)
      ),
      changed_artists as (
        update artist_daily_stats s set ${setFromAgg()}, computed_at = ${now}::timestamptz
        from agg a
        where a.per_artist = 1 and s.day = ${day}::date and s.artist_user_id = a.owner and ${changed('s')}
      )
      insert into artist_daily_stats (day, artist_user_id, ${COLUMNS}, computed_at)
      select ${day}::date, a.owner, ${FROM_AGG}, ${now}::timestamptz
      from agg a
      where a.per_artist = 1
        and not exists (select 1 from artist_daily_stats s where s.day = ${day}::date and s.artist_user_id = a.owner)
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
