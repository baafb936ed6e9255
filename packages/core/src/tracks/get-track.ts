import { sql } from 'kysely';
import type { StepState, TrackVersion, Visibility } from '@earshot/db';
import type { CoreDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { MEDIA_STEPS } from '../media/steps.ts';
import { ownsOrAdmin, type Actor } from '../actor.ts';
import { jsonObjectFrom } from 'kysely/helpers/postgres';
import { canSeeTrackRow, releaseVisibleTo } from '../visibility.ts';
import { TRACK_CATALOGUE_COLUMNS, trackCatalogueFields, type Price } from '../catalog/fields.ts';

export interface VersionView {
  id: string;
  status: 'uploaded' | 'processing' | 'ready' | 'failed';
  failureReason: string | null;
  steps: Record<string, StepState>;
  durationMs: number | null;
  sampleRate: number | null;
  channels: number | null;
  codec: string | null;
  originalFilename: string;
  createdAt: string;
  readyAt: string | null;
}

export interface TrackView {
  id: string;
  title: string;
  slug: string;
  description: string;
  visibility: Visibility;
  artist: { id: string; handle: string; displayName: string };
  /** Status of the newest version (what the uploader is waiting for). */
  status: VersionView['status'];
  durationMs: number | null;
  loudness: { integratedLufs: number; lra: number; truePeakDbtp: number; trackGainDb: number } | null;
  artworkKey: string | null;
  waveformKey: string | null;
  hlsKey: string | null;
  /**
   * No version is current yet, and the newest one, still processing, can already be streamed by
   * whoever may see the track (docs/performance.md, "Playable in seconds"). `loudness` and
   * `waveformKey` are then that version's, once its steps have stored them.
   */
  playableWhileProcessing: boolean;
  currentVersionId: string | null;
  currentVersion: VersionView | null;
  latestVersion: VersionView;
  createdAt: string;
  /** Catalogue fields (docs/architecture.md, "Catalogue"). */
  genre: string | null;
  tags: string[];
  /** From the master's tags or the artist (docs/architecture.md, "Tags from the file"). */
  album: string | null;
  trackNumber: number | null;
  year: number | null;
  /**
   * A release holding the track that this caller may open (the one titled like its album first,
   * then the oldest), or `null`: the track page links its album there.
   */
  release: { id: string; title: string } | null;
  downloadable: boolean;
  price: Price | null;
  /** Exact counts (docs/architecture.md, "Community"). */
  likeCount: number;
  repostCount: number;
  commentCount: number;
  playCount: number;
  commentsClosed: boolean;
  /** Set when an admin took the track down; only its owner and admins ever see it (docs/architecture.md, "Moderation"). */
  takedown: { at: string; reason: string } | null;
}

/** The columns of `track_versions` a `VersionView` is made of. */
type VersionViewRow = Pick<
  TrackVersion,
  | 'id'
  | 'status'
  | 'failure_reason'
  | 'steps'
  | 'duration_ms'
  | 'sample_rate'
  | 'channels'
  | 'codec'
  | 'original_filename'
  | 'created_at'
  | 'ready_at'
>;

/** A version row as the API shows it: the one mapping of `track_versions` to `VersionView`. */
export function toVersionView(v: VersionViewRow): VersionView {
  return {
    id: v.id,
    status: v.status,
    failureReason: v.failure_reason,
    steps: Object.fromEntries(
      MEDIA_STEPS.map((s) => [s, (v.steps as Record<string, StepState>)[s] ?? { state: 'pending', progress: 0 }]),
    ),
    durationMs: v.duration_ms,
    sampleRate: v.sample_rate,
    channels: v.channels,
    codec: v.codec,
    originalFilename: v.original_filename,
    createdAt: v.created_at.toISOString(),
    readyAt: v.ready_at ? v.ready_at.toISOString() : null,
  };
}

/**
 * The columns of `tracks` the view reads: never `selectAll`, which would also carry the
 * generated search columns (a tsvector and a folded title) that nobody here reads
 * (docs/performance.md, "Hot read endpoints").
 */
const TRACK_VIEW_COLUMNS = [
  't.id',
  't.owner_user_id',
  't.title',
  't.slug',
  't.description',
  't.visibility',
  't.artwork_key',
  't.current_version_id',
  't.provisional_version_id',
  ...TRACK_CATALOGUE_COLUMNS,
  't.comments_closed',
  't.taken_down_at',
  't.takedown_reason',
  't.like_count',
  't.repost_count',
  't.comment_count',
  't.play_count',
  't.deleted_at',
  't.created_at',
] as const;

/** The version columns the view reads (those of `VersionViewRow`, loudness and media keys). */
const VERSION_VIEW_COLUMNS = [
  'id',
  'status',
  'failure_reason',
  'steps',
  'duration_ms',
  'sample_rate',
  'channels',
  'codec',
  'original_filename',
  'created_at',
  'ready_at',
  'integrated_lufs',
  'loudness_range',
  'true_peak_dbtp',
  'track_gain_db',
  'artwork_key',
  'waveform_key',
  'hls_key',
] as const;

type VersionColumns = Pick<TrackVersion, (typeof VERSION_VIEW_COLUMNS)[number]>;

/**
 * The track page's data. Others than the owner only see a track once it has a playable
 * version, and never a private one (404, not 403: its existence is not revealed).
 *
 * One round trip in the usual case (embedded mode has one database connection that every
 * request queues for): the track, its artist, its current version and the id of its newest
 * version come in one query; the newest version is read apart only when it is not the current
 * one (its owner is waiting for a new upload to be processed, or nothing is playable yet).
 */
export async function getTrackView(
  deps: Pick<CoreDeps, 'db'> & Partial<Pick<CoreDeps, 'clock'>>,
  actor: Actor | null,
  trackId: string,
): Promise<TrackView> {
  // A scheduled release is its artist's until its date (the visibility module).
  const now = deps.clock?.() ?? new Date();
  const row = await deps.db
    .selectFrom('tracks as t')
    .innerJoin('users as u', 'u.id', 't.owner_user_id')
    .leftJoin('track_versions as cv', (join) =>
      join.onRef('cv.id', '=', 't.current_version_id').onRef('cv.track_id', '=', 't.id'),
    )
    .select(TRACK_VIEW_COLUMNS)
    .select(['u.handle', 'u.display_name', 'u.disabled_at'])
    .select([
      'cv.id as cv_id',
      'cv.status as cv_status',
      'cv.failure_reason as cv_failure_reason',
      'cv.steps as cv_steps',
      'cv.duration_ms as cv_duration_ms',
      'cv.sample_rate as cv_sample_rate',
      'cv.channels as cv_channels',
      'cv.codec as cv_codec',
      'cv.original_filename as cv_original_filename',
      'cv.created_at as cv_created_at',
      'cv.ready_at as cv_ready_at',
      'cv.integrated_lufs as cv_integrated_lufs',
      'cv.loudness_range as cv_loudness_range',
      'cv.true_peak_dbtp as cv_true_peak_dbtp',
      'cv.track_gain_db as cv_track_gain_db',
      'cv.artwork_key as cv_artwork_key',
      'cv.waveform_key as cv_waveform_key',
      'cv.hls_key as cv_hls_key',
    ])
    .select((eb) =>
      eb
        .selectFrom('track_versions as lv')
        .select((e) => e.fn.max('lv.id').as('id'))
        .whereRef('lv.track_id', '=', 't.id')
        .as('latest_version_id'),
    )
    .select((eb) =>
      jsonObjectFrom(
        eb
          .selectFrom('release_tracks as rt')
          .innerJoin('releases as r', 'r.id', 'rt.release_id')
          .select(['r.id', 'r.title'])
          .whereRef('rt.track_id', '=', 't.id')
          .where((e) => releaseVisibleTo(e, actor, now, 'r'))
          .orderBy(sql`r.title = t.album`, (ob) => ob.desc().nullsLast())
          .orderBy('r.created_at')
          .orderBy('r.id')
          .limit(1),
      ).as('release'),
    )
    .where('t.id', '=', trackId)
    .executeTakeFirst();
  if (!row || !canSeeTrackRow(actor, row)) {
    throw notFound('Track');
  }
  const isOwner = ownsOrAdmin(actor, row.owner_user_id);
  const latestId = row.latest_version_id === null ? null : String(row.latest_version_id);
  if (latestId === null) throw notFound('Track');

  const current: VersionColumns | null =
    row.cv_id === null
      ? null
      : {
          id: row.cv_id,
          status: row.cv_status!,
          failure_reason: row.cv_failure_reason,
          steps: row.cv_steps!,
          duration_ms: row.cv_duration_ms,
          sample_rate: row.cv_sample_rate,
          channels: row.cv_channels,
          codec: row.cv_codec,
          original_filename: row.cv_original_filename!,
          created_at: row.cv_created_at!,
          ready_at: row.cv_ready_at,
          integrated_lufs: row.cv_integrated_lufs,
          loudness_range: row.cv_loudness_range,
          true_peak_dbtp: row.cv_true_peak_dbtp,
          track_gain_db: row.cv_track_gain_db,
          artwork_key: row.cv_artwork_key,
          waveform_key: row.cv_waveform_key,
          hls_key: row.cv_hls_key,
        };
  const latest: VersionColumns =
    current && current.id === latestId
      ? current
      : await deps.db
          .selectFrom('track_versions')
          .select(VERSION_VIEW_COLUMNS)
          .where('id', '=', latestId)
          .executeTakeFirstOrThrow(() => notFound('Track'));
  const shown = current ?? latest;
  // No version is current yet and the newest one's provisional stream is out: whoever may see the
  // track may play it (docs/performance.md, "Playable in seconds"), with its waveform and loudness
  // gain as soon as those steps have stored them.
  const playableWhileProcessing = !current && latest.status === 'processing' && latest.hls_key !== null;
  const streamed = current ?? (playableWhileProcessing ? latest : null);
  const loudness =
    streamed && streamed.integrated_lufs !== null && streamed.track_gain_db !== null
      ? {
          integratedLufs: streamed.integrated_lufs,
          lra: streamed.loudness_range ?? 0,
          truePeakDbtp: streamed.true_peak_dbtp ?? 0,
          trackGainDb: streamed.track_gain_db,
        }
      : null;
  return {
    id: row.id,
    title: row.title,
    slug: row.slug,
    description: row.description,
    visibility: row.visibility,
    artist: { id: row.owner_user_id, handle: row.handle, displayName: row.display_name },
    status: (isOwner ? latest : shown).status,
    durationMs: shown.duration_ms,
    loudness,
    artworkKey: row.artwork_key ?? current?.artwork_key ?? null,
    waveformKey: streamed?.waveform_key ?? null,
    hlsKey: current?.hls_key ?? null,
    playableWhileProcessing,
    currentVersionId: row.current_version_id,
    currentVersion: current ? toVersionView(current) : null,
    latestVersion: toVersionView(isOwner ? latest : shown),
    createdAt: row.created_at.toISOString(),
    ...trackCatalogueFields(row),
    // to_json gives the bigint id as a number.
    release: row.release ? { id: String(row.release.id), title: row.release.title } : null,
    likeCount: row.like_count,
    repostCount: row.repost_count,
    commentCount: row.comment_count,
    playCount: row.play_count,
    commentsClosed: row.comments_closed,
    takedown:
      isOwner && row.taken_down_at ? { at: row.taken_down_at.toISOString(), reason: row.takedown_reason ?? '' } : null,
  };
}

/**
 * The track as `getTrackView` shows it to this actor, provided it can be played: its current
 * version has HLS output. The one rule behind `GET /tracks/:id/stream` and play reports (404
 * otherwise, like the track page).
 */
export async function getPlayableTrack(
  deps: Pick<CoreDeps, 'db'>,
  actor: Actor | null,
  trackId: string,
): Promise<TrackView & { currentVersionId: string; currentVersion: VersionView; hlsKey: string }> {
  const view = await getTrackView(deps, actor, trackId);
  if (!view.currentVersionId || !view.currentVersion || !view.hlsKey) throw notFound('Playable version');
  return view as TrackView & { currentVersionId: string; currentVersion: VersionView; hlsKey: string };
}

/** What `GET /tracks/:id/stream` signs: a version with HLS output, and whether it is still growing. */
export interface StreamableVersion {
  versionId: string;
  /** The version is still being processed: its playlists grow until it is `ready`. */
  processing: boolean;
  waveformKey: string | null;
  trackGainDb: number | null;
}

/**
 * The version a listener is streamed (docs/performance.md, "Playable in seconds"): the current
 * one (`getPlayableTrack`'s rule); else, for whoever may see the track (a first upload's
 * provisional stream makes it visible: the visibility module), the newest version while it is
 * processing, as soon as its provisional master is published, with its loudness gain once
 * measured (404 otherwise).
 */
export async function getStreamableVersion(
  deps: Pick<CoreDeps, 'db'>,
  actor: Actor | null,
  trackId: string,
): Promise<StreamableVersion> {
  const { stream } = await streamOf(deps, await getTrackView(deps, actor, trackId));
  return stream;
}

async function streamOf(
  deps: Pick<CoreDeps, 'db'>,
  view: TrackView,
): Promise<{ stream: StreamableVersion; durationMs: number | null }> {
  if (view.currentVersionId && view.currentVersion && view.hlsKey)
    return {
      stream: {
        versionId: view.currentVersionId,
        processing: false,
        waveformKey: view.waveformKey,
        trackGainDb: view.loudness?.trackGainDb ?? null,
      },
      durationMs: view.currentVersion.durationMs,
    };
  if (view.playableWhileProcessing) {
    const v = await deps.db
      .selectFrom('track_versions')
      .select(['id', 'hls_key', 'waveform_key', 'track_gain_db', 'duration_ms'])
      .where('id', '=', view.latestVersion.id)
      .where('status', '=', 'processing')
      .executeTakeFirst();
    if (v?.hls_key)
      return {
        stream: { versionId: v.id, processing: true, waveformKey: v.waveform_key, trackGainDb: v.track_gain_db },
        durationMs: v.duration_ms,
      };
  }
  throw notFound('Playable version');
}

/**
 * The one rule for listening to a track (docs/performance.md, "Playable in seconds"): whoever is
 * streamed it (`getStreamableVersion`: its current version, or a first upload's provisional stream
 * while it is processed) may report a play of it, like it and comment on it, and read its counts,
 * likers and comments. Reposting (it fills followers' feeds), buying and downloading wait for a
 * ready version (`getPlayableTrack`, the commerce checks). 404 otherwise.
 */
export async function getListenableTrack(
  deps: Pick<CoreDeps, 'db'>,
  actor: Actor | null,
  trackId: string,
): Promise<TrackView & { listened: { versionId: string; processing: boolean; durationMs: number | null } }> {
  const view = await getTrackView(deps, actor, trackId);
  const { stream, durationMs } = await streamOf(deps, view);
  return { ...view, listened: { versionId: stream.versionId, processing: stream.processing, durationMs } };
}

/**
 * `/<handle>/<slug>` → track id (404 when either is unknown). A slug the track had before a new
 * title still finds it (docs/architecture.md, "Catalogue"); the page then redirects to the new one.
 */
export async function findTrackIdBySlug({ db }: Pick<CoreDeps, 'db'>, handle: string, slug: string): Promise<string> {
  const owner = handle.toLowerCase();
  const wanted = slug.toLowerCase();
  // One round trip: the live slug first (rank 0), else the slug the track had before (rank 1).
  const row = await db
    .selectFrom('tracks as t')
    .innerJoin('users as u', 'u.id', 't.owner_user_id')
    .select(['t.id as id', sql<number>`0`.as('rank')])
    .where('u.handle', '=', owner)
    .where('t.slug', '=', wanted)
    .unionAll(
      db
        .selectFrom('track_slug_redirects as r')
        .innerJoin('users as u', 'u.id', 'r.owner_user_id')
        .select(['r.track_id as id', sql<number>`1`.as('rank')])
        .where('u.handle', '=', owner)
        .where('r.slug', '=', wanted),
    )
    .orderBy('rank')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw notFound('Track');
  return row.id;
}
