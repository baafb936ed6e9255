/**
 * The catalogue as the API returns it: releases, playlists, search results, the artist's studio.
 * Shapes of `/api/v1/releases`, `/api/v1/playlists`, `/api/v1/search` (docs/architecture.md, "Catalogue").
 */
import type { TrackSummary } from './tracks';

export type Visibility = 'public' | 'unlisted' | 'private';

export interface Price {
  amountMinor: number;
  currency: string;
  payWhatYouWant: boolean;
}

/** A track inside a release or a playlist: a card plus its position. */
export interface ListedTrack extends TrackSummary {
  position: number;
}

export interface Release {
  id: string;
  title: string;
  type: 'album' | 'ep' | 'single';
  description: string;
  credits: string;
  releaseDate: string | null;
  /** True while the release date is still to come (only the owner sees it then). */
  scheduled: boolean;
  visibility: Visibility;
  artist: { id: string; handle: string; displayName: string };
  artworkUrl: string | null;
  price: Price | null;
  tracks: ListedTrack[];
  totalDurationMs: number;
  createdAt: string;
}

export interface Playlist {
  id: string;
  title: string;
  description: string;
  visibility: Visibility;
  owner: { id: string; handle: string; displayName: string };
  tracks: ListedTrack[];
  totalDurationMs: number;
  createdAt: string;
}

export interface PlaylistSummary {
  id: string;
  title: string;
  visibility: Visibility;
  trackCount: number;
}

export type SearchType = 'track' | 'user' | 'release' | 'playlist';
export const SEARCH_TABS: Array<{ type: SearchType; label: string }> = [
  { type: 'track', label: 'Tracks' },
  { type: 'user', label: 'Artists' },
  { type: 'release', label: 'Releases' },
  { type: 'playlist', label: 'Playlists' },
];

export type SearchHit =
  | {
      kind: 'track';
      id: string;
      title: string;
      slug: string;
      artist: { handle: string; displayName: string };
      artworkUrl: string | null;
      durationMs: number | null;
      genre: string | null;
      tags: string[];
    }
  | { kind: 'user'; id: string; handle: string; displayName: string; avatarUrl: string | null; role: string }
  | {
      kind: 'release';
      id: string;
      title: string;
      type: string;
      artist: { handle: string; displayName: string };
      artworkUrl: string | null;
      releaseDate: string | null;
    }
  | { kind: 'playlist'; id: string; title: string; owner: { handle: string; displayName: string }; trackCount: number };

export function searchPath(q: string, type: SearchType, limit = 20, cursor?: string | null): string {
  const p = new URLSearchParams({ q, type, limit: String(limit) });
  if (cursor) p.set('cursor', cursor);
  return `/api/v1/search?${p}`;
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
