'use client';

/** `/genre/<name>` and `/tag/<name>`: listed tracks, newest first, with "More". */
import { useEffect, useState } from 'react';
import { TrackCard } from '@/components/TrackCard';
import { ApiError, apiFetch, describeApiError } from '@/lib/api';
import type { TrackSummary } from '@/lib/tracks';

export function BrowseGrid({ kind, name }: { kind: 'genre' | 'tag'; name: string }) {
  const [items, setItems] = useState<TrackSummary[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const path = (cursor?: string | null) =>
    `/api/v1/${kind === 'genre' ? 'genres' : 'tags'}/${encodeURIComponent(name)}/tracks?limit=24${cursor ? `&cursor=${cursor}` : ''}`;
  useEffect(() => {
    const controller = new AbortController();
    apiFetch<{ items: TrackSummary[]; nextCursor: string | null }>(path(), { signal: controller.signal }).then(
      (r) => {
        setItems(r.items);
        setNext(r.nextCursor);
      },
      (err) => {
        if (controller.signal.aborted) return;
        // No listed track carries this genre or tag (yet): the API answers 404.
        if (err instanceof ApiError && err.status === 404) setItems([]);
        else setError(describeApiError(err));
      },
    );
    return () => controller.abort();
  }, [kind, name]);
  return (
    <section className="section container" aria-labelledby="browse-title">
      <p className="eyebrow">{kind === 'genre' ? 'Genre' : 'Tag'}</p>
      <h1 id="browse-title" className="section__title">
        {kind === 'tag' ? `#${name}` : name}
      </h1>
      {error && (
        <p className="feed-message feed-message--error" role="alert">
          {error}
        </p>
      )}
      {!items && !error && <p role="status">Loading…</p>}
      {items && items.length === 0 && <p className="feed-message">Nothing here yet.</p>}
      {items && items.length > 0 && (
        <ul className="track-grid">
          {items.map((t) => (
            <li key={t.id}>
              <TrackCard track={t} list={items} />
            </li>
          ))}
        </ul>
      )}
      {next && (
        <button
          type="button"
          className="button button--ghost"
          onClick={() =>
            apiFetch<{ items: TrackSummary[]; nextCursor: string | null }>(path(next)).then((r) => {
              setItems((old) => [...(old ?? []), ...r.items]);
              setNext(r.nextCursor);
            })
          }
        >
          More
        </button>
      )}
    </section>
  );
}
