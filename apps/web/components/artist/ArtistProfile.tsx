'use client';

/**
 * `/<handle>`: the profile header and the user's public tracks (newest first). The header comes with
 * the page's HTML when the server could read the profile (`initial`); otherwise, and for the tracks,
 * the browser fetches `/api/v1/users/:handle` and `/api/v1/users/:handle/tracks`.
 */
import { FollowButton } from '@/components/community/FollowButton';
import Link from 'next/link';
import { TrackGrid } from '@/components/TrackCard';
import { Avatar } from '@/components/account/Avatar';
import { fetchAccount, type PublicUser } from '@/lib/account';
import { api, ok } from '@/lib/api/client';
import { useResource } from '@/lib/hooks/use-resource';
import { routes } from '@/lib/routes';
import { NotFoundPage } from '@/components/NotFoundPage';
import { ReleaseShelf } from '@/components/library/ReleaseShelf';
import { PageSection } from '@/components/PageSection';
import '@/components/account/account.css';

export function ArtistProfile({ handle, initial }: { handle: string; initial: PublicUser | null }) {
  const profile = useResource(
    `user:${handle}`,
    (signal) =>
      ok(api.GET('/api/v1/users/{handle}', { params: { path: { handle } }, signal })).then((body) => body.user),
    { initial, notFound: true },
  );
  const trackList = useResource(
    `user-tracks:${handle}`,
    (signal) =>
      ok(api.GET('/api/v1/users/{handle}/tracks', { params: { path: { handle }, query: { limit: 48 } }, signal })).then(
        (body) => body.tracks,
      ),
    { notFound: true },
  );
  const viewer = useResource('account', fetchAccount);
  const user = profile.status === 'ready' ? profile.data : null;
  const tracks = trackList.status === 'ready' ? trackList.data : null;
  const missing = profile.status === 'not-found' || trackList.status === 'not-found';
  const error = profile.status === 'error' ? profile.message : trackList.status === 'error' ? trackList.message : null;
  const viewerId = viewer.status === 'ready' ? (viewer.data?.id ?? null) : null;

  if (missing) {
    return <NotFoundPage titleId="artist-missing" title={`Nobody here goes by @${handle}`} />;
  }
  const failed = error && (
    <p className="feed-message feed-message--error" role="alert">
      {error}
    </p>
  );
  if (!user)
    return failed ? (
      <div className="container section">{failed}</div>
    ) : (
      <p className="container section" role="status">
        Loading…
      </p>
    );
  const own = viewerId === user.id;
  return (
    <>
      <header className="profile-header">
        <div className="container profile-header__inner">
          <Avatar user={user} size={144} />
          <div className="profile-header__text">
            {user.role !== 'listener' && <p className="eyebrow">{user.role === 'admin' ? 'Admin' : 'Artist'}</p>}
            <h1 className="profile-header__name hero-title" data-testid="profile-name">
              {user.displayName}
            </h1>
            <p className="profile-header__handle">@{user.handle}</p>
            <FollowButton handle={user.handle} />
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
      <ReleaseShelf handle={user.handle} />
      <PageSection id="artist-tracks" title="Tracks" heading="h2">
        {!tracks ? (
          failed || (
            <p className="feed-message" role="status">
              Loading tracks…
            </p>
          )
        ) : tracks.length === 0 ? (
          <div className="feed-message" role="status">
            <p className="feed-message__text">
              {own ? 'You have not published anything yet.' : `${user.displayName} has not published any tracks yet.`}
            </p>
            {own && user.role !== 'listener' && (
              <Link className="button button--ghost" href={routes.upload} prefetch={false}>
                Upload your first track
              </Link>
            )}
          </div>
        ) : (
          <TrackGrid tracks={tracks} />
        )}
      </PageSection>
    </>
  );
}
