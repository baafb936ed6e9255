'use client';

/**
 * `/feed` and `/library` lists: tracks with their artist, "reposted by", counts and like/repost
 * buttons, and (in the feed) releases as one entry each; keyset-paginated ("More").
 */
import Link from 'next/link';
import { useState } from 'react';
import { ApiError, describeApiError } from '@/lib/api';
import { api, ok, type ApiResponse } from '@/lib/api/client';
import { useResource } from '@/lib/hooks/use-resource';
import { routes } from '@/lib/routes';
import { formatAge, formatDuration } from '@/lib/tracks';
import { PlayTrackButton } from '@/components/player/PlayTrackButton';
import { queuedTrack, type PlayerTrack } from '@/lib/player/track';
import { TrackSocial } from './TrackSocial';
import './community.css';

type FeedEntry = ApiResponse<'/api/v1/feed'>['items'][number];
type TrackCard = NonNullable<FeedEntry['track']>;
type ReleaseCard = NonNullable<FeedEntry['release']>;
/** One line of a list: a track (with who reposted it) or a release. */
type Entry = { at: string; track: TrackCard | null; release: ReleaseCard | null; repostedBy: FeedEntry['repostedBy'] };
type ListPage = { items: Entry[]; nextCursor: string | null };

export type FeedSource = 'feed' | 'likes' | 'history';

const PAGE = 20;

function read(source: FeedSource, cursor: string | undefined, signal?: AbortSignal): Promise<ListPage> {
  const query = { limit: PAGE, ...(cursor ? { cursor } : {}) };
  if (source === 'feed') return ok(api.GET('/api/v1/feed', { params: { query }, signal }));
  const list =
    source === 'likes'
      ? ok(api.GET('/api/v1/me/likes', { params: { query }, signal }))
      : ok(api.GET('/api/v1/me/history', { params: { query }, signal }));
  return list.then((b) => ({
    items: b.items.map((i) => ({ at: i.at, track: i.track, release: null, repostedBy: [] })),
    nextCursor: b.nextCursor,
  }));
}

const RELEASE_KIND: Record<string, string> = { album: 'New album', ep: 'New EP', single: 'New single' };

export function FeedList({ source, empty, testId }: { source: FeedSource; empty: React.ReactNode; testId: string }) {
  const list = useResource(`feed-list:${source}`, (signal) => read(source, undefined, signal));
  const [moreError, setMoreError] = useState<string | null>(null);

  if (list.status === 'loading') return <p role="status">Loading…</p>;
  if (list.status === 'error')
    return list.error instanceof ApiError && list.error.status === 401 ? (
      <p>
        <Link href={routes.login}>Sign in</Link> to see this.
      </p>
    ) : (
      <p role="alert">{list.message}</p>
    );
  const { items, nextCursor } = list.data;
  if (items.length === 0) return <>{empty}</>;
  const tracks = items.flatMap((e) => (e.track ? [e.track] : []));
  const queue: PlayerTrack[] = tracks.map(queuedTrack);
  const more = async () => {
    if (!nextCursor) return;
    setMoreError(null);
    try {
      const b = await read(source, nextCursor);
      list.update((d) => ({ items: [...d.items, ...b.items], nextCursor: b.nextCursor }));
    } catch (err) {
      setMoreError(describeApiError(err));
    }
  };
  return (
    <>
      <ol className="feed-list" data-testid={testId}>
        {items.map((e) =>
          e.release ? (
            <ReleaseEntry key={`r${e.release.id}`} at={e.at} release={e.release} />
          ) : e.track ? (
            <li key={e.track.id} className="feed-entry" data-testid="feed-entry" data-track-id={e.track.id}>
              {e.repostedBy.length > 0 && (
                <p className="feed-entry__reposted" data-testid="reposted-by">
                  ⟲ Reposted by {e.repostedBy.map((p) => p.displayName).join(', ')}
                </p>
              )}
              <div style={{ display: 'flex', gap: 12, alignItems: 'center' }}>
                <PlayTrackButton tracks={queue} index={tracks.indexOf(e.track)} className="play-button" />
                <div>
                  <Link className="feed-entry__title" href={routes.track(e.track)} prefetch={false}>
                    {e.track.title}
                  </Link>
                  <p style={{ margin: 0 }}>
                    <Link href={routes.artist(e.track.artist.handle)} prefetch={false}>
                      {e.track.artist.displayName}
                    </Link>{' '}
                    · {formatDuration(e.track.durationMs)} · <time dateTime={e.at}>{formatAge(e.at)}</time>
                  </p>
                </div>
              </div>
              <TrackSocial
                trackId={e.track.id}
                compact
                initial={{
                  id: e.track.id,
                  likeCount: e.track.likeCount,
                  repostCount: e.track.repostCount,
                  commentCount: e.track.commentCount,
                  playCount: e.track.playCount,
                }}
              />
            </li>
          ) : null,
        )}
      </ol>
      {moreError && <p role="alert">{moreError}</p>}
      {nextCursor && (
        <button type="button" className="button button--ghost" onClick={() => void more()}>
          More
        </button>
      )}
    </>
  );
}

function ReleaseEntry({ at, release }: { at: string; release: ReleaseCard }) {
  return (
    <li className="feed-entry feed-entry--release" data-testid="feed-release" data-release-id={release.id}>
      <p className="feed-entry__reposted">{RELEASE_KIND[release.type] ?? 'New release'}</p>
      <div style={{ display: 'flex', gap: 12, alignItems: 'center' }}>
        {release.artworkUrl ? (
          <img className="feed-entry__artwork" src={release.artworkUrl} alt="" width={56} height={56} />
        ) : (
          <span className="feed-entry__artwork" aria-hidden="true" />
        )}
        <div>
          <Link className="feed-entry__title" href={routes.release(release.id)} prefetch={false}>
            {release.title}
          </Link>
          <p style={{ margin: 0 }}>
            <Link href={routes.artist(release.artist.handle)} prefetch={false}>
              {release.artist.displayName}
            </Link>{' '}
            · {release.trackCount} {release.trackCount === 1 ? 'track' : 'tracks'} ·{' '}
            <time dateTime={at}>{formatAge(at)}</time>
          </p>
        </div>
      </div>
    </li>
  );
}
