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
import { TrackCard } from './TrackCard';
import { api, routes } from '@/lib/routes';
import { parseTrackPage, type TrackSummary } from '@/lib/tracks';

const PAGE_SIZE = 24;

type State =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; tracks: TrackSummary[]; nextCursor: string | null; more: 'idle' | 'loading' | 'error' };

async function fetchPage(cursor: string | null, signal?: AbortSignal) {
  const res = await fetch(api.tracks({ limit: PAGE_SIZE, cursor }), { signal, cache: 'no-store', headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`The server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`);
  return parseTrackPage(await res.json());
}

function describeError(err: unknown): string {
  if (err instanceof TypeError) return 'The server could not be reached.';
  return err instanceof Error ? err.message : 'Something went wrong.';
}

export function TrackFeed() {
  const [state, setState] = useState<State>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const moreController = useRef<AbortController | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    fetchPage(null, controller.signal).then(
      (page) => setState({ status: 'ready', tracks: page.tracks, nextCursor: page.nextCursor, more: 'idle' }),
      (err: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', message: describeError(err) });
      },
    );
    return () => {
      controller.abort();
      moreController.current?.abort();
    };
  }, [attempt]);

  const loadMore = useCallback(() => {
    if (state.status !== 'ready' || !state.nextCursor || state.more === 'loading') return;
    const controller = new AbortController();
    moreController.current = controller;
    const cursor = state.nextCursor;
    setState({ ...state, more: 'loading' });
    fetchPage(cursor, controller.signal).then(
      (page) =>
        setState((s) =>
          s.status === 'ready'
            ? { status: 'ready', tracks: [...s.tracks, ...page.tracks.filter((t) => !s.tracks.some((o) => o.id === t.id))], nextCursor: page.nextCursor, more: 'idle' }
            : s,
        ),
      () => {
        if (!controller.signal.aborted) setState((s) => (s.status === 'ready' ? { ...s, more: 'error' } : s));
      },
    );
  }, [state]);

  if (state.status === 'loading') {
    return (
      <div className="feed" aria-busy="true">
        <p className="visually-hidden" role="status">
          Loading tracks…
        </p>
        <ul className="track-grid" aria-hidden="true">
          {Array.from({ length: 8 }, (_, i) => (
            <li key={i} className="track-skeleton">
              <div className="track-skeleton__art" />
              <div className="track-skeleton__line" />
              <div className="track-skeleton__line track-skeleton__line--short" />
            </li>
          ))}
        </ul>
      </div>
    );
  }

  if (state.status === 'error') {
    return (
      <div className="feed-message feed-message--error" role="alert" data-testid="feed-error">
        <h3 className="feed-message__title">Couldn’t load tracks</h3>
        <p className="feed-message__text">{state.message} Please try again in a moment.</p>
        <button type="button" className="button button--ghost" onClick={() => setAttempt((n) => n + 1)}>
          Try again
        </button>
      </div>
    );
  }

  if (state.tracks.length === 0) {
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
      <ul className="track-grid">
        {state.tracks.map((track) => (
          <li key={track.id}>
            <TrackCard track={track} list={state.tracks} />
          </li>
        ))}
      </ul>
      {state.nextCursor && (
        <div className="feed__more">
          <button type="button" className="button button--ghost" onClick={loadMore} disabled={state.more === 'loading'}>
            {state.more === 'loading' ? 'Loading…' : 'Load more'}
          </button>
          {state.more === 'error' && (
            <p className="feed__more-error" role="alert">
              Couldn’t load more tracks. Try again.
            </p>
          )}
        </div>
      )}
    </div>
  );
}
