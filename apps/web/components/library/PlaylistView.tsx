'use client';

/**
 * `/playlist/<id>`: play all; its owner renames it, changes who sees it, reorders (↑/↓ buttons or
 * drag) and removes tracks — every change saves the whole order (`PUT /playlists/:id/tracks`).
 */
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { api, ok } from '@/lib/api/client';
import { routes } from '@/lib/routes';
import { moveItem, type Playlist, type Visibility } from '@/lib/library';
import { EditError, LibraryFallback, useLibraryItem } from './LibraryItem';
import { PlayAllButton, TrackCount, Tracklist } from './Tracklist';
import './library.css';
import { PLAYLIST_TITLE_MAX } from '@earshot/core/field-limits';

export function PlaylistView({ id }: { id: string }) {
  const router = useRouter();
  const { item, viewerId, status, error, edit } = useLibraryItem(`playlist:${id}`, (signal) =>
    ok(api.GET('/api/v1/playlists/{id}', { params: { path: { id } }, signal })).then((r) => r.playlist),
  );
  if (item.status !== 'ready') return <LibraryFallback item={item} noun="playlist" />;
  const playlist = item.data;
  const own = viewerId === playlist.owner.id;
  const path = { params: { path: { id } } };

  const saveOrder = (tracks: Playlist['tracks'], what: string) =>
    void edit(
      () =>
        ok(api.PUT('/api/v1/playlists/{id}/tracks', { ...path, body: { trackIds: tracks.map((t) => t.id) } })).then(
          (r) => r.playlist,
        ),
      what,
      (p) => ({ ...p, tracks }),
    );
  const patch = (body: { title?: string; visibility?: Visibility; description?: string }) =>
    void edit(() => ok(api.PATCH('/api/v1/playlists/{id}', { ...path, body })).then((r) => r.playlist), 'Saved');

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
            · <TrackCount tracks={playlist.tracks} />
          </p>
          <div className="library-actions">
            <PlayAllButton tracks={playlist.tracks} />
            <span role="status" aria-live="polite">
              {status}
            </span>
          </div>
        </div>
      </div>
      {playlist.description && <p className="profile-header__bio">{playlist.description}</p>}
      <EditError message={error} />
      {own && (
        <form
          className="library-form"
          aria-label="Playlist settings"
          onSubmit={(e) => {
            e.preventDefault();
            const data = new FormData(e.currentTarget);
            patch({
              title: String(data.get('title') ?? ''),
              visibility: String(data.get('visibility')) as Visibility,
            });
          }}
        >
          <label>
            Name
            <input name="title" defaultValue={playlist.title} required maxLength={PLAYLIST_TITLE_MAX} />
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
                if (await edit(() => ok(api.DELETE('/api/v1/playlists/{id}', path)).then(() => undefined), 'Deleted'))
                  router.push(routes.home);
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
                  saveOrder(
                    moveItem(playlist.tracks, from, to),
                    `Moved ${playlist.tracks[from]?.title} to position ${to + 1}`,
                  )
              : undefined
          }
          onRemove={
            own
              ? (i) =>
                  saveOrder(
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
