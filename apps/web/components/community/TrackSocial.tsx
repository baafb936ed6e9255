'use client';

/**
 * Like and repost buttons with the track's counts (plays, likes, reposts, comments). Optimistic:
 * the button and count change at once, then take the server's counts (or go back, with a message).
 */
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { describeApiError } from '@/lib/api';
import { api, ok } from '@/lib/api/client';
import { routes } from '@/lib/routes';
import type { TrackCounts } from './types';
import { useAccount } from '@/lib/hooks/use-account';
import './community.css';

export function TrackSocial({
  trackId,
  initial,
  compact = false,
  canRepost = true,
}: {
  trackId: string;
  initial?: TrackCounts | null;
  compact?: boolean;
  /** False while the track is playable but still processed: a repost (it fills feeds) waits for ready. */
  canRepost?: boolean;
}) {
  const [counts, setCounts] = useState<TrackCounts | null>(initial ?? null);
  const [error, setError] = useState<string | null>(null);
  const user = useAccount();
  const router = useRouter();

  useEffect(() => {
    const controller = new AbortController();
    ok(api.GET('/api/v1/tracks/{id}/counts', { params: { path: { id: trackId } }, signal: controller.signal })).then(
      (b) => setCounts(b.track),
      () => undefined,
    );
    return () => controller.abort();
  }, [trackId, user?.id]);

  const toggle = async (kind: 'like' | 'repost') => {
    if (!user) {
      router.push(routes.loginThen(window.location.pathname));
      return;
    }
    if (!counts) return;
    const flag = kind === 'like' ? 'liked' : 'reposted';
    const field = kind === 'like' ? 'likeCount' : 'repostCount';
    const on = !counts[flag];
    const before = counts;
    setError(null);
    setCounts({ ...counts, [flag]: on, [field]: Math.max(0, counts[field] + (on ? 1 : -1)) });
    try {
      const options = { params: { path: { id: trackId } } };
      // Undoing what was not done answers 204 (no body): the optimistic counts stand.
      const res: { track: TrackCounts } | undefined = await ok(
        kind === 'like'
          ? on
            ? api.PUT('/api/v1/tracks/{id}/like', options)
            : api.DELETE('/api/v1/tracks/{id}/like', options)
          : on
            ? api.PUT('/api/v1/tracks/{id}/repost', options)
            : api.DELETE('/api/v1/tracks/{id}/repost', options),
      );
      if (res?.track) setCounts(res.track);
    } catch (err) {
      setCounts(before);
      setError(describeApiError(err));
    }
  };

  const c = counts ?? { id: trackId, likeCount: 0, repostCount: 0, commentCount: 0, playCount: 0 };
  return (
    <div className={`track-social${compact ? ' track-social--compact' : ''}`} data-testid="track-social">
      <SocialToggle kind="like" counts={c} disabled={!counts} onToggle={toggle} />
      <SocialToggle
        kind="repost"
        counts={c}
        disabled={!counts || !canRepost}
        title={canRepost ? undefined : 'You can repost it once it is processed'}
        onToggle={toggle}
      />
      <span className="track-social__stat" data-testid="play-count">
        <span aria-hidden="true">▶</span> {c.playCount} <span className="visually-hidden">plays</span>
      </span>
      <span className="track-social__stat" data-testid="comment-count">
        <svg
          aria-hidden="true"
          width="13"
          height="13"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2.2"
          strokeLinejoin="round"
        >
          <path d="M21 12a8 8 0 0 1-11.6 7.1L3 21l1.9-6.4A8 8 0 1 1 21 12z" />
        </svg>{' '}
        {c.commentCount} <span className="visually-hidden">comments</span>
      </span>
      {error && (
        <span className="track-social__error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

const SOCIAL = {
  like: { icon: '♥', off: 'Like', on: 'Liked', done: 'liked', count: 'likeCount' },
  repost: { icon: '⟲', off: 'Repost', on: 'Reposted', done: 'reposted', count: 'repostCount' },
} as const;

/** The like or repost button: pressed when the viewer did it, with how many did. */
function SocialToggle({
  kind,
  counts,
  disabled,
  title,
  onToggle,
}: {
  kind: keyof typeof SOCIAL;
  counts: TrackCounts;
  disabled: boolean;
  /** Why it is disabled, when it is not obvious. */
  title?: string;
  onToggle(kind: keyof typeof SOCIAL): Promise<void>;
}) {
  const { icon, off, on, done, count } = SOCIAL[kind];
  const pressed = !!counts[done];
  return (
    <button
      type="button"
      className={`social-button${pressed ? ' social-button--on' : ''}`}
      aria-pressed={pressed}
      disabled={disabled}
      title={title}
      onClick={() => void onToggle(kind)}
      data-testid={`${kind}-button`}
    >
      <span aria-hidden="true">{icon}</span> {pressed ? on : off}{' '}
      <span className="social-button__count" data-testid={`${kind}-count`}>
        {counts[count]}
      </span>
    </button>
  );
}
