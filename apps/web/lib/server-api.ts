/**
 * Server-side reads of the API for a page's first HTML (status code, `<head>` metadata). The browser
 * fetches the same routes itself when a read here answers 'unknown', so pages work whether or not the
 * web server can reach the API.
 *
 * Where the API is, seen from the web server: `API_INTERNAL_URL`, and nothing else — e.g.
 * `http://api:3000` in the compose network; in embedded mode the platform sets it to its own
 * in-process address (apps/embedded/src/platform.ts). Never an address taken from the request
 * (its Host header is the visitor's to choose: fetching it would forward their cookie to any port
 * of this machine and put whatever answers into the page). Unset → 'unknown' for every read.
 *
 * These requests come from the web server's address, not the visitor's, so they carry the visitor's
 * `X-Forwarded-For`: the API believes it from the web server (a TRUST_PROXY peer: loopback in
 * embedded mode, the compose network in production) and counts each read in that visitor's rate
 * budget instead of one budget shared by every page view.
 */
import { headers } from 'next/headers';
import createClient, { type Client } from 'openapi-fetch';
import { pathSerializer } from '@/lib/api/client';
import type { paths } from '@/lib/api/schema';

export type ServerRead<T> = { kind: 'found'; body: T } | { kind: 'not-found' } | { kind: 'unknown' };

/** The page renders without server data rather than waiting long for it. */
const SERVER_FETCH_TIMEOUT_MS = 3_000;

function apiOrigin(): string | null {
  const configured = process.env.API_INTERNAL_URL?.trim();
  return configured ? configured.replace(/\/+$/, '') : null;
}

/** A dynamic route segment as the user typed it (`%40` → `@`); malformed escapes stay as they are. */
export function decodeSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * A GET of the typed client (lib/api/client.ts), at the API origin, with the viewer's cookie (so an
 * owner sees their private things) and their `X-Forwarded-For`; e.g.
 * `serverApiGet((api) => api.GET('/api/v1/users/{handle}', { params: { path: { handle } } }), (b) => b.user)`.
 * 404 and 400 (a handle or slug that cannot exist: the API validates their shape) are 'not-found'.
 */
export async function serverApiGet<B, T>(
  read: (api: Client<paths>) => Promise<{ data?: B; response: Response }>,
  pick: (body: B) => T,
): Promise<ServerRead<T>> {
  const origin = apiOrigin();
  if (!origin) return { kind: 'unknown' };
  try {
    const incoming = await headers();
    const cookie = incoming.get('cookie');
    const forwardedFor = incoming.get('x-forwarded-for');
    const api = createClient<paths>({
      baseUrl: origin,
      pathSerializer,
      headers: {
        accept: 'application/json',
        ...(cookie ? { cookie } : {}),
        ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
      },
      cache: 'no-store',
      signal: AbortSignal.timeout(SERVER_FETCH_TIMEOUT_MS),
    });
    const { data, response } = await read(api);
    if (response.status === 404 || response.status === 400) return { kind: 'not-found' };
    if (!response.ok || data === undefined) return { kind: 'unknown' };
    return { kind: 'found', body: pick(data) };
  } catch {
    return { kind: 'unknown' };
  }
}
