'use client';

/**
 * The artist's insights (`/stats`): daily plays, listeners, likes, reposts, comments, downloads
 * and sales over a range of days, top tracks (each with its own page), CSV export. Admins can
 * switch to the platform-wide view.
 */
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { fetchAccount, type AccountUser } from '@/lib/account';
import { daysBefore, statsApi, todayUtc, type ArtistStats } from '@/lib/insights';
import { routes } from '@/lib/routes';
import { RangePicker } from './RangePicker';
import { SeriesView } from './SeriesView';
import { useStats } from './useStats';
import { OptionButtons } from './OptionButtons';
import './insights.css';

export function InsightsDashboard() {
  const [user, setUser] = useState<AccountUser | null | undefined>(undefined);
  const [range, setRange] = useState(() => ({ from: daysBefore(todayUtc(), 29), to: todayUtc() }));
  const [scope, setScope] = useState<'artist' | 'platform'>('artist');
  useEffect(() => {
    const controller = new AbortController();
    fetchAccount(controller.signal).then(setUser, () => setUser(null));
    return () => controller.abort();
  }, []);
  const allowed = user && (user.role === 'artist' || user.role === 'admin');
  const url = allowed
    ? scope === 'platform'
      ? statsApi.platform(range.from, range.to)
      : statsApi.me(range.from, range.to)
    : null;
  const state = useStats<ArtistStats>(url);

  if (user === undefined) return <p role="status">Loading…</p>;
  if (user === null)
    return (
      <p className="feed-message">
        <Link href={`${routes.login}?next=/stats`}>Sign in</Link> to see your insights.
      </p>
    );
  if (!allowed) return <p className="feed-message">Insights are for artists: upload a track to become one.</p>;

  return (
    <div className="insights" aria-busy={state.status === 'loading'}>
      <div className="insights__controls">
        <RangePicker from={range.from} to={range.to} onChange={setRange} />
        {user.role === 'admin' && (
          <OptionButtons
            label="Whose figures"
            value={scope}
            options={{ artist: 'Mine', platform: 'Whole platform' }}
            onChange={setScope}
          />
        )}
      </div>
      {state.status === 'loading' && <p role="status">Loading figures…</p>}
      {state.status === 'error' && (
        <p className="form__error" role="alert">
          {state.message}
        </p>
      )}
      {state.status === 'ready' && (
        <>
          <SeriesView stats={state.body} name={scope === 'platform' ? 'platform' : `${user.handle}-stats`} />
          <section className="insights-top" aria-labelledby="top-tracks-title">
            <h2 id="top-tracks-title" className="section__title">
              Top tracks
            </h2>
            {state.body.topTracks.length === 0 ? (
              <p className="feed-message">No plays in these days yet.</p>
            ) : (
              <ol className="insights-top__list">
                {state.body.topTracks.map((t) => (
                  <li key={t.id}>
                    <Link href={`/stats/${encodeURIComponent(t.id)}`} prefetch={false}>
                      {t.title}
                    </Link>
                    <span className="insights-top__figures">
                      {t.plays.toLocaleString('en-GB')} plays · {t.listeners.toLocaleString('en-GB')} listeners ·{' '}
                      {t.likes.toLocaleString('en-GB')} likes
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </>
      )}
    </div>
  );
}
