'use client';

/** An artist's releases (above their tracks on the artist page): cover, title, type and year. */
import Link from 'next/link';
import { api, ok } from '@/lib/api/client';
import { useResource } from '@/lib/hooks/use-resource';
import { PageSection } from '@/components/PageSection';
import './library.css';

export function ReleaseShelf({ handle }: { handle: string }) {
  const shelf = useResource(`releases:${handle}`, (signal) =>
    ok(api.GET('/api/v1/users/{handle}/releases', { params: { path: { handle } }, signal })).then((r) => r.items),
  );
  // The shelf is an extra above the tracks: nothing is shown while it loads, or when it fails.
  const items = shelf.status === 'ready' ? shelf.data : null;
  if (!items || items.length === 0) return null;
  return (
    <PageSection id="artist-releases" title="Releases" heading="h2">
      <ul className="release-shelf">
        {items.map((r) => (
          <li key={r.id} className="release-shelf__item" data-testid="release-card">
            {r.artworkUrl ? (
              <img
                src={r.artworkUrl.replace(/-1000\.webp$/, '-300.webp')}
                alt=""
                width={160}
                height={160}
                className="release-shelf__art"
                loading="lazy"
              />
            ) : (
              <div className="release-shelf__art" aria-hidden="true" />
            )}
            <Link href={`/release/${r.id}`} prefetch={false}>
              {r.title}
            </Link>
            <span className="tracklist__artist">
              {r.type === 'ep' ? 'EP' : r.type === 'single' ? 'Single' : 'Album'}
              {r.releaseDate ? ` · ${r.releaseDate.slice(0, 4)}` : ''} · {r.trackCount} track
              {r.trackCount === 1 ? '' : 's'}
            </span>
          </li>
        ))}
      </ul>
    </PageSection>
  );
}
