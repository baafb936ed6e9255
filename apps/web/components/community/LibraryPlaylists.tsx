'use client';

import Link from 'next/link';
import { api, ok } from '@/lib/api/client';
import { useResource } from '@/lib/hooks/use-resource';
import { routes } from '@/lib/routes';
import { useAccount } from '@/lib/hooks/use-account';

const VISIBILITY: Record<string, string> = { public: 'Public', unlisted: 'Unlisted', private: 'Private' };

/** The signed-in user's playlists, newest first (library page). */
export function LibraryPlaylists() {
  const user = useAccount();
  const playlists = useResource(user ? `my-playlists:${user.id}` : null, (signal) =>
    ok(api.GET('/api/v1/me/playlists', { signal })).then((b) => b.items),
  );
  if (playlists.status === 'error') return <p role="alert">{playlists.message}</p>;
  if (playlists.status !== 'ready') return null;
  if (playlists.data.length === 0) return <p>Playlists you make (“Add to playlist” on a track) show up here.</p>;
  return (
    <ul className="library-playlists" data-testid="library-playlists">
      {playlists.data.map((p) => (
        <li key={p.id} data-testid="library-playlist">
          <Link href={routes.playlist(p.id)} prefetch={false}>
            {p.title}
          </Link>{' '}
          <span style={{ color: 'var(--text-faint)' }}>
            · {p.trackCount} {p.trackCount === 1 ? 'track' : 'tracks'} · {VISIBILITY[p.visibility] ?? p.visibility}
          </span>
        </li>
      ))}
    </ul>
  );
}
