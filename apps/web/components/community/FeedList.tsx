'use client';

/**
 * `/feed` and `/library` lists: tracks with their artist, "reposted by", counts and like/repost
 * buttons, keyset-paginated ("More").
 */
import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import { apiFetch, ApiError, describeApiError } from '@/lib/api';
import { routes } from '@/lib/routes';
import { formatAge, formatDuration } from '@/lib/tracks';
import { PlayTrackButton } from '@/components/player/PlayTrackButton';
import type { PlayerTrack } from '@/lib/player/track';
import { TrackSocial } from './TrackSocial';
import './community.css';

interface Entry {
  at: string;
  track: {
    id: string;
    title: string;
    slug: string;
    artist: { id: string; handle: string; displayName: string };
    artworkUrl: string | null;
    durationMs: number | null;
    createdAt: string;
    likeCount: number;
    repostCount: number;
    commentCount: number;
    playCount: number;
  };
  repostedBy?: Array<{ handle: string; displayName: string }>;
}

type State =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'error'; message: string }
  | { status: 'ready'; items: Entry[]; nextCursor: string | null };

export function FeedList({ source, empty, testId }: { source: string; empty: React.ReactNode; testId: string }) {
  const [state, setState] = useState<State>({ status: 'loading' });
  const load = useCallback(
    async (cursor: string | null, signal?: AbortSignal) => {
      const sep = source.includes('?') ? '&' : '?';
      return apiFetch<{ items: Entry[]; nextCursor: string | null }>(
        `${source}${sep}limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { signal },
      );
    },
    [source],
  );
  useEffect(() => {
    const controller = new AbortController();
    load(null, controller.signal).then(
      (b) => setState({ status: 'ready', items: b.items, nextCursor: b.nextCursor }),
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setState(
          err instanceof ApiError && err.status === 401
            ? { status: 'signed-out' }
            : { status: 'error', message: describeApiError(err) },
        );
      },
    );
    return () => controller.abort();
  }, [load]);

  if (state.status === 'loading') return <p role="status">Loading…</p>;
  if (state.status === 'signed-out')
    return (
      <p>
        <Link href={routes.login}>Sign in</Link> to see this.
      </p>
    );
  if (state.status === 'error') return <p role="alert">{state.message}</p>;
  if (state.items.length === 0) return <>{empty}</>;
  const queue: PlayerTrack[] = state.items.map(
    (e) =>
      ({
        id: e.track.id,
        title: e.track.title,
        slug: e.track.slug,
        artist: { handle: e.track.artist.handle, displayName: e.track.artist.displayName },
        artworkUrl: e.track.artworkUrl,
        durationMs: e.track.durationMs,
      }) as PlayerTrack,
  );
  const more = async () => {
    if (state.status !== 'ready' || !state.nextCursor) return;
    const b = await load(state.nextCursor);
    setState({ status: 'ready', items: [...state.items, ...b.items], nextCursor: b.nextCursor });
  };
  return (
    <>
      <ol className="feed-list" data-testid={testId}>
        {state.items.map((e, i) => (
          <li key={e.track.id} className="feed-entry" data-testid="feed-entry" data-track-id={e.track.id}>
            {e.repostedBy && e.repostedBy.length > 0 && (
              <p className="feed-entry__reposted" data-testid="reposted-by">
                ⟲ Reposted by {e.repostedBy.map((p) => p.displayName).join(', ')}
              </p>
            )}
            <div style={{ display: 'flex', gap: 12, alignItems: 'center' }}>
              <PlayTrackButton tracks={queue} index={i} className="play-button" />
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
        ))}
      </ol>
      {state.nextCursor && (
        <button type="button" className="button button--ghost" onClick={() => void more()}>
          More
        </button>
      )}
    </>
  );
}
