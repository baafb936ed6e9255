import type { ColumnType, Generated, Selectable } from 'kysely';
import type { InsightsTables } from './schema-insights.ts';

/** Row types of every table. Ids are bigint in SQL and strings in TypeScript (int8 is parsed as text). */
type Id = ColumnType<string, string | number | undefined, never>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string | undefined>;
type Json<T> = ColumnType<T, string, string>;

export type Role = 'listener' | 'artist' | 'admin';
export type Visibility = 'public' | 'unlisted' | 'private';
export type VersionStatus = 'uploaded' | 'processing' | 'ready' | 'failed';
export type JobStatus = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed';

export interface UsersTable {
  id: Generated<string>;
  email: string;
  handle: string;
  display_name: string;
  bio: Generated<string>;
  avatar_key: string | null;
  role: Generated<Role>;
  password_hash: string;
  email_verified_at: Date | null;
  disabled_at: Date | null;
  /** Bumped on logout-everywhere / password change: tokens carry it and older ones stop working. */
  token_version: Generated<number>;
  follower_count: Generated<number>;
  following_count: Generated<number>;
  /** Stripe Connect Express account of an artist, and its state from `account.updated` (docs/payments.md). */
  stripe_account_id: string | null;
  stripe_charges_enabled: Generated<boolean>;
  stripe_payouts_enabled: Generated<boolean>;
  stripe_details_submitted: Generated<boolean>;
  /** Generated (library migration): folded display name and handle for trigram search. */
  search_name: ColumnType<string, never, never>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type AccountTokenPurpose = 'verify_email' | 'reset_password';

/** Mailed single-use tokens; only their SHA-256 (hex) is stored. */
export interface AccountTokensTable {
  id: Generated<string>;
  user_id: string;
  purpose: AccountTokenPurpose;
  token_hash: string;
  email: string | null;
  expires_at: Date;
  used_at: Date | null;
  created_at: CreatedAt;
}

export interface TracksTable {
  id: Generated<string>;
  owner_user_id: string;
  title: string;
  slug: string;
  description: Generated<string>;
  visibility: Generated<Visibility>;
  artwork_key: string | null;
  current_version_id: string | null;
  /**
   * The version being processed whose provisional stream is published, while the track has no
   * current version yet (docs/performance.md, "Playable in seconds"); null otherwise.
   */
  provisional_version_id: ColumnType<string | null, string | null | undefined, string | null>;
  genre: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  /** From the master's tags or typed by the artist (track file tags migration). */
  album: ColumnType<string | null, string | null | undefined, string | null>;
  track_number: ColumnType<number | null, number | null | undefined, number | null>;
  year: ColumnType<number | null, number | null | undefined, number | null>;
  downloadable: Generated<boolean>;
  /** Price in minor units of `price_currency` (the minimum when `price_pwyw`); both null = not for sale. */
  price_amount_minor: number | null;
  price_currency: string | null;
  price_pwyw: Generated<boolean>;
  comments_closed: Generated<boolean>;
  taken_down_at: Date | null;
  takedown_reason: string | null;
  like_count: Generated<number>;
  repost_count: Generated<number>;
  comment_count: Generated<number>;
  play_count: Generated<number>;
  /** Set when the artist deleted a sold track: retired, kept only for its buyers (library migration). */
  deleted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Generated (library migration): folded title for trigram search. */
  search_title: ColumnType<string, never, never>;
  /** Generated (library migration): weighted full-text document (title A, tags C, description D). */
  search_vector: ColumnType<string, never, never>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type ReleaseType = 'album' | 'ep' | 'single';

export interface ReleasesTable {
  id: Generated<string>;
  owner_user_id: string;
  title: string;
  slug: string;
  type: ReleaseType;
  description: Generated<string>;
  credits: Generated<string>;
  artwork_key: string | null;
  /** A future date schedules publication: others see the release from then on. */
  release_date: Date | null;
  visibility: Generated<Visibility>;
  price_amount_minor: number | null;
  price_currency: string | null;
  price_pwyw: Generated<boolean>;
  taken_down_at: Date | null;
  takedown_reason: string | null;
  /** Generated (library migration): folded title for trigram search. */
  search_title: ColumnType<string, never, never>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ReleaseTracksTable {
  release_id: string;
  position: number;
  track_id: string;
}

export interface PlaylistsTable {
  id: Generated<string>;
  owner_user_id: string;
  title: string;
  description: Generated<string>;
  visibility: Generated<Visibility>;
  /** Generated (library migration): folded title for trigram search. */
  search_title: ColumnType<string, never, never>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** A track's previous slug (after a new title), still leading to it (library migration). */
export interface TrackSlugRedirectsTable {
  owner_user_id: string;
  slug: string;
  track_id: string;
  created_at: CreatedAt;
}

export interface PlaylistTracksTable {
  playlist_id: string;
  position: number;
  track_id: string;
  added_at: CreatedAt;
}

/** `likes` and `reposts`: one row per (user, track). */
export interface TrackToggleTable {
  user_id: string;
  track_id: string;
  created_at: CreatedAt;
}

export interface FollowsTable {
  follower_id: string;
  followee_id: string;
  created_at: CreatedAt;
}

/** One event of a followed account in a follower's feed, kept by triggers (migration 20261202163000). */
export interface FeedItemsTable {
  user_id: string;
  actor_id: string;
  track_id: string | null;
  release_id: string | null;
  repost: Generated<boolean>;
  at: Date;
  /** The track id, or minus the release id. */
  k: ColumnType<string, never, never>;
}

export interface CommentsTable {
  id: Generated<string>;
  track_id: string;
  /** Null once the author's account is deleted ("deleted user"). */
  user_id: string | null;
  /** One level of replies: a reply's parent is never itself a reply. */
  parent_id: string | null;
  body: string;
  position_ms: number;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  deleted_at: Date | null;
  taken_down_at: Date | null;
  takedown_reason: string | null;
}

export type OrderStatus = 'pending' | 'paid' | 'refunded';

export interface OrdersTable {
  id: Generated<string>;
  item_type: 'track' | 'release';
  track_id: string | null;
  release_id: string | null;
  item_title: Generated<string>;
  seller_user_id: string | null;
  buyer_user_id: string | null;
  buyer_email: string | null;
  amount_minor: number;
  currency: string;
  platform_fee_minor: Generated<number>;
  status: Generated<OrderStatus>;
  stripe_checkout_session_id: string | null;
  stripe_payment_intent_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  paid_at: Date | null;
  refunded_at: Date | null;
  /** Minor units refunded so far (Stripe's cumulative `amount_refunded`); the order stays paid until it is all refunded. */
  refunded_minor: Generated<number>;
  /** When the buyer's receipt was mailed (the webhook job sends it once the order is paid). */
  receipt_sent_at: Date | null;
  /** A free download's email given with consent to be shown to the artist. */
  email_opt_in: Generated<boolean>;
}

/** Verified Stripe webhook events by id; `applied_at` is set in the transaction of the effect. */
export interface StripeEventsTable {
  id: string;
  type: string;
  payload: ColumnType<unknown, string, string>;
  received_at: CreatedAt;
  applied_at: Date | null;
}

export type DownloadFileStatus = 'pending' | 'ready' | 'failed';

/** One download format of one version, made once and kept. */
export interface DownloadFilesTable {
  version_id: string;
  format: string;
  status: Generated<DownloadFileStatus>;
  object_key: string | null;
  size_bytes: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  error: string | null;
  requested_at: UpdatedAt;
  ready_at: Date | null;
}

export interface DownloadEventsTable {
  id: Generated<string>;
  track_id: string | null;
  release_id: string | null;
  user_id: string | null;
  order_id: string | null;
  format: string;
  created_at: CreatedAt;
}

export interface StepState {
  state: 'pending' | 'active' | 'done' | 'failed';
  progress: number;
  error?: string;
  /** Finished, but not all of it: why (e.g. a cover art too large to decode was skipped). */
  note?: string;
}

/** An embedded picture as the probe describes it (ffmpeg's stream index, codec, size in pixels). */
export interface EmbeddedCover {
  index: number;
  codec: string;
  width: number;
  height: number;
}

export interface TrackVersionsTable {
  id: Generated<string>;
  track_id: string;
  status: Generated<VersionStatus>;
  failure_reason: string | null;
  original_key: string;
  original_filename: string;
  original_size_bytes: ColumnType<string, string | number, string | number>;
  duration_ms: number | null;
  sample_rate: number | null;
  channels: number | null;
  codec: string | null;
  bit_depth: number | null;
  /** ffmpeg's index of the audio stream the media steps read (from the upload's probe). */
  audio_stream_index: number | null;
  /** The upload's probe of the embedded cover (`{cover: … | null}`); null when not recorded (the artwork step probes). */
  probed_cover: ColumnType<{ cover: EmbeddedCover | null } | null, string | null | undefined, string | null>;
  integrated_lufs: number | null;
  loudness_range: number | null;
  true_peak_dbtp: number | null;
  track_gain_db: number | null;
  hls_key: string | null;
  waveform_key: string | null;
  artwork_key: string | null;
  steps: ColumnType<Record<string, StepState>, string | undefined, string>;
  processing_started_at: Date | null;
  ready_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface JobsTable {
  queue: string;
  id: string;
  name: string;
  data: Json<unknown>;
  status: JobStatus;
  attempts_made: Generated<number>;
  max_attempts: number;
  backoff_ms: number;
  run_at: Date | string;
  locked_by: string | null;
  locked_until: Date | null;
  progress: ColumnType<unknown, string | undefined, string>;
  error: string | null;
  stacktrace: string | null;
  created_at: CreatedAt;
  finished_at: Date | null;
}

/** One counted play (docs/architecture.md, "Domain"); the raw client IP is never stored, only its salted hash. */
export interface PlaysTable {
  id: Generated<string>;
  track_id: string;
  version_id: string;
  user_id: string | null;
  /** HMAC-SHA-256 (hex) of the client IP keyed with IP_HASH_SALT. */
  ip_hash: string;
  seconds_listened: number;
  created_at: CreatedAt;
  /** The 1% buckets (0..99) of the track this play heard; null when the player sent no ranges. */
  heard_pct: ColumnType<number[] | null, number[] | null | undefined, number[] | null>;
}

export interface DailyStatsTable {
  day: ColumnType<string, string, string>;
  new_users: number;
  new_artists: number;
  uploads: number;
  versions_ready: number;
  versions_failed: number;
  plays: Generated<number>;
  computed_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Notifications of one user (community): one row per event, grouped when read. */
export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  type: 'follow' | 'comment' | 'reply' | 'like' | 'repost' | 'sale';
  actor_user_id: string | null;
  track_id: string | null;
  comment_id: string | null;
  /** The release a sale was of (a track sale names its track). */
  release_id: string | null;
  created_at: CreatedAt;
  read_at: Date | null;
}

/** Per-kind email preferences; no row = the defaults. */
export interface NotificationSettingsTable {
  user_id: string;
  email_follow: Generated<boolean>;
  email_comment: Generated<boolean>;
  email_reply: Generated<boolean>;
  email_like: Generated<boolean>;
  email_repost: Generated<boolean>;
  email_sale: Generated<boolean>;
  updated_at: UpdatedAt;
}

export type ReportSubject = 'track' | 'comment' | 'user';
export type ReportStatus = 'open' | 'resolved' | 'dismissed';

/** A user's report of a track, comment or account (docs/architecture.md, "Moderation"). */
export interface ReportsTable {
  id: Generated<string>;
  reporter_user_id: string | null;
  subject_type: ReportSubject;
  subject_id: string;
  subject_user_id: string | null;
  reason: string;
  status: Generated<ReportStatus>;
  resolved_by_user_id: string | null;
  resolved_at: Date | null;
  resolution_note: string | null;
  created_at: CreatedAt;
}

/** One admin action: who, what, when, why. */
export interface AuditLogTable {
  id: Generated<string>;
  actor_user_id: string | null;
  actor_handle: string;
  action: string;
  subject_type: string;
  subject_id: string;
  reason: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
  created_at: CreatedAt;
}

export interface Database {
  reports: ReportsTable;
  audit_log: AuditLogTable;
  daily_stats: DailyStatsTable;
  users: UsersTable;
  account_tokens: AccountTokensTable;
  tracks: TracksTable;
  track_versions: TrackVersionsTable;
  jobs: JobsTable;
  plays: PlaysTable;
  releases: ReleasesTable;
  release_tracks: ReleaseTracksTable;
  playlists: PlaylistsTable;
  playlist_tracks: PlaylistTracksTable;
  likes: TrackToggleTable;
  reposts: TrackToggleTable;
  follows: FollowsTable;
  feed_items: FeedItemsTable;
  comments: CommentsTable;
  orders: OrdersTable;
  download_events: DownloadEventsTable;
  stripe_events: StripeEventsTable;
  download_files: DownloadFilesTable;
  track_slug_redirects: TrackSlugRedirectsTable;
  notifications: NotificationsTable;
  notification_settings: NotificationSettingsTable;
  // Insights and trending (schema-insights.ts).
  track_daily_stats: InsightsTables['track_daily_stats'];
  artist_daily_stats: InsightsTables['artist_daily_stats'];
  trending_scores: InsightsTables['trending_scores'];
  rollup_progress: InsightsTables['rollup_progress'];
  deleted_track_events: InsightsTables['deleted_track_events'];
}

/** The row types read outside this package (the others are read through Kysely's own types). */
export type User = Selectable<UsersTable>;
export type TrackVersion = Selectable<TrackVersionsTable>;
export type JobRow = Selectable<JobsTable>;
