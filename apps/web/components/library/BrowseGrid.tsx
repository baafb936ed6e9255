'use client';

/** `/genre/<name>` and `/tag/<name>`: listed tracks, newest first, with "More". */
import { useState } from 'react';
import { TrackGrid } from '@/components/TrackCard';
import { ApiError, describeApiError } from '@/lib/api';
import { api, ok } from '@/lib/api/client';
import { useResource } from '@/lib/hooks/use-resource';
import type { ApiResponse } from '@/lib/api/client';
import { Notice } from '@/components/Notice';

type Page = ApiResponse<'/api/v1/genres/{name}/tracks'>;

function readPage(kind: 'genre' | 'tag', name: string, cursor: string | null, signal?: AbortSignal): Promise<Page> {
  const params = { path: { name }, query: { limit: 24, ...(cursor ? { cursor } : {}) } };
  const call =
    kind === 'genre'
      ? api.GET('/api/v1/genres/{name}/tracks', { params, signal })
      : api.GET('/api/v1/tags/{name}/tracks', { params, signal });
  return ok(call).then(
    (r) => r,
    (err: unknown) => {
      // No listed track carries this genre or tag (yet): the API answers 404.
      if (err instanceof ApiError && err.status === 404) return { items: [], nextCursor: null };
      throw err;
    },
  );
}

export function BrowseGrid({ kind, name }: { kind: 'genre' | 'tag'; name: string }) {
  const page = useResource(`${kind}:${name}`, (signal) => readPage(kind, name, null, signal));
  const [moreError, setMoreError] = useState<string | null>(null);
  const items = page.status === 'ready' ? page.data.items : null;
  const next = page.status === 'ready' ? page.data.nextCursor : null;
  const error = page.status === 'error' ? page.message : moreError;
  const more = (cursor: string) =>
    readPage(kind, name, cursor).then(
      (r) => page.update((old) => ({ items: [...old.items, ...r.items], nextCursor: r.nextCursor })),
      (err) => setMoreError(describeApiError(err)),
    );
  return (
    <section className="section container" aria-labelledby="browse-title">
      <p className="eyebrow">{kind === 'genre' ? 'Genre' : 'Tag'}</p>
      <h1 id="browse-title" className="section__title">
        {kind === 'tag' ? `#${name}` : name}
      </h1>
      <Notice className="feed-message feed-message--error" message={error} />
      {!items && !error && <p role="status">Loading…</p>}
      {items && items.length === 0 && <p className="feed-message">Nothing here yet.</p>}
      {items && items.length > 0 && <TrackGrid tracks={items} />}
      {next && (
        <button type="button" className="button button--ghost" onClick={() => void more(next)}>
          More
        </button>
      )}
    </section>
  );
}
