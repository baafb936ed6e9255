/** Server-side read of a public profile: the page answers 404 for a handle nobody has, and ships the header in its HTML. */
import { cache } from 'react';
import type { PublicUser } from '@/lib/account';
import { serverApiGet, type ServerRead } from '@/lib/server-api';

function parseProfile(body: unknown): PublicUser {
  const user = (body as { user?: PublicUser } | null)?.user;
  if (!user || typeof user.handle !== 'string' || typeof user.displayName !== 'string' || typeof user.bio !== 'string') throw new Error('unexpected profile response');
  return user;
}

export const loadArtist = cache((handle: string): Promise<ServerRead<PublicUser>> => serverApiGet(`/api/v1/users/${encodeURIComponent(handle)}`, parseProfile));
