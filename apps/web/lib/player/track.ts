/**
 * The track as `GET /api/v1/tracks/:id` and `GET /api/v1/users/:handle/tracks/:slug` return it, and
 * the smaller shape the player needs (a track card already has enough to be queued).
 */

export type StepState = 'pending' | 'active' | 'done' | 'failed';
export type VersionStatus = 'uploaded' | 'processing' | 'ready' | 'failed';

/** The worker's four media steps, in the order the uploader sees them. */
export const MEDIA_STEPS = [
  { key: 'transcode', label: 'Transcoding' },
  { key: 'waveform', label: 'Waveform' },
  { key: 'artwork-extract', label: 'Artwork' },
  { key: 'loudness', label: 'Loudness' },
] as const;
export type MediaStep = (typeof MEDIA_STEPS)[number]['key'];

export interface StepProgress {
  state: StepState;
  /** 0–100. */
  progress: number;
  error?: string;
}

export interface VersionDetail {
  id: string;
  status: VersionStatus;
  failureReason: string | null;
  steps: Partial<Record<string, StepProgress>>;
  durationMs: number | null;
}

export interface Loudness {
  integratedLufs: number;
  lra: number;
  truePeakDbtp: number;
  trackGainDb: number;
}

export interface TrackDetail {
  id: string;
  title: string;
  slug: string;
  description: string;
  visibility: 'public' | 'unlisted' | 'private';
  artist: { id: string; handle: string; displayName: string };
  status: VersionStatus;
  durationMs: number | null;
  loudness: Loudness | null;
  artworkUrl: string | null;
  waveformUrl: string | null;
  currentVersionId: string | null;
  latestVersion: VersionDetail;
  createdAt: string;
  /** Only for the owner (and admins): why the moderators took it down. */
  takedown?: { at: string; reason: string } | null;
}

/** What the player queues. `loudness` undefined = not known yet (the player asks for it). */
export interface PlayerTrack {
  id: string;
  title: string;
  slug?: string;
  artist: { handle: string; displayName: string };
  artworkUrl: string | null;
  durationMs: number | null;
  loudness?: Pick<Loudness, 'trackGainDb' | 'truePeakDbtp'> | null;
}

/** `GET /api/v1/tracks/:id/stream`. */
export interface StreamInfo {
  hls: string;
  expiresAt: string;
  waveformUrl: string | null;
  trackGainDb: number | null;
}

/** Narrows `{track}` from the API; throws on anything else. */
export function parseTrackResponse(body: unknown): TrackDetail {
  const t = (body as { track?: unknown } | null)?.track as Record<string, unknown> | undefined;
  const artist = t?.artist as Record<string, unknown> | undefined;
  if (!t || typeof t.id !== 'string' || typeof t.title !== 'string' || !artist || typeof artist.handle !== 'string') {
    throw new Error('unexpected response from the tracks API');
  }
  const latest = (t.latestVersion ?? {}) as Partial<VersionDetail>;
  return {
    ...(t as unknown as TrackDetail),
    latestVersion: {
      id: String(latest.id ?? ''),
      status: (latest.status ?? (t.status as VersionStatus)) ?? 'processing',
      failureReason: latest.failureReason ?? null,
      steps: latest.steps ?? {},
      durationMs: latest.durationMs ?? null,
    },
  };
}

export function toPlayerTrack(t: TrackDetail): PlayerTrack {
  return {
    id: t.id,
    title: t.title,
    slug: t.slug,
    artist: { handle: t.artist.handle, displayName: t.artist.displayName },
    artworkUrl: t.artworkUrl,
    durationMs: t.durationMs,
    loudness: t.loudness ? { trackGainDb: t.loudness.trackGainDb, truePeakDbtp: t.loudness.truePeakDbtp } : null,
  };
}
