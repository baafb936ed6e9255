import { EmbedTrack } from '@/components/embed/EmbedTrack';
import { type EmbedParams, embedMetadata, loadEmbed } from '@/lib/embed-page';
import { serverApiGet } from '@/lib/server-api';

export const metadata = embedMetadata;

/** `/embed/track/:id`: the compact player other sites frame (the only pages besides /embed/release/ that may be framed). */
export default async function EmbedTrackPage({ params }: { params: EmbedParams }) {
  const { id, initial } = await loadEmbed(params, (id) =>
    serverApiGet(
      (api) => api.GET('/api/v1/tracks/{id}', { params: { path: { id } } }),
      (b) => b.track,
    ),
  );
  return <EmbedTrack id={id} initial={initial} />;
}
