/**
 * What every browser call of the API shares: the CSRF header, `ApiError` and its sentence. The calls
 * themselves go through the typed client, `lib/api/client.ts` (`api.GET(…)`, `ok(…)`).
 *
 * CSRF: the session is an httpOnly cookie, so every cookie-authenticated write also carries the
 * value of the (readable, non-httpOnly) `csrf` cookie in an `X-CSRF-Token` header — the signed
 * double-submit token the API sets at sign-in and checks on POST/PUT/PATCH/DELETE
 * (apps/api/src/plugins/auth.ts). Every writer goes through `csrfHeaders()`, the XHR upload too.
 */

export const CSRF_COOKIE = 'csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

/** `{error: {code, message, details?}}`, thrown for every non-2xx answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function readCookie(name: string): string | null {
  if (typeof document === 'undefined') return null;
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

export function csrfHeaders(): Record<string, string> {
  const token = readCookie(CSRF_COOKIE);
  return token ? { [CSRF_HEADER]: token } : {};
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Turns a failed response body (JSON or not) into an ApiError. */
export function apiErrorFrom(status: number, body: unknown, statusText = ''): ApiError {
  const e = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (e && typeof e === 'object' && typeof e.message === 'string') {
    return new ApiError(
      status,
      typeof e.code === 'string' ? e.code : 'error',
      e.message,
      (e.details as Record<string, unknown>) ?? undefined,
    );
  }
  return new ApiError(status, 'http_error', `The server answered ${status}${statusText ? ` ${statusText}` : ''}.`);
}

/**
 * `fetch` for the API: same origin, cookies included, JSON in and out, CSRF header on writes.
 * Resolves with the parsed JSON body; rejects with ApiError (non-2xx) or TypeError (network).
 * @deprecated Untyped: use `api` and `ok` from `lib/api/client.ts`. Kept only until work written
 * against it has moved; nothing in the app calls it.
 */
export async function apiFetch<T = unknown>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, headers, ...rest } = init;
  const method = (rest.method ?? (json !== undefined ? 'POST' : 'GET')).toUpperCase();
  const h = new Headers(headers);
  h.set('accept', 'application/json');
  if (json !== undefined) h.set('content-type', 'application/json');
  if (!SAFE_METHODS.has(method)) for (const [k, v] of Object.entries(csrfHeaders())) h.set(k, v);
  const res = await fetch(path, {
    credentials: 'same-origin',
    cache: 'no-store',
    ...rest,
    method,
    headers: h,
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  });
  const text = await res.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!res.ok) throw apiErrorFrom(res.status, body, res.statusText);
  return body as T;
}

/** A message a person can read, for any error a call of the API may throw. */
export function describeApiError(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof TypeError) return 'The server could not be reached.';
  return err instanceof Error ? err.message : 'Something went wrong.';
}
