import type { StepState, TrackVersion, Visibility } from '@earshot/db';
import type { CoreDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { MEDIA_STEPS } from '../media/steps.ts';
import { ownsOrAdmin, type Actor } from '../actor.ts';
import { canSeeTrack } from '../visibility.ts';
import { priceOf, type Price } from '../catalog/fields.ts';

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
   * Only ever true for the owner (and admins): no version is current yet, and the newest one,
   * still processing, can already be streamed (docs/performance.md, "Playable in seconds").
   */
  playableWhileProcessing: boolean;
  currentVersionId: string | null;
  currentVersion: VersionView | null;
  latestVersion: VersionView;
  createdAt: string;
  /** Catalogue fields (docs/architecture.md, "Catalogue"). */
  genre: string | null;
  tags: string[];
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

/** A version row as the API shows it: the one mapping of `track_versions` to `VersionView`. */
export function toVersionView(v: TrackVersion): VersionView {
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
 * The track page's data. Others than the owner only see a track once it has a playable
 * version, and never a private one (404, not 403: its existence is not revealed).
 */
export async function getTrackView(
  deps: Pick<CoreDeps, 'db'>,
  actor: Actor | null,
  trackId: string,
): Promise<TrackView> {
  const track = await deps.db
    .selectFrom('tracks as t')
    .innerJoin('users as u', 'u.id', 't.owner_user_id')
    .selectAll('t')
    .select(['u.handle', 'u.display_name', 'u.disabled_at'])
    .where('t.id', '=', trackId)
    .executeTakeFirst();
  if (
    !track ||
    !canSeeTrack(actor, {
      ownerUserId: track.owner_user_id,
      visibility: track.visibility,
      currentVersionId: track.current_version_id,
      takenDownAt: track.taken_down_at,
      ownerDisabledAt: track.disabled_at,
      deletedAt: track.deleted_at,
    })
  ) {
    throw notFound('Track');
  }
  const isOwner = ownsOrAdmin(actor, track.owner_user_id);

  const versions = await deps.db
    .selectFrom('track_versions')
    .selectAll()
    .where('track_id', '=', trackId)
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
  const latest = versions[0];
  if (!latest) throw notFound('Track');
  const current = versions.find((v) => v.id === track.current_version_id) ?? null;
  const shown = current ?? latest;
  const loudness =
    current && current.integrated_lufs !== null && current.track_gain_db !== null
      ? {
          integratedLufs: current.integrated_lufs,
          lra: current.loudness_range ?? 0,
          truePeakDbtp: current.true_peak_dbtp ?? 0,
          trackGainDb: current.track_gain_db,
        }
      : null;
  return {
    id: track.id,
    title: track.title,
    slug: track.slug,
    description: track.description,
    visibility: track.visibility,
    artist: { id: track.owner_user_id, handle: track.handle, displayName: track.display_name },
    status: (isOwner ? latest : shown).status,
    durationMs: shown.duration_ms,
    loudness,
    artworkKey: track.artwork_key ?? current?.artwork_key ?? null,
    waveformKey: current?.waveform_key ?? null,
    hlsKey: current?.hls_key ?? null,
    playableWhileProcessing: isOwner && !current && latest.status === 'processing' && latest.hls_key !== null,
    currentVersionId: track.current_version_id,
    currentVersion: current ? toVersionView(current) : null,
    latestVersion: toVersionView(isOwner ? latest : shown),
    createdAt: track.created_at.toISOString(),
    genre: track.genre,
    tags: track.tags ?? [],
    downloadable: track.downloadable,
    price: priceOf(track),
    likeCount: track.like_count,
    repostCount: track.repost_count,
    commentCount: track.comment_count,
    playCount: track.play_count,
    commentsClosed: track.comments_closed,
    takedown:
      isOwner && track.taken_down_at
        ? { at: track.taken_down_at.toISOString(), reason: track.takedown_reason ?? '' }
        : null,
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
 * one (`getPlayableTrack`'s rule); else, for the track's owner (or an admin), the newest version
 * while it is processing, as soon as its provisional master is published, with its loudness gain
 * once measured. Others only ever get a ready current version (404 otherwise).
 */
export async function getStreamableVersion(
  deps: Pick<CoreDeps, 'db'>,
  actor: Actor | null,
  trackId: string,
): Promise<StreamableVersion> {
  const view = await getTrackView(deps, actor, trackId);
  if (view.currentVersionId && view.currentVersion && view.hlsKey)
    return {
      versionId: view.currentVersionId,
      processing: false,
      waveformKey: view.waveformKey,
      trackGainDb: view.loudness?.trackGainDb ?? null,
    };
  if (ownsOrAdmin(actor, view.artist.id) && view.latestVersion.status === 'processing') {
    const v = await deps.db
      .selectFrom('track_versions')
      .select(['id', 'hls_key', 'waveform_key', 'track_gain_db'])
      .where('id', '=', view.latestVersion.id)
      .where('status', '=', 'processing')
      .executeTakeFirst();
    if (v?.hls_key)
      return { versionId: v.id, processing: true, waveformKey: v.waveform_key, trackGainDb: v.track_gain_db };
  }
  throw notFound('Playable version');
}

/**
 * `/<handle>/<slug>` → track id (404 when either is unknown). A slug the track had before a new
 * title still finds it (docs/architecture.md, "Catalogue"); the page then redirects to the new one.
 */
export async function findTrackIdBySlug({ db }: Pick<CoreDeps, 'db'>, handle: string, slug: string): Promise<string> {
  const row = await db
    .selectFrom('tracks as t')
    .innerJoin('users as u', 'u.id', 't.owner_user_id')
    .select('t.id')
    .where('u.handle', '=', handle.toLowerCase())
    .where('t.slug', '=', slug.toLowerCase())
    .executeTakeFirst();
  if (row) return row.id;
  const moved = await db
    .selectFrom('track_slug_redirects as r')
    .innerJoin('users as u', 'u.id', 'r.owner_user_id')
    .select('r.track_id')
    .where('u.handle', '=', handle.toLowerCase())
    .where('r.slug', '=', slug.toLowerCase())
    .executeTakeFirst();
  if (!moved) throw notFound('Track');
  return moved.track_id;
}
