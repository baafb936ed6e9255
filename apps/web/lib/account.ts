/**
 * The signed-in account, as the API returns it (`GET /api/v1/auth/me`), and a tiny in-page
 * signal so that the header follows sign-in, sign-out and profile edits without a reload.
 */
import { ApiError, CSRF_COOKIE, readCookie } from '@/lib/api';
import { api, ok, type ApiResponse } from '@/lib/api/client';

export type AccountUser = ApiResponse<'/api/v1/auth/me'>['user'];
export type PublicUser = ApiResponse<'/api/v1/users/{handle}'>['user'];
export type Role = AccountUser['role'];

const EVENT = 'earshot:account';

/**
 * The account, or null when signed out. Other failures reject.
 *
 * The session cookie is httpOnly, but the API sets the readable `csrf` cookie with it and clears
 * both together: without it there is no session, so visitors cost no request (and no 401 in the
 * console). A stale pair (session revoked elsewhere) gets one 401, and the API clears both.
 */
export async function fetchAccount(signal?: AbortSignal): Promise<AccountUser | null> {
  if (!readCookie(CSRF_COOKIE)) return null;
  try {
    return (await ok(api.GET('/api/v1/auth/me', { signal }))).user;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** Tell the page (the header) that the account changed; null = signed out. */
export function announceAccount(user: AccountUser | null): void {
  window.dispatchEvent(new CustomEvent<AccountUser | null>(EVENT, { detail: user }));
}

export function onAccountChange(listener: (user: AccountUser | null) => void): () => void {
  const handler = (e: Event) => listener((e as CustomEvent<AccountUser | null>).detail);
  window.addEventListener(EVENT, handler);
  return () => window.removeEventListener(EVENT, handler);
}

export async function signOut(): Promise<void> {
  await ok(api.POST('/api/v1/auth/logout'));
  announceAccount(null);
}

/** Only same-site paths are followed after sign-in (`?next=`), never another origin. */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}
