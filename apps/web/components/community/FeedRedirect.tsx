'use client';

/** Home for a signed-in user who follows anyone is their feed (docs/architecture.md, "Community"). */
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { api, ok } from '@/lib/api/client';
import { routes } from '@/lib/routes';
import { useAccount } from '@/lib/hooks/use-account';

export function FeedRedirect() {
  const user = useAccount();
  const router = useRouter();
  useEffect(() => {
    if (!user) return;
    const controller = new AbortController();
    ok(
      api.GET('/api/v1/users/{handle}/counts', {
        params: { path: { handle: user.handle } },
        signal: controller.signal,
      }),
    ).then(
      (b) => {
        if (b.user.followingCount > 0) router.replace(routes.feed);
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [user, router]);
  return null;
}
