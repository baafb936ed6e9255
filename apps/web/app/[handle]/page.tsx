import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ArtistProfile } from '@/components/artist/ArtistProfile';
import { decodeSegment } from '@/lib/server-api';
import { absoluteUrl } from '@/lib/public-url';
import { loadArtist } from './load-artist';

type Params = Promise<{ handle: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const handle = decodeSegment((await params).handle);
  const loaded = await loadArtist(handle);
  if (loaded.kind !== 'found') return { title: `@${handle}` };
  const { displayName, bio } = loaded.body;
  const title = `${displayName || handle} (@${handle})`;
  const description = (bio.trim() || `${displayName || handle} on Earshot.`).slice(0, 300);
  const avatar = (loaded.body as { avatarUrl?: string | null }).avatarUrl;
  const images = avatar ? [{ url: absoluteUrl(avatar) }] : undefined;
  return {
    title,
    description,
    openGraph: {
      type: 'profile',
      title,
      description,
      url: absoluteUrl(`/${encodeURIComponent(handle)}`),
      siteName: 'Earshot',
      images,
    },
    twitter: { card: 'summary', title, description: description.slice(0, 200), images },
  };
}

/** `/<handle>`: an artist's (or listener's) public page; 404 when nobody has the handle. */
export default async function ArtistPage({ params }: { params: Params }) {
  const handle = decodeSegment((await params).handle);
  const loaded = await loadArtist(handle);
  if (loaded.kind === 'not-found') notFound();
  return <ArtistProfile handle={handle} initial={loaded.kind === 'found' ? loaded.body : null} />;
}
