'use client';

/** Follow / unfollow an account, with its follower and following counts; optimistic like the like button. */
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { describeApiError } from '@/lib/api';
import { api, ok } from '@/lib/api/client';
import { routes } from '@/lib/routes';
import type { UserCounts } from './types';
import { useAccount } from '@/lib/hooks/use-account';
import './community.css';

export function FollowButton({ handle }: { handle: string }) {
  const [counts, setCounts] = useState<UserCounts | null>(null);
  const [error, setError] = useState<string | null>(null);
  const user = useAccount();
  const router = useRouter();

  useEffect(() => {
    const controller = new AbortController();
    ok(api.GET('/api/v1/users/{handle}/counts', { params: { path: { handle } }, signal: controller.signal })).then(
      (b) => setCounts(b.user),
      () => undefined,
    );
    return () => controller.abort();
  }, [handle, user?.id]);

  const self = !!user && user.handle === handle.toLowerCase();
  const toggle = async () => {
    if (!user) {
      router.push(routes.loginThen(window.location.pathname));
      return;
    }
    if (!counts) return;
    const on = !counts.following;
    const before = counts;
    setError(null);
    setCounts({ ...counts, following: on, followerCount: Math.max(0, counts.followerCount + (on ? 1 : -1)) });
    try {
      const options = { params: { path: { handle } } };
      // Unfollowing whom one does not follow answers 204 (no body): the optimistic counts stand.
      const res: { user: UserCounts } | undefined = await ok(
        on ? api.PUT('/api/v1/users/{handle}/follow', options) : api.DELETE('/api/v1/users/{handle}/follow', options),
      );
      if (res?.user) setCounts(res.user);
    } catch (err) {
      setCounts(before);
      setError(describeApiError(err));
    }
  };

  return (
    <div className="follow" data-testid="follow">
      {counts && (
        <p className="follow__counts">
          <span data-testid="follower-count">{counts.followerCount}</span>{' '}
          {counts.followerCount === 1 ? 'follower' : 'followers'} ·{' '}
          <span data-testid="following-count">{counts.followingCount}</span> following
        </p>
      )}
      {!self && (
        <button
          type="button"
          className={`button button--small ${counts?.following ? 'button--ghost' : 'button--accent'}`}
          aria-pressed={!!counts?.following}
          disabled={!counts}
          onClick={() => void toggle()}
          data-testid="follow-button"
        >
          {counts?.following ? 'Following' : 'Follow'}
        </button>
      )}
      {error && <span role="alert">{error}</span>}
    </div>
  );
}
