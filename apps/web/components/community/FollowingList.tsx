'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { apiFetch } from '@/lib/api';
import { routes } from '@/lib/routes';
import { useAccount } from './use-account';

/** The accounts the signed-in user follows (library page). */
export function FollowingList() {
  const user = useAccount();
  const [items, setItems] = useState<Array<{ handle: string; displayName: string; followerCount: number }> | null>(
    null,
  );
  useEffect(() => {
    if (!user) return;
    const controller = new AbortController();
    apiFetch<{ items: Array<{ handle: string; displayName: string; followerCount: number }> }>(
      `/api/v1/users/${encodeURIComponent(user.handle)}/following?limit=100`,
      { signal: controller.signal },
    ).then(
      (b) => setItems(b.items),
      () => setItems([]),
    );
    return () => controller.abort();
  }, [user]);
  if (!items) return null;
  if (items.length === 0) return <p>You do not follow anyone yet.</p>;
  return (
    <ul data-testid="library-following">
      {items.map((u) => (
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
