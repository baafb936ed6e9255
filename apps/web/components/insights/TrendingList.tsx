'use client';

/** Trending tracks (`/trending`), today or this week, from the public cached list. */
import { useEffect, useState } from 'react';
import { TrackCard } from '@/components/TrackCard';
import { api, ok } from '@/lib/api/client';
import type { TrackSummary } from '@/lib/tracks';
import { OptionButtons } from './OptionButtons';
import './insights.css';

type State = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; tracks: TrackSummary[] };

export function TrendingList() {
  const [period, setPeriod] = useState<'day' | 'week'>('day');
  const [state, setState] = useState<State>({ status: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    ok(api.GET('/api/v1/trending', { params: { query: { period, limit: 50 } }, signal: controller.signal }))
      .then((body) => setState({ status: 'ready', tracks: body.tracks }))
      .catch((err: unknown) => {
        if (!controller.signal.aborted)
          setState({ status: 'error', message: err instanceof Error ? err.message : 'Something went wrong.' });
      });
    return () => controller.abort();
  }, [period]);
  return (
    <div className="trending" aria-busy={state.status === 'loading'}>
      <OptionButtons label="Period" value={period} options={{ day: 'Today', week: 'This week' }} onChange={setPeriod} />
      {state.status === 'loading' && <p role="status">Loading…</p>}
      {state.status === 'error' && (
        <p className="form__error" role="alert">
          {state.message}
        </p>
      )}
      {state.status === 'ready' &&
        (state.tracks.length === 0 ? (
          <p className="feed-message">Nothing is trending yet: play something!</p>
        ) : (
          <ol className="track-grid trending__list">
            {state.tracks.map((t) => (
              <li key={t.id}>
                <TrackCard track={t} list={state.tracks} />
              </li>
            ))}
          </ol>
        ))}
    </div>
  );
}
