import { sql, type Kysely } from 'kysely';
import type { Database } from '@earshot/db';
import { isAdmin, ownsOrAdmin, type Actor } from '../actor.ts';
import { forbidden, notFound, unauthorized, validationFailed } from '../errors.ts';
import { utcDay } from '../analytics/daily-rollup.ts';
import { REACH_BUCKETS } from '../plays/heard-ranges.ts';

/**
 * Artist insights (docs/architecture.md, "Insights and trending"): the daily figures of a track,
 * of an artist, or of the whole platform (admins), over a range of days, read from the rollup's
 * rows; and for a track, "where listeners stop": the share of plays (that reported their ranges)
 * still listening at each 1% of the track.
 */

/** The longest range one request may ask for. */
export const MAX_STATS_DAYS = 366;
/** The range when none is given: the last 30 days, today included. */
export const DEFAULT_STATS_DAYS = 30;
export const TOP_TRACKS = 10;
/** Comment markers drawn over the waveform, at most. */
export const MAX_COMMENT_MARKERS = 500;

export interface DayFigures {
  day: string;
  plays: number;
  /** Distinct listeners that day (account, else IP hash). Totals add the days up. */
  listeners: number;
  secondsHeard: number;
  likes: number;
  reposts: number;
  comments: number;
  downloads: number;
  sales: number;
  /** What sales earned the artist (after the platform's fee), in minor units of their currency. */
  revenueMinor: number;
}

export type Totals = Omit<DayFigures, 'day'>;

export interface StatsRange {
  from: string;
  to: string;
}

export interface SeriesStats extends StatsRange {
  days: DayFigures[];
  totals: Totals;
}

export interface TopTrack extends Totals {
  id: string;
  title: string;
  slug: string;
}

export interface ArtistStats extends SeriesStats {
  scope: 'artist' | 'platform';
  topTracks: TopTrack[];
}

export interface TrackStats extends SeriesStats {
  track: { id: string; title: string; slug: string; durationMs: number | null; ownerHandle: string };
  /** Where listeners stop: `curve[i]` = share (0..1) of ranged plays that heard the i-th 1%. */
  reach: { plays: number; curve: number[] };
  /** Positions (ms) of the track's visible comments, for markers over the waveform. */
  commentPositionsMs: number[];
}

export interface StatsDeps {
  db: Kysely<Database>;
  clock: () => Date;
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

function parseDay(value: string, field: string): string {
  if (!DAY_RE.test(value)) throw validationFailed(`${field} must be a date YYYY-MM-DD`, { field });
  const ms = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(ms) || utcDay(new Date(ms)) !== value)
    throw validationFailed(`${field} is not a real date`, { field });
  if (value < '2000-01-01' || value > '2999-12-31') throw validationFailed(`${field} is out of range`, { field });
  return value;
}

const addDays = (day: string, n: number) => utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000));

/** `from`/`to` (inclusive UTC days) from a request: defaults, order, and at most MAX_STATS_DAYS days. */
export function statsRange(input: { from?: string; to?: string }, now: Date): StatsRange {
  const to = input.to !== undefined ? parseDay(input.to, 'to') : utcDay(now);
  const from = input.from !== undefined ? parseDay(input.from, 'from') : addDays(to, -(DEFAULT_STATS_DAYS - 1));
  if (from > to) throw validationFailed('from must not be after to', { field: 'from' });
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  if (days > MAX_STATS_DAYS) throw validationFailed(`a range holds at most ${MAX_STATS_DAYS} days`, { field: 'from' });
  return { from, to };
}

const SUMS = sql`
  coalesce(sum(plays), 0)::int as plays, coalesce(sum(listeners), 0)::int as listeners, coalesce(sum(seconds_heard), 0)::float8 as seconds_heard,
  coalesce(sum(likes), 0)::int as likes, coalesce(sum(reposts), 0)::int as reposts, coalesce(sum(comments), 0)::int as comments,
  coalesce(sum(downloads), 0)::int as downloads, coalesce(sum(sales), 0)::int as sales, coalesce(sum(revenue_minor), 0)::bigint as revenue_minor
`;

interface SumRow {
  plays: number;
  listeners: number;
  seconds_heard: number;
  likes: number;
  reposts: number;
  comments: number;
  downloads: number;
  sales: number;
  revenue_minor: string | number;
}

function totalsOf(r: SumRow | undefined): Totals {
  return {
    plays: Number(r?.plays ?? 0),
    listeners: Number(r?.listeners ?? 0),
    secondsHeard: Math.round(Number(r?.seconds_heard ?? 0)),
    likes: Number(r?.likes ?? 0),
    reposts: Number(r?.reposts ?? 0),
    comments: Number(r?.comments ?? 0),
    downloads: Number(r?.downloads ?? 0),
    sales: Number(r?.sales ?? 0),
    revenueMinor: Number(r?.revenue_minor ?? 0),
  };
}

/** Every day of the range, zeros where no row exists (charts stay continuous). */
function series(range: StatsRange, rows: Array<SumRow & { day: string }>): SeriesStats {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const days: DayFigures[] = [];
  for (let d = range.from; d <= range.to; d = addDays(d, 1)) days.push({ day: d, ...totalsOf(byDay.get(d)) });
  const totals = totalsOf(undefined);
  for (const d of days) for (const k of Object.keys(totals) as (keyof Totals)[]) totals[k] += d[k];
  return { ...range, days, totals };
}

type Table = 'track_daily_stats' | 'artist_daily_stats';

async function dailyRows(db: Kysely<Database>, table: Table, range: StatsRange, filter: ReturnType<typeof sql> | null) {
  const where = filter ? sql`and ${filter}` : sql``;
  const result = await sql<SumRow & { day: string }>`
    select day::text as day, ${SUMS} from ${sql.table(table)}
    where day >= ${range.from}::date and day <= ${range.to}::date ${where}
    group by day order by day`.execute(db);
  return result.rows;
}

async function topTracks(db: Kysely<Database>, range: StatsRange, ownerId: string | null): Promise<TopTrack[]> {
  const where = ownerId !== null ? sql`and s.owner_user_id = ${ownerId}` : sql``;
  const result = await sql<SumRow & { id: string; title: string; slug: string }>`
    select t.id, t.title, t.slug, ${SUMS}
    from track_daily_stats s join tracks t on t.id = s.track_id
    where s.day >= ${range.from}::date and s.day <= ${range.to}::date ${where}
    group by t.id, t.title, t.slug
    order by sum(s.plays) desc, sum(s.likes) desc, t.id desc
    limit ${TOP_TRACKS}`.execute(db);
  return result.rows.map((r) => ({ id: String(r.id), title: r.title, slug: r.slug, ...totalsOf(r) }));
}

/**
 * `GET /me/stats`: the caller's own figures as an artist (any signed-in account; empty without
 * tracks). The platform-wide view (`scope: 'platform'`, admins): every artist's figures added up,
 * and the top tracks of all.
 */
export async function getArtistStats(
  deps: StatsDeps,
  actor: Actor | null,
  input: { from?: string; to?: string },
  scope: ArtistStats['scope'] = 'artist',
): Promise<ArtistStats> {
  if (!actor) throw unauthorized();
  if (scope === 'platform' && !isAdmin(actor)) throw forbidden('Only admins see the platform-wide figures');
  const range = statsRange(input, deps.clock());
  const artistId = scope === 'artist' ? actor.id : null;
  const rows = await dailyRows(
    deps.db,
    'artist_daily_stats',
    range,
    artistId === null ? null : sql`artist_user_id = ${artistId}`,
  );
  return { scope, ...series(range, rows), topTracks: await topTracks(deps.db, range, artistId) };
}

/** `GET /tracks/:id/stats`: the owner's or an admin's; anyone else is told the track does not exist. */
export async function getTrackStats(
  deps: StatsDeps,
  actor: Actor | null,
  trackId: string,
  input: { from?: string; to?: string },
): Promise<TrackStats> {
  if (!/^[1-9]\d{0,17}$/.test(trackId)) throw notFound('Track');
  const track = await deps.db
    .selectFrom('tracks as t')
    .innerJoin('users as u', 'u.id', 't.owner_user_id')
    .leftJoin('track_versions as v', 'v.id', 't.current_version_id')
    .select(['t.id', 't.title', 't.slug', 't.owner_user_id', 'u.handle', 'v.duration_ms'])
    .where('t.id', '=', trackId)
    .executeTakeFirst();
  if (!track || !ownsOrAdmin(actor, track.owner_user_id)) throw notFound('Track');
  const range = statsRange(input, deps.clock());
  const rows = await dailyRows(deps.db, 'track_daily_stats', range, sql`track_id = ${trackId}`);
  const ranged = await sql<{ n: number }>`
    select coalesce(sum(ranged_plays), 0)::int as n from track_daily_stats
    where track_id = ${trackId} and day >= ${range.from}::date and day <= ${range.to}::date`.execute(deps.db);
  const buckets = await sql<{ bucket: number; plays: number }>`
    select r.bucket, sum(r.plays)::int as plays
    from track_daily_stats s cross join lateral unnest(s.reach_buckets, s.reach_plays) as r(bucket, plays)
    where s.track_id = ${trackId} and s.day >= ${range.from}::date and s.day <= ${range.to}::date
    group by r.bucket`.execute(deps.db);
  const rangedPlays = Number(ranged.rows[0]?.n ?? 0);
  const curve = Array.from({ length: REACH_BUCKETS }, () => 0);
  for (const b of buckets.rows) if (rangedPlays > 0) curve[b.bucket] = Math.min(1, Number(b.plays) / rangedPlays);
  const comments = await deps.db
    .selectFrom('comments')
    .select('position_ms')
    .where('track_id', '=', trackId)
    .where('deleted_at', 'is', null)
    .where('taken_down_at', 'is', null)
    .orderBy('position_ms')
    .limit(MAX_COMMENT_MARKERS)
    .execute();
  return {
    track: {
      id: track.id,
      title: track.title,
      slug: track.slug,
      durationMs: track.duration_ms,
      ownerHandle: track.handle,
    },
    ...series(range, rows),
    reach: { plays: rangedPlays, curve: curve.map((v) => Math.round(v * 10_000) / 10_000) },
    commentPositionsMs: comments.map((c) => c.position_ms),
  };
}
