/** Server-side read of a public profile: the page answers 404 for a handle nobody has. */
import { cache } from 'react';
import { serverApiGet, type ServerRead } from '@/lib/server-api';

export interface ProfileHead {
  displayName: string;
  bio: string;
}

function parseProfile(body: unknown): ProfileHead {
  const user = (body as { user?: { displayName?: unknown; bio?: unknown } } | null)?.user;
  return { displayName: typeof user?.displayName === 'string' ? user.displayName : '', bio: typeof user?.bio === 'string' ? user.bio : '' };
}

export const loadArtist = cache((handle: string): Promise<ServerRead<ProfileHead>> => serverApiGet(`/api/v1/users/${encodeURIComponent(handle)}`, parseProfile));
