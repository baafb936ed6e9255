/**
 * The signed-in account, as the API returns it (`GET /api/v1/auth/me`), and a tiny in-page
 * signal so that the header follows sign-in, sign-out and profile edits without a reload.
 */
import { apiFetch, ApiError, CSRF_COOKIE, readCookie } from '@/lib/api';

export type Role = 'listener' | 'artist' | 'admin';

export interface PublicUser {
  id: string;
  handle: string;
  displayName: string;
  bio: string;
  avatarUrl: string | null;
  avatarSmallUrl: string | null;
  role: Role;
  createdAt: string;
}

export interface AccountUser extends PublicUser {
  email: string;
  emailVerified: boolean;
}

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
    return (await apiFetch<{ user: AccountUser }>('/api/v1/auth/me', { signal })).user;
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
  await apiFetch('/api/v1/auth/logout', { method: 'POST' });
  announceAccount(null);
}

/** Only same-site paths are followed after sign-in (`?next=`), never another origin. */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}
