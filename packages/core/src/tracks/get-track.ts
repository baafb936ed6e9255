import type { Kysely } from 'kysely';
import type { Database, StepState, Visibility } from '@earshot/db';
import { notFound } from '../errors.ts';
import { MEDIA_STEPS } from '../media/steps.ts';
import { ownsOrAdmin, type Actor } from '../actor.ts';
import { canSeeTrack } from '../visibility.ts';

/** @deprecated the caller is an `Actor` (packages/core/src/actor.ts). */
export type Viewer = Actor;

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
  currentVersionId: string | null;
  currentVersion: VersionView | null;
  latestVersion: VersionView;
  createdAt: string;
}

/** May this viewer see the track at all? Private: owner and admins only (the visibility module's rule). */
export function canView(track: { visibility: Visibility; owner_user_id: string }, viewer?: Viewer | null): boolean {
  return ownsOrAdmin(viewer, track.owner_user_id) || track.visibility !== 'private';
}

function versionView(v: Database['track_versions'] extends infer _ ? any : never): VersionView {
  return {
    id: v.id,
    status: v.status,
    failureReason: v.failure_reason,
    steps: Object.fromEntries(MEDIA_STEPS.map((s) => [s, (v.steps as Record<string, StepState>)[s] ?? { state: 'pending', progress: 0 }])),
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
export async function getTrackView(db: Kysely<Database>, trackId: string, viewer?: Viewer | null): Promise<TrackView> {
  const track = await db
    .selectFrom('tracks as t')
    .innerJoin('users as u', 'u.id', 't.owner_user_id')
    .selectAll('t')
    .select(['u.handle', 'u.display_name', 'u.disabled_at'])
    .where('t.id', '=', trackId)
    .executeTakeFirst();
  if (
    !track ||
    !canSeeTrack(viewer, {
      ownerUserId: track.owner_user_id,
      visibility: track.visibility,
      currentVersionId: track.current_version_id,
      takenDownAt: track.taken_down_at,
      ownerDisabledAt: track.disabled_at,
    })
  ) {
    throw notFound('Track');
  }
  const isOwner = ownsOrAdmin(viewer, track.owner_user_id);

  const versions = await db.selectFrom('track_versions').selectAll().where('track_id', '=', trackId).orderBy('id', 'desc').limit(20).execute();
  const latest = versions[0];
  if (!latest) throw notFound('Track');
  const current = versions.find((v) => v.id === track.current_version_id) ?? null;
  const shown = current ?? latest;
  const loudness =
    current && current.integrated_lufs !== null && current.track_gain_db !== null
      ? { integratedLufs: current.integrated_lufs, lra: current.loudness_range ?? 0, truePeakDbtp: current.true_peak_dbtp ?? 0, trackGainDb: current.track_gain_db }
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
    currentVersionId: track.current_version_id,
    currentVersion: current ? versionView(current) : null,
    latestVersion: versionView(isOwner ? latest : shown),
    createdAt: track.created_at.toISOString(),
  };
}

/**
 * The track as `getTrackView` shows it to this viewer, provided it can be played: its current
 * version has HLS output. The one rule behind `GET /tracks/:id/stream` and play reports (404
 * otherwise, like the track page).
 */
export async function getPlayableTrack(db: Kysely<Database>, trackId: string, viewer?: Viewer | null): Promise<TrackView & { currentVersionId: string; currentVersion: VersionView; hlsKey: string }> {
  const view = await getTrackView(db, trackId, viewer);
  if (!view.currentVersionId || !view.currentVersion || !view.hlsKey) throw notFound('Playable version');
  return view as TrackView & { currentVersionId: string; currentVersion: VersionView; hlsKey: string };
}

/** `/<handle>/<slug>` → track id (404 when either is unknown). */
export async function findTrackIdBySlug(db: Kysely<Database>, handle: string, slug: string): Promise<string> {
  const row = await db
    .selectFrom('tracks as t')
    .innerJoin('users as u', 'u.id', 't.owner_user_id')
    .select('t.id')
    .where('u.handle', '=', handle.toLowerCase())
    .where('t.slug', '=', slug.toLowerCase())
    .executeTakeFirst();
  if (!row) throw notFound('Track');
  return row.id;
}
