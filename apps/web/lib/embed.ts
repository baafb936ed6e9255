/** What the release embed shows of `GET /api/v1/releases/:id` (shared by its server page and client component). */
import type { ApiResponse } from '@/lib/api/client';
import { queuedTrack, type PlayerTrack } from '@/lib/player/track';

/** `GET /api/v1/releases/:id` answers `{release}`. */
export type ReleaseDetail = ApiResponse<'/api/v1/releases/{id}'>['release'];

export interface EmbedReleaseData {
  id: string;
  title: string;
  artist: { handle: string; displayName: string };
  artworkUrl: string | null;
  tracks: PlayerTrack[];
}

/** The release as the embed plays it: each track queued with what the player needs. */
export function toEmbedRelease(r: ReleaseDetail): EmbedReleaseData {
  return {
    id: r.id,
    title: r.title,
    artist: { handle: r.artist.handle, displayName: r.artist.displayName },
    artworkUrl: r.artworkUrl,
    tracks: r.tracks.map(queuedTrack),
  };
}
