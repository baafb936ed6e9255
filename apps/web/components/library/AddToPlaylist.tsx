'use client';

/**
 * "Add to playlist": a menu button listing the signed-in user's playlists (add appends the track
 * and saves the whole order) and a field to start a new playlist with it. Escape closes the menu.
 */
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { apiFetch, describeApiError } from '@/lib/api';
import { fetchAccount } from '@/lib/account';
import type { Playlist, PlaylistSummary } from '@/lib/library';
import './library.css';

export function AddToPlaylist({ trackId, trackTitle }: { trackId: string; trackTitle: string }) {
  const [signedIn, setSignedIn] = useState<boolean | null>(null);
  const [open, setOpen] = useState(false);
  const [playlists, setPlaylists] = useState<PlaylistSummary[] | null>(null);
  const [status, setStatus] = useState('');
  const [newTitle, setNewTitle] = useState('');
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const controller = new AbortController();
    fetchAccount(controller.signal).then(
      (me) => setSignedIn(!!me),
      () => setSignedIn(false),
    );
    return () => controller.abort();
  }, []);
  useEffect(() => {
    if (!open) return;
    apiFetch<{ items: PlaylistSummary[] }>('/api/v1/me/playlists').then(
      (r) => setPlaylists(r.items),
      (err) => setStatus(describeApiError(err)),
    );
    menu.current?.querySelector<HTMLElement>('button, input')?.focus();
  }, [open]);

  if (!signedIn) return null;

  const addTo = async (p: PlaylistSummary) => {
    try {
      const current = await apiFetch<{ playlist: Playlist }>(`/api/v1/playlists/${p.id}`);
      const ids = current.playlist.tracks.map((t) => t.id);
      if (ids.includes(trackId)) {
        setStatus(`Already in “${p.title}”`);
      } else {
        await apiFetch(`/api/v1/playlists/${p.id}/tracks`, { method: 'PUT', json: { trackIds: [...ids, trackId] } });
        setStatus(`Added to “${p.title}”`);
      }
      setOpen(false);
    } catch (err) {
      setStatus(describeApiError(err));
    }
  };
  const create = async () => {
    const title = newTitle.trim();
    if (!title) return;
    try {
      const r = await apiFetch<{ playlist: Playlist }>('/api/v1/playlists', { json: { title, trackIds: [trackId] } });
      setStatus(`Added to the new playlist “${r.playlist.title}”`);
      setNewTitle('');
      setOpen(false);
    } catch (err) {
      setStatus(describeApiError(err));
    }
  };

  return (
    <div
      className="add-to-playlist"
      onKeyDown={(e) => {
        if (e.key === 'Escape') setOpen(false);
      }}
    >
      <button
        type="button"
        className="button button--ghost button--small"
        aria-haspopup="true"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid="add-to-playlist"
      >
        Add to playlist
      </button>
      {open && (
        <div className="add-to-playlist__menu" ref={menu} role="group" aria-label={`Add ${trackTitle} to a playlist`}>
          {playlists === null && <p role="status">Loading…</p>}
          {playlists?.map((p) => (
            <button
              key={p.id}
              type="button"
              className="button button--ghost button--small"
              onClick={() => void addTo(p)}
            >
              {p.title} <span className="tracklist__artist">({p.trackCount})</span>
            </button>
          ))}
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void create();
            }}
          >
            <label className="visually-hidden" htmlFor={`new-playlist-${trackId}`}>
              New playlist name
            </label>
            <input
              id={`new-playlist-${trackId}`}
              placeholder="New playlist…"
              maxLength={200}
              value={newTitle}
              onChange={(e) => setNewTitle(e.target.value)}
              data-testid="new-playlist-name"
            />
            <button type="submit" className="button button--accent button--small">
              Create
            </button>
          </form>
        </div>
      )}
      <span role="status" aria-live="polite" className="tracklist__artist">
        {status}
        {status.startsWith('Added') && ' '}
        {status.startsWith('Added') && <Link href="/studio">Your library</Link>}
      </span>
    </div>
  );
}
