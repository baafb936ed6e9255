/** Server-side read of a track for the page's first HTML (title, artist, artwork, description, `<head>`). */
import { cache } from 'react';
import type { TrackDetail } from '@/lib/player/track';
import { serverApiGet, type ServerRead } from '@/lib/server-api';

export const loadTrack = cache(
  (handle: string, slug: string): Promise<ServerRead<TrackDetail>> =>
    serverApiGet(
      (api) => api.GET('/api/v1/users/{handle}/tracks/{slug}', { params: { path: { handle, slug } } }),
      (body) => body.track,
    ),
);
