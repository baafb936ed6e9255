'use client';

/**
 * "Add to playlist": a menu button listing the signed-in user's playlists (add appends the track
 * and saves the whole order) and a field to start a new playlist with it. On the track page, on
 * every track card (`compact`: a small "+" button) and on the player bar (`placement="up"`: the
 * menu opens above the bar). Keyboard: the menu takes the focus when it opens, ↑/↓ move between its
 * entries, Escape closes it and gives the focus back to the button.
 */
import Link from 'next/link';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { describeApiError } from '@/lib/api';
import { api, ok } from '@/lib/api/client';
import { fetchAccount, onAccountChange } from '@/lib/account';
import type { PlaylistSummary } from '@/lib/library';
import './library.css';
import { PLAYLIST_TITLE_MAX } from '@earshot/core/field-limits';

/**
 * Whether someone is signed in, asked once per page however many cards carry the button (a grid
 * of 48 cards must not cost 48 requests); sign-in and sign-out on the page reset it.
 */
let signedInOnce: Promise<boolean> | null = null;
const listeners = new Set<(signedIn: boolean) => void>();
let watching = false;
function signedIn(): Promise<boolean> {
  if (!watching && typeof window !== 'undefined') {
    watching = true;
    onAccountChange((user) => {
      signedInOnce = Promise.resolve(!!user);
      for (const l of listeners) l(!!user);
    });
  }
  signedInOnce ??= fetchAccount().then(
    (me) => !!me,
    () => false,
  );
  return signedInOnce;
}

export function AddToPlaylist({
  trackId,
  trackTitle,
  compact = false,
  placement = 'down',
}: {
  trackId: string;
  trackTitle: string;
  /** A small "+" button (track cards, the player bar); its label still names the track. */
  compact?: boolean;
  /** Where the menu opens: below the button, or above it (the player bar at the bottom). */
  placement?: 'down' | 'up';
}) {
  const [isSignedIn, setSignedIn] = useState<boolean | null>(null);
  const [open, setOpen] = useState(false);
  const [playlists, setPlaylists] = useState<PlaylistSummary[] | null>(null);
  const [status, setStatus] = useState('');
  const [newTitle, setNewTitle] = useState('');
  const menu = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menuId = useId();

  useEffect(() => {
    let live = true;
    signedIn().then((v) => live && setSignedIn(v));
    listeners.add(setSignedIn);
    return () => {
      live = false;
      listeners.delete(setSignedIn);
    };
  }, []);
  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    setPlaylists(null);
    ok(api.GET('/api/v1/me/playlists', { signal: controller.signal })).then(
      (r) => setPlaylists(r.items),
      (err) => !controller.signal.aborted && setStatus(describeApiError(err)),
    );
    menu.current?.querySelector<HTMLElement>('button, input')?.focus();
    return () => controller.abort();
  }, [open]);
  // Once the list has arrived, the first playlist takes the focus (unless the user moved on).
  useEffect(() => {
    if (!open || !playlists?.length) return;
    if (document.activeElement === menu.current?.querySelector('input'))
      menu.current?.querySelector<HTMLElement>('button')?.focus();
  }, [open, playlists]);

  if (!isSignedIn) return null;

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const addTo = async (p: PlaylistSummary) => {
    try {
      const current = await ok(api.GET('/api/v1/playlists/{id}', { params: { path: { id: p.id } } }));
      const ids = current.playlist.tracks.map((t) => t.id);
      if (ids.includes(trackId)) {
        setStatus(`Already in “${p.title}”`);
      } else {
        await ok(
          api.PUT('/api/v1/playlists/{id}/tracks', {
            params: { path: { id: p.id } },
            body: { trackIds: [...ids, trackId] },
          }),
        );
        setStatus(`Added to “${p.title}”`);
      }
      close();
    } catch (err) {
      setStatus(describeApiError(err));
    }
  };
  const create = async () => {
    const title = newTitle.trim();
    if (!title) return;
    try {
      const r = await ok(api.POST('/api/v1/playlists', { body: { title, trackIds: [trackId] } }));
      setStatus(`Added to the new playlist “${r.playlist.title}”`);
      setNewTitle('');
      close();
    } catch (err) {
      setStatus(describeApiError(err));
    }
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape' && open) {
      e.stopPropagation();
      close();
      return;
    }
    if (!open || (e.key !== 'ArrowDown' && e.key !== 'ArrowUp')) return;
    const items = Array.from(menu.current?.querySelectorAll<HTMLElement>('button, input') ?? []);
    if (!items.length) return;
    e.preventDefault();
    const at = items.indexOf(document.activeElement as HTMLElement);
    const next = e.key === 'ArrowDown' ? (at + 1) % items.length : (at - 1 + items.length) % items.length;
    items[at === -1 ? 0 : next]?.focus();
  };

  return (
    <div
      className={`add-to-playlist${compact ? ' add-to-playlist--compact' : ''}${placement === 'up' ? ' add-to-playlist--up' : ''}`}
      onKeyDown={onKeyDown}
    >
      <button
        ref={button}
        type="button"
        className={compact ? 'add-to-playlist__plus' : 'button button--ghost button--small'}
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={compact ? `Add ${trackTitle} to a playlist` : undefined}
        title={compact ? 'Add to playlist' : undefined}
        onClick={() => setOpen((o) => !o)}
        data-testid={compact ? 'add-to-playlist-plus' : 'add-to-playlist'}
      >
        {compact ? (
          <span aria-hidden="true" className="add-to-playlist__plus-mark">
            +
          </span>
        ) : (
          'Add to playlist'
        )}
      </button>
      {open && (
        <div
          id={menuId}
          className="add-to-playlist__menu"
          ref={menu}
          role="group"
          aria-label={`Add ${trackTitle} to a playlist`}
        >
          {playlists === null && <p role="status">Loading…</p>}
          {playlists?.map((p) => (
            <button
              key={p.id}
              type="button"
              className="button button--ghost button--small"
              onClick={() => void addTo(p)}
              data-testid="add-to-playlist-item"
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
            <label className="visually-hidden" htmlFor={`new-playlist-${menuId}`}>
              New playlist name
            </label>
            <input
              id={`new-playlist-${menuId}`}
              placeholder="New playlist…"
              maxLength={PLAYLIST_TITLE_MAX}
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
      <span
        role="status"
        aria-live="polite"
        className={compact ? 'add-to-playlist__status' : 'tracklist__artist'}
        data-testid="add-to-playlist-status"
      >
        {status}
        {!compact && status.startsWith('Added') && ' '}
        {!compact && status.startsWith('Added') && <Link href="/studio">Your library</Link>}
      </span>
    </div>
  );
}
