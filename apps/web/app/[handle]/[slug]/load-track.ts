/**
 * Server-side read of a track for the page's first HTML (title, artist, artwork, description, and the
 * `<head>` metadata). The browser fetches the same route itself when this returns 'unknown', so the page
 * works whether or not the web server can reach the API.
 *
 * Where the API is, seen from the web server:
 *  - `API_INTERNAL_URL` (e.g. `http://api:3000` in the compose network), when set;
 *  - otherwise the origin the request came in on, but only when that is loopback — embedded mode, where
 *    this very process answers `/api/v1`. Any other Host header is not trusted as a fetch target.
 *
 * These requests come from the web server's address, not the visitor's: a per-IP rate limit on the
 * track read routes would have to exempt it (or they would all share one bucket).
 */
import { cache } from 'react';
import { headers } from 'next/headers';
import { parseTrackResponse, type TrackDetail } from '@/lib/player/track';

export type LoadedTrack = { kind: 'found'; track: TrackDetail } | { kind: 'not-found' } | { kind: 'unknown' };

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
/** The page renders without server data rather than waiting long for it. */
const SERVER_FETCH_TIMEOUT_MS = 3_000;

async function apiOrigin(): Promise<string | null> {
  const configured = process.env.API_INTERNAL_URL?.trim();
  if (configured) return configured.replace(/\/+$/, '');
  const host = (await headers()).get('host');
  if (!host) return null;
  let url: URL;
  try {
    url = new URL(`http://${host}`);
  } catch {
    return null;
  }
  return LOOPBACK.has(url.hostname) ? url.origin : null;
}

export function decodeSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export const loadTrack = cache(async (handle: string, slug: string): Promise<LoadedTrack> => {
  const origin = await apiOrigin();
  if (!origin) return { kind: 'unknown' };
  try {
    const cookie = (await headers()).get('cookie');
    const res = await fetch(`${origin}/api/v1/users/${encodeURIComponent(handle)}/tracks/${encodeURIComponent(slug)}`, {
      // The viewer's session, so an owner sees their private or still-processing track here too.
      headers: { accept: 'application/json', ...(cookie ? { cookie } : {}) },
      cache: 'no-store',
      signal: AbortSignal.timeout(SERVER_FETCH_TIMEOUT_MS),
    });
    // 400: the handle or slug cannot exist (the API validates their shape).
    if (res.status === 404 || res.status === 400) return { kind: 'not-found' };
    if (!res.ok) return { kind: 'unknown' };
    return { kind: 'found', track: parseTrackResponse(await res.json()) };
  } catch {
    return { kind: 'unknown' };
  }
});
