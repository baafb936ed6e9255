import type { Metadata } from 'next';
import { EmbedTrack } from '@/components/embed/EmbedTrack';
import { serverApiGet } from '@/lib/server-api';

type Params = Promise<{ id: string }>;

/** Embeds are not pages of their own in search results. */
export const metadata: Metadata = { title: 'Player', robots: { index: false, follow: false } };

/** `/embed/track/:id`: the compact player other sites frame (the only pages besides /embed/release/ that may be framed). */
export default async function EmbedTrackPage({ params }: { params: Params }) {
  const { id } = await params;
  const valid = /^[0-9]{1,18}$/.test(id);
  const loaded = valid
    ? await serverApiGet(
        (api) => api.GET('/api/v1/tracks/{id}', { params: { path: { id } } }),
        (b) => b.track,
      )
    : { kind: 'not-found' as const };
  return <EmbedTrack id={valid ? id : '0'} initial={loaded.kind === 'found' ? loaded.body : null} />;
}
