'use client';

/**
 * `/<handle>`: the profile header and the user's public tracks (newest first), both fetched in the
 * browser from `/api/v1/users/:handle` and `/api/v1/users/:handle/tracks`.
 */
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { TrackCard } from '@/components/TrackCard';
import { Avatar } from '@/components/account/Avatar';
import { apiFetch, ApiError, describeApiError } from '@/lib/api';
import { fetchAccount, type PublicUser } from '@/lib/account';
import { parseTrackPage, type TrackSummary } from '@/lib/tracks';
import { routes } from '@/lib/routes';
import '@/components/account/account.css';

type State =
  | { status: 'loading' }
  | { status: 'not-found' }
  | { status: 'error'; message: string }
  | { status: 'ready'; user: PublicUser; tracks: TrackSummary[]; own: boolean };

export function ArtistProfile({ handle }: { handle: string }) {
  const [state, setState] = useState<State>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    const h = encodeURIComponent(handle);
    Promise.all([
      apiFetch<{ user: PublicUser }>(`/api/v1/users/${h}`, { signal: controller.signal }),
      apiFetch<unknown>(`/api/v1/users/${h}/tracks?limit=48`, { signal: controller.signal }),
      fetchAccount(controller.signal).catch(() => null),
    ]).then(
      ([profile, tracks, me]) => setState({ status: 'ready', user: profile.user, tracks: parseTrackPage(tracks).tracks, own: me?.id === profile.user.id }),
      (err: unknown) => {
        if (controller.signal.aborted) return;
        if (err instanceof ApiError && (err.status === 404 || err.status === 400)) setState({ status: 'not-found' });
        else setState({ status: 'error', message: describeApiError(err) });
      },
    );
    return () => controller.abort();
  }, [handle]);

  if (state.status === 'loading') return <p className="container section" role="status">Loading…</p>;
  if (state.status === 'not-found') {
    return (
      <section className="status-page container" aria-labelledby="artist-missing">
        <p className="status-page__code">404</p>
        <h1 id="artist-missing" className="status-page__title">
          Nobody here goes by @{handle}
        </h1>
        <Link className="button button--accent" href={routes.home}>
          Back to the home page
        </Link>
      </section>
    );
  }
  if (state.status === 'error') {
    return (
      <div className="container section">
        <p className="feed-message feed-message--error" role="alert">
          {state.message}
        </p>
      </div>
    );
  }
  const { user, tracks, own } = state;
  return (
    <>
      <header className="profile-header">
        <div className="container profile-header__inner">
          <Avatar user={user} size={144} />
          <div className="profile-header__text">
            {user.role !== 'listener' && <p className="eyebrow">{user.role === 'admin' ? 'Admin' : 'Artist'}</p>}
            <h1 className="profile-header__name" data-testid="profile-name">
              {user.displayName}
            </h1>
            <p className="profile-header__handle">@{user.handle}</p>
            {user.bio && (
              <p className="profile-header__bio" data-testid="profile-bio">
                {user.bio}
              </p>
            )}
            {own && (
              <Link className="button button--ghost button--small" href={routes.settings} prefetch={false}>
                Edit profile
              </Link>
            )}
          </div>
        </div>
      </header>
      <section className="section container" aria-labelledby="artist-tracks">
        <div className="section__head">
          <h2 id="artist-tracks" className="section__title">
            Tracks
          </h2>
        </div>
        {tracks.length === 0 ? (
          <div className="feed-message" role="status">
            <p className="feed-message__text">{own ? 'You have not published anything yet.' : `${user.displayName} has not published any tracks yet.`}</p>
            {own && user.role !== 'listener' && (
              <Link className="button button--ghost" href={routes.upload} prefetch={false}>
                Upload your first track
              </Link>
            )}
          </div>
        ) : (
          <ul className="track-grid">
            {tracks.map((track) => (
              <li key={track.id}>
                <TrackCard track={track} list={tracks} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
