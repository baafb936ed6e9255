/** What the release embed reads of `GET /api/v1/releases/:id` (shared by its server page and client component). */
import type { PlayerTrack } from '@/lib/player/track';

export interface EmbedReleaseData {
  id: string;
  title: string;
  artist: { handle: string; displayName: string };
  artworkUrl: string | null;
  tracks: PlayerTrack[];
}

/** Narrows `{release}` from `GET /api/v1/releases/:id`; null when it is not one. */
export function parseReleaseResponse(body: unknown): EmbedReleaseData | null {
  const r = (body as { release?: Record<string, unknown> } | null)?.release;
  const artist = (r?.artist ?? r?.owner) as { handle?: unknown; displayName?: unknown } | undefined;
  if (!r || typeof r.id !== 'string' || typeof r.title !== 'string' || typeof artist?.handle !== 'string') return null;
  const who = {
    handle: artist.handle,
    displayName: typeof artist.displayName === 'string' ? artist.displayName : artist.handle,
  };
  const list = Array.isArray(r.tracks) ? (r.tracks as Array<Record<string, unknown>>) : [];
  const tracks: PlayerTrack[] = list
    .map((item) => (item.track && typeof item.track === 'object' ? (item.track as Record<string, unknown>) : item))
    .filter((t) => typeof t.id === 'string' && typeof t.title === 'string')
    .map((t) => ({
      id: t.id as string,
      title: t.title as string,
      slug: typeof t.slug === 'string' ? t.slug : undefined,
      artist: (t.artist as PlayerTrack['artist'] | undefined) ?? who,
      artworkUrl: typeof t.artworkUrl === 'string' ? t.artworkUrl : null,
      durationMs: typeof t.durationMs === 'number' ? t.durationMs : null,
    }));
  return {
    id: r.id,
    title: r.title,
    artist: who,
    artworkUrl: typeof r.artworkUrl === 'string' ? r.artworkUrl : null,
    tracks,
  };
}
