/**
 * The catalogue as the API returns it: releases, playlists, search results, the artist's studio.
 * The web's names for the shapes of `/api/v1/releases`, `/api/v1/playlists`, `/api/v1/search`
 * (types from the API's document, docs/architecture.md, "The web and the API").
 */
import { api, ok, type ApiResponse } from './api/client';

export type Visibility = 'public' | 'unlisted' | 'private';

export type Release = ApiResponse<'/api/v1/releases/{id}'>['release'];
export type Playlist = ApiResponse<'/api/v1/playlists/{id}'>['playlist'];
/** A track inside a release or a playlist: a card plus its position and waveform. */
export type ListedTrack = Release['tracks'][number];
export type PlaylistSummary = ApiResponse<'/api/v1/me/playlists'>['items'][number];

export type SearchType = 'track' | 'user' | 'release' | 'playlist';
export const SEARCH_TABS: Array<{ type: SearchType; label: string }> = [
  { type: 'track', label: 'Tracks' },
  { type: 'user', label: 'Artists' },
  { type: 'release', label: 'Releases' },
  { type: 'playlist', label: 'Playlists' },
];

export type SearchHit = ApiResponse<'/api/v1/search'>['items'][number];

export type SearchPage = ApiResponse<'/api/v1/search'>;

/** One page of `GET /api/v1/search` through the typed client. */
export function searchPage(
  q: string,
  type: SearchType,
  options: { limit?: number; cursor?: string | null; signal?: AbortSignal } = {},
): Promise<SearchPage> {
  const { limit = 20, cursor, signal } = options;
  return ok(
    api.GET('/api/v1/search', { params: { query: { q, type, limit, ...(cursor ? { cursor } : {}) } }, signal }),
  );
}

/** Where a hit leads in the app. */
export function hitHref(hit: SearchHit): string {
  switch (hit.kind) {
    case 'track':
      return `/${encodeURIComponent(hit.artist.handle)}/${encodeURIComponent(hit.slug)}`;
    case 'user':
      return `/${encodeURIComponent(hit.handle)}`;
    case 'release':
      return `/release/${hit.id}`;
    case 'playlist':
      return `/playlist/${hit.id}`;
  }
}

/** Moves the item at `from` to `to` (both in range), returning a new array. */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const copy = [...list];
  if (from < 0 || from >= copy.length || to < 0 || to >= copy.length) return copy;
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item as T);
  return copy;
}
