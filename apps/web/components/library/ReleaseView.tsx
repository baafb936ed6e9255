'use client';

/** `/release/<id>`: artwork, title, artist, date, tracklist with total length, play all; its artist edits it in place. */
import { BuyBox } from '@/components/commerce/BuyBox';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { apiFetch, ApiError, csrfHeaders, describeApiError } from '@/lib/api';
import { fetchAccount } from '@/lib/account';
import { formatDuration } from '@/lib/tracks';
import { routes } from '@/lib/routes';
import type { Release } from '@/lib/library';
import { usePlayer } from '@/components/player/PlayerProvider';
import { Tracklist, totalLength } from './Tracklist';
import './library.css';

export function ReleaseView({ id }: { id: string }) {
  const engine = usePlayer();
  const [release, setRelease] = useState<Release | null>(null);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [viewerId, setViewerId] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    apiFetch<{ release: Release }>(`/api/v1/releases/${id}`, { signal: controller.signal }).then(
      (r) => setRelease(r.release),
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
        <h1 className="status-page__title">This release is not here</h1>
        <Link className="button button--accent" href={routes.home}>
          Back to the home page
        </Link>
      </section>
    );
  if (!release)
    return (
      <p className="container section" role={error ? 'alert' : 'status'}>
        {error ?? 'Loading…'}
      </p>
    );
  const own = viewerId === release.artist.id;

  const save = async (form: HTMLFormElement) => {
    const data = new FormData(form);
    setError(null);
    try {
      const r = await apiFetch<{ release: Release }>(`/api/v1/releases/${id}`, {
        method: 'PATCH',
        json: {
          title: String(data.get('title') ?? ''),
          type: String(data.get('type') ?? 'album'),
          description: String(data.get('description') ?? ''),
          releaseDate: String(data.get('releaseDate') ?? '') || null,
        },
      });
      const art = data.get('artwork');
      if (art instanceof File && art.size > 0) {
        const body = new FormData();
        body.set('artwork', art);
        const res = await fetch(`/api/v1/releases/${id}/artwork`, {
          method: 'PUT',
          body,
          headers: csrfHeaders(),
          credentials: 'same-origin',
        });
        if (res.ok) r.release = ((await res.json()) as { release: Release }).release;
        else
          throw new Error(
            ((await res.json()) as { error?: { message?: string } }).error?.message ?? 'The artwork was refused',
          );
      }
      setRelease(r.release);
      setEditing(false);
      setSaved('Saved');
    } catch (err) {
      setError(describeApiError(err));
    }
  };

  return (
    <section className="section container" aria-labelledby="release-title">
      <div className="library-head">
        {release.artworkUrl ? (
          <img
            className="library-head__art"
            src={release.artworkUrl}
            alt={`Artwork for ${release.title}`}
            width={200}
            height={200}
          />
        ) : (
          <div className="library-head__art" aria-hidden="true" />
        )}
        <div>
          <p className="eyebrow">
            {release.type === 'ep' ? 'EP' : release.type === 'single' ? 'Single' : 'Album'}
            {release.scheduled ? ' · scheduled' : ''}
          </p>
          <h1 id="release-title" className="section__title" data-testid="release-title">
            {release.title}
          </h1>
          <p className="library-head__meta">
            <Link href={routes.artist(release.artist.handle)} prefetch={false}>
              {release.artist.displayName}
            </Link>
            {release.releaseDate && (
              <>
                {' '}
                · <time dateTime={release.releaseDate}>{release.releaseDate}</time>
              </>
            )}{' '}
            · {release.tracks.length} track{release.tracks.length === 1 ? '' : 's'} ·{' '}
            <span data-testid="release-length">{formatDuration(totalLength(release.tracks))}</span>
          </p>
          <div className="library-actions">
            <button
              type="button"
              className="button button--accent"
              disabled={release.tracks.length === 0}
              onClick={() => engine.playList(release.tracks, 0)}
              data-testid="play-all"
            >
              Play all
            </button>
            {own && (
              <button
                type="button"
                className="button button--ghost"
                aria-expanded={editing}
                onClick={() => setEditing((e) => !e)}
              >
                Edit release
              </button>
            )}
            {saved && <span role="status">{saved}</span>}
          </div>
        </div>
      </div>
      {!release.scheduled && release.tracks.length > 0 && (
        <BuyBox type="release" id={release.id} title={release.title} />
      )}
      {release.description && <p className="profile-header__bio">{release.description}</p>}
      {error && (
        <p className="feed-message feed-message--error" role="alert">
          {error}
        </p>
      )}
      {own && editing && (
        <form
          className="library-form"
          aria-label="Edit release"
          onSubmit={(e) => {
            e.preventDefault();
            void save(e.currentTarget);
          }}
        >
          <label>
            Title
            <input name="title" defaultValue={release.title} required maxLength={200} />
          </label>
          <label>
            Type
            <select name="type" defaultValue={release.type}>
              <option value="album">Album</option>
              <option value="ep">EP</option>
              <option value="single">Single</option>
            </select>
          </label>
          <label>
            Release date
            <input name="releaseDate" type="date" defaultValue={release.releaseDate ?? ''} />
          </label>
          <label>
            Description
            <textarea name="description" defaultValue={release.description} rows={4} maxLength={5000} />
          </label>
          <label>
            Artwork (JPEG, PNG, WebP; square works best)
            <input name="artwork" type="file" accept="image/*" />
          </label>
          <div className="library-actions">
            <button type="submit" className="button button--accent">
              Save
            </button>
          </div>
        </form>
      )}
      <Tracklist tracks={release.tracks} label={`Tracks of ${release.title}`} />
    </section>
  );
}
