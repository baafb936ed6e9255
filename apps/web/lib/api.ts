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

/** A message a person can read, for any error a call of the API may throw. */
export function describeApiError(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof TypeError) return 'The server could not be reached.';
  return err instanceof Error ? err.message : 'Something went wrong.';
}
