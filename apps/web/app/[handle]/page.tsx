import type { Metadata } from 'next';
import { ArtistProfile } from '@/components/artist/ArtistProfile';
import { decodeSegment } from './[slug]/load-track';

type Params = Promise<{ handle: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { handle } = await params;
  return { title: `@${decodeSegment(handle)}` };
}

/** `/<handle>`: an artist's (or listener's) public page. */
export default async function ArtistPage({ params }: { params: Params }) {
  const { handle } = await params;
  return <ArtistProfile handle={decodeSegment(handle)} />;
}
