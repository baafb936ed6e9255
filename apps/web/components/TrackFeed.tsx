'use client';

/**
 * "New tracks": fetched in the browser from the same origin (`/api/v1/tracks`).
 *
 * Why client-side: the web app never needs to know where the API lives. Behind nginx (standalone `next start`)
 * and inside the API process (embedded mode) the browser's origin already routes `/api/v1/*` to the API, so
 * the page itself stays static and no server-to-server URL has to be configured.
 */
import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import { TrackGrid } from './TrackCard';
import { api } from '@/lib/api/client';
import { useResource } from '@/lib/hooks/use-resource';
import { routes } from '@/lib/routes';
import { LoadFailed } from '@/components/LoadFailed';
import { LoadingSkeleton, SkeletonLines } from './Skeleton';

const PAGE_SIZE = 24;

/** A refusal shows its status, not the API's message: that one is about query strings, for developers. */
async function fetchPage(cursor: string | null, signal?: AbortSignal) {
  const { data, response } = await api.GET('/api/v1/tracks', {
    params: { query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
    signal,
  });
  if (!response.ok || !data)
    throw new Error(`The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`);
  return data;
}

export function TrackFeed() {
  const state = useResource('tracks', (signal) => fetchPage(null, signal));
  const [more, setMore] = useState<'idle' | 'loading' | 'error'>('idle');
  const moreController = useRef<AbortController | null>(null);
  useEffect(() => () => moreController.current?.abort(), []);

  const { update } = state;
  const nextCursor = state.status === 'ready' ? state.data.nextCursor : null;
  const loadMore = useCallback(() => {
    if (!nextCursor || more === 'loading') return;
    const controller = new AbortController();
    moreController.current = controller;
    setMore('loading');
    fetchPage(nextCursor, controller.signal).then(
      (page) => {
        update((d) => ({
          tracks: [...d.tracks, ...page.tracks.filter((t) => !d.tracks.some((o) => o.id === t.id))],
          nextCursor: page.nextCursor,
        }));
        setMore('idle');
      },
      () => {
        if (!controller.signal.aborted) setMore('error');
      },
    );
  }, [nextCursor, more, update]);

  if (state.status === 'loading') {
    return (
      <LoadingSkeleton className="feed" label="Loading tracks…">
        <ul className="track-grid" aria-hidden="true">
          {Array.from({ length: 8 }, (_, i) => (
            <li key={i} className="track-skeleton">
              <div className="track-skeleton__art" />
              <SkeletonLines />
            </li>
          ))}
        </ul>
      </LoadingSkeleton>
    );
  }

  if (state.status === 'error') {
    return (
      <LoadFailed
        heading="h3"
        title="Couldn’t load tracks"
        text={`${state.message} Please try again in a moment.`}
        retry={state.retry}
        testId="feed-error"
      />
    );
  }

  if (state.data.tracks.length === 0) {
    return (
      <div className="feed-message" role="status" data-testid="feed-empty">
        <h3 className="feed-message__title">No tracks yet — artists, upload the first one</h3>
        <p className="feed-message__text">New releases will appear here as soon as they are ready to play.</p>
        <Link className="button button--ghost" href={routes.register} prefetch={false}>
          Create an artist account
        </Link>
      </div>
    );
  }

  return (
    <div className="feed">
      <TrackGrid tracks={state.data.tracks} />
      {state.data.nextCursor && (
        <div className="feed__more">
          <button type="button" className="button button--ghost" onClick={loadMore} disabled={more === 'loading'}>
            {more === 'loading' ? 'Loading…' : 'Load more'}
          </button>
          {more === 'error' && (
            <p className="feed__more-error" role="alert">
              Couldn’t load more tracks. Try again.
            </p>
          )}
        </div>
      )}
    </div>
  );
}
