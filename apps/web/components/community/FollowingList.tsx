'use client';

import Link from 'next/link';
import { api, ok } from '@/lib/api/client';
import { useResource } from '@/lib/hooks/use-resource';
import { routes } from '@/lib/routes';
import { useAccount } from '@/lib/hooks/use-account';

/** The accounts the signed-in user follows (library page). */
export function FollowingList() {
  const user = useAccount();
  const following = useResource(user ? `following:${user.handle}` : null, (signal) =>
    ok(
      api.GET('/api/v1/users/{handle}/following', {
        params: { path: { handle: user!.handle }, query: { limit: 100 } },
        signal,
      }),
    ).then((b) => b.items),
  );
  if (following.status === 'error') return <p role="alert">{following.message}</p>;
  if (following.status !== 'ready') return null;
  if (following.data.length === 0) return <p>You do not follow anyone yet.</p>;
  return (
    <ul data-testid="library-following">
      {following.data.map((u) => (
        <li key={u.handle}>
          <Link href={routes.artist(u.handle)} prefetch={false}>
            {u.displayName}
          </Link>{' '}
          <span style={{ color: 'var(--text-faint)' }}>· {u.followerCount} followers</span>
        </li>
      ))}
    </ul>
  );
}
