'use client';

/** One track's insights (`/stats/<track id>`): where listeners stop over the waveform, then the daily figures. */
import Link from 'next/link';
import { useState } from 'react';
import { daysBefore, statsApi, todayUtc, type TrackStats } from '@/lib/insights';
import { routes } from '@/lib/routes';
import { RangePicker } from './RangePicker';
import { ReachOverWaveform } from './ReachOverWaveform';
import { SeriesView } from './SeriesView';
import { useStats } from './useStats';
import './insights.css';

export function TrackInsights({ trackId }: { trackId: string }) {
  const [range, setRange] = useState(() => ({ from: daysBefore(todayUtc(), 29), to: todayUtc() }));
  const state = useStats<TrackStats>(statsApi.track(trackId, range.from, range.to));
  if (state.status === 'error') {
    const message =
      state.code === 401
        ? 'Sign in to see the insights of your tracks.'
        : state.code === 403 || state.code === 404
          ? 'No track of yours has this id.'
          : state.message;
    return (
      <p className="form__error" role="alert">
        {message}{' '}
        {state.code === 401 && <Link href={`${routes.login}?next=/stats/${encodeURIComponent(trackId)}`}>Sign in</Link>}
      </p>
    );
  }
  return (
    <div className="insights" aria-busy={state.status === 'loading'}>
      {state.status === 'loading' && <p role="status">Loading figures…</p>}
      {state.status === 'ready' && (
        <>
          <h1 className="section__title">
            <Link
              href={routes.track({
                id: state.body.track.id,
                slug: state.body.track.slug,
                artist: { handle: state.body.track.ownerHandle },
              })}
              prefetch={false}
            >
              {state.body.track.title}
            </Link>
          </h1>
          <div className="insights__controls">
            <RangePicker from={range.from} to={range.to} onChange={setRange} />
            <Link href="/stats" prefetch={false}>
              All your tracks
            </Link>
          </div>
          <ReachOverWaveform
            trackId={trackId}
            curve={state.body.reach.curve}
            plays={state.body.reach.plays}
            durationMs={state.body.track.durationMs}
            commentPositionsMs={state.body.commentPositionsMs}
          />
          <SeriesView stats={state.body} name={`track-${trackId}`} />
        </>
      )}
    </div>
  );
}
