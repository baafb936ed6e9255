/** Server-side read of a public profile: the page answers 404 for a handle nobody has, and ships the header in its HTML. */
import { cache } from 'react';
import type { PublicUser } from '@/lib/account';
import { serverApiGet, type ServerRead } from '@/lib/server-api';

export const loadArtist = cache(
  (handle: string): Promise<ServerRead<PublicUser>> =>
    serverApiGet(
      (api) => api.GET('/api/v1/users/{handle}', { params: { path: { handle } } }),
      (body) => body.user,
    ),
);
