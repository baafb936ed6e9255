import type { ColumnType, Generated } from 'kysely';

type Day = ColumnType<string, string, string>;
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** The figures of one day (docs/architecture.md, "Insights and trending"). */
export interface DailyFigures {
  plays: Generated<number>;
  /** Distinct listeners: the account, else the IP hash. */
  listeners: Generated<number>;
  seconds_heard: Generated<number>;
  likes: Generated<number>;
  reposts: Generated<number>;
  comments: Generated<number>;
  downloads: Generated<number>;
  sales: Generated<number>;
  revenue_minor: ColumnType<string, string | number | bigint | undefined, string | number | bigint>;
  /** Plays that reported the ranges they heard (the denominator of the reach curve). */
  ranged_plays: Generated<number>;
  computed_at: Stamp;
}

export interface TrackDailyStatsTable extends DailyFigures {
  day: Day;
  track_id: string;
  owner_user_id: string;
  /** The 1% buckets (0..99) ranged plays heard that day, sorted; `reach_plays[i]` plays heard `reach_buckets[i]`. */
  reach_buckets: ColumnType<number[], number[] | undefined, number[]>;
  reach_plays: ColumnType<number[], number[] | undefined, number[]>;
}

export interface ArtistDailyStatsTable extends DailyFigures {
  day: Day;
  artist_user_id: string;
}

export interface TrendingScoresTable {
  period: 'day' | 'week';
  track_id: string;
  genre: string | null;
  score: number;
  computed_at: Stamp;
}

export interface RollupProgressTable {
  name: string;
  through_day: Day;
  updated_at: Stamp;
}

/** A deleted track's events, folded per day, kind and listener for its artist's daily figures. */
export interface DeletedTrackEventsTable {
  day: Day;
  artist_user_id: string;
  kind: 'play' | 'like' | 'repost' | 'comment' | 'download';
  /** Plays only: the rollup's listener key (the account id, else a negative key of the IP hash). */
  listener: ColumnType<string | null, string | number | bigint | null, string | number | bigint | null>;
  events: number;
  seconds: ColumnType<number, number | undefined, number>;
  ranged: ColumnType<number, number | undefined, number>;
}

export interface InsightsTables {
  track_daily_stats: TrackDailyStatsTable;
  artist_daily_stats: ArtistDailyStatsTable;
  trending_scores: TrendingScoresTable;
  rollup_progress: RollupProgressTable;
  deleted_track_events: DeletedTrackEventsTable;
}
