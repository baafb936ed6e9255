/** Server-side read of a track for the page's first HTML (title, artist, artwork, description, `<head>`). */
import { cache } from 'react';
import { parseTrackResponse, type TrackDetail } from '@/lib/player/track';
import { serverApiGet, type ServerRead } from '@/lib/server-api';

export const loadTrack = cache(
  (handle: string, slug: string): Promise<ServerRead<TrackDetail>> =>
    serverApiGet(`/api/v1/users/${encodeURIComponent(handle)}/tracks/${encodeURIComponent(slug)}`, parseTrackResponse),
);
