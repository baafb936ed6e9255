'use client';

/**
 * `/playlist/<id>`: play all; its owner renames it, changes who sees it, reorders (↑/↓ buttons or
 * drag) and removes tracks — every change saves the whole order (`PUT /playlists/:id/tracks`).
 */
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { apiFetch, ApiError, describeApiError } from '@/lib/api';
import { fetchAccount } from '@/lib/account';
import { formatDuration } from '@/lib/tracks';
import { routes } from '@/lib/routes';
import { moveItem, type Playlist, type Visibility } from '@/lib/library';
import { usePlayer } from '@/components/player/PlayerProvider';
import { Tracklist, totalLength } from './Tracklist';
import './library.css';

export function PlaylistView({ id }: { id: string }) {
  const engine = usePlayer();
  const router = useRouter();
  const [playlist, setPlaylist] = useState<Playlist | null>(null);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [viewerId, setViewerId] = useState<string | null>(null);
  const [status, setStatus] = useState('');

  useEffect(() => {
    const controller = new AbortController();
    apiFetch<{ playlist: Playlist }>(`/api/v1/playlists/${id}`, { signal: controller.signal }).then(
      (r) => setPlaylist(r.playlist),
      (err) => {
        if (controller.signal.aborted) return;
        if (err instanceof ApiError && (err.status === 404 || err.status === 400)) setMissing(true);
        else setError(describeApiError(err));
      },
    );
    fetchAccount(controller.signal).then(
      (me) => setViewerId(me?.id ?? null),
      () => undefined,
    );
    return () => controller.abort();
  }, [id]);

  if (missing)
    return (
      <section className="status-page container">
        <p className="status-page__code">404</p>
        <h1 className="status-page__title">This playlist is not here</h1>
        <Link className="button button--accent" href={routes.home}>
          Back to the home page
        </Link>
      </section>
    );
  if (!playlist)
    return (
      <p className="container section" role={error ? 'alert' : 'status'}>
        {error ?? 'Loading…'}
      </p>
    );
  const own = viewerId === playlist.owner.id;

  const saveOrder = async (tracks: Playlist['tracks'], what: string) => {
    const before = playlist;
    setPlaylist({ ...playlist, tracks });
    try {
      const r = await apiFetch<{ playlist: Playlist }>(`/api/v1/playlists/${id}/tracks`, {
        method: 'PUT',
        json: { trackIds: tracks.map((t) => t.id) },
      });
      setPlaylist(r.playlist);
      setStatus(what);
    } catch (err) {
      setPlaylist(before);
      setError(describeApiError(err));
    }
  };
  const patch = async (body: { title?: string; visibility?: Visibility; description?: string }) => {
    try {
      const r = await apiFetch<{ playlist: Playlist }>(`/api/v1/playlists/${id}`, { method: 'PATCH', json: body });
      setPlaylist(r.playlist);
      setStatus('Saved');
    } catch (err) {
      setError(describeApiError(err));
    }
  };

  return (
    <section className="section container" aria-labelledby="playlist-title">
      <div className="library-head">
        <div>
          <p className="eyebrow">Playlist{playlist.visibility !== 'public' ? ` · ${playlist.visibility}` : ''}</p>
          <h1 id="playlist-title" className="section__title" data-testid="playlist-title">
            {playlist.title}
          </h1>
          <p className="library-head__meta">
            by{' '}
            <Link href={routes.artist(playlist.owner.handle)} prefetch={false}>
              {playlist.owner.displayName}
            </Link>{' '}
            · {playlist.tracks.length} track{playlist.tracks.length === 1 ? '' : 's'} ·{' '}
            {formatDuration(totalLength(playlist.tracks))}
          </p>
          <div className="library-actions">
            <button
              type="button"
              className="button button--accent"
              disabled={playlist.tracks.length === 0}
              onClick={() => engine.playList(playlist.tracks, 0)}
              data-testid="play-all"
            >
              Play all
            </button>
            <span role="status" aria-live="polite">
              {status}
            </span>
          </div>
        </div>
      </div>
      {playlist.description && <p className="profile-header__bio">{playlist.description}</p>}
      {error && (
        <p className="feed-message feed-message--error" role="alert">
          {error}
        </p>
      )}
      {own && (
        <form
          className="library-form"
          aria-label="Playlist settings"
          onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            void patch({
              title: String(data.get('title') ?? ''),
              visibility: String(data.get('visibility')) as Visibility,
            });
          }}
        >
          <label>
            Name
            <input name="title" defaultValue={playlist.title} required maxLength={200} />
          </label>
          <label>
            Who can see it
            <select name="visibility" defaultValue={playlist.visibility}>
              <option value="public">Public</option>
              <option value="unlisted">Unlisted (anyone with the link)</option>
              <option value="private">Private (only you)</option>
            </select>
          </label>
          <div className="library-actions">
            <button type="submit" className="button button--ghost">
              Save
            </button>
            <button
              type="button"
              className="button button--ghost"
              onClick={async () => {
                if (!window.confirm(`Delete the playlist “${playlist.title}”? The tracks stay.`)) return;
                try {
                  await apiFetch(`/api/v1/playlists/${id}`, { method: 'DELETE' });
                  router.push(routes.home);
                } catch (err) {
                  setError(describeApiError(err));
                }
              }}
            >
              Delete playlist
            </button>
          </div>
        </form>
      )}
      {playlist.tracks.length === 0 ? (
        <p className="feed-message">No tracks yet. Add some with “Add to playlist” on a track’s page.</p>
      ) : (
        <Tracklist
          tracks={playlist.tracks}
          label={`Tracks of ${playlist.title}`}
          onMove={
            own
              ? (from, to) =>
                  void saveOrder(
                    moveItem(playlist.tracks, from, to),
                    `Moved ${playlist.tracks[from]?.title} to position ${to + 1}`,
                  )
              : undefined
          }
          onRemove={
            own
              ? (i) =>
                  void saveOrder(
                    playlist.tracks.filter((_, j) => j !== i),
                    `Removed ${playlist.tracks[i]?.title}`,
                  )
              : undefined
          }
        />
      )}
    </section>
  );
}
