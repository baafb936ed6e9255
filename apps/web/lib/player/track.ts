/**
 * The track as `GET /api/v1/tracks/:id` and `GET /api/v1/users/:handle/tracks/:slug` return it, and
 * the smaller shape the player needs (a track card already has enough to be queued).
 */

import type { ApiResponse } from '@/lib/api/client';

/** `GET /api/v1/tracks/:id` and `GET /api/v1/users/:handle/tracks/:slug` answer the same `{track}`. */
export type TrackDetail = ApiResponse<'/api/v1/tracks/{id}'>['track'];
export type VersionDetail = TrackDetail['latestVersion'];
export type VersionStatus = VersionDetail['status'];
export type StepProgress = VersionDetail['steps'][string];
export type StepState = StepProgress['state'];
export type Loudness = NonNullable<TrackDetail['loudness']>;

/** The worker's four media steps, in the order the uploader sees them. */
export const MEDIA_STEPS = [
  { key: 'transcode', label: 'Transcoding' },
  { key: 'waveform', label: 'Waveform' },
  { key: 'artwork-extract', label: 'Artwork' },
  { key: 'loudness', label: 'Loudness' },
] as const;
export type MediaStep = (typeof MEDIA_STEPS)[number]['key'];

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
export type StreamInfo = ApiResponse<'/api/v1/tracks/{id}/stream'>;

/** A track card (feed, release, playlist) as the player queues it; the player asks for its loudness. */
export function queuedTrack(t: Omit<PlayerTrack, 'loudness'> & { slug: string }): PlayerTrack {
  return {
    id: t.id,
    title: t.title,
    slug: t.slug,
    artist: { handle: t.artist.handle, displayName: t.artist.displayName },
    artworkUrl: t.artworkUrl,
    durationMs: t.durationMs,
  };
}

export function toPlayerTrack(t: TrackDetail): PlayerTrack {
  return {
    ...queuedTrack(t),
    loudness: t.loudness ? { trackGainDb: t.loudness.trackGainDb, truePeakDbtp: t.loudness.truePeakDbtp } : null,
  };
}
