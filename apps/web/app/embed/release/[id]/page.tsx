import { EmbedRelease } from '@/components/embed/EmbedRelease';
import { toEmbedRelease } from '@/lib/embed';
import { type EmbedParams, embedMetadata, loadEmbed } from '@/lib/embed-page';
import { serverApiGet } from '@/lib/server-api';

export const metadata = embedMetadata;

/** `/embed/release/:id`: the compact release player other sites frame. */
export default async function EmbedReleasePage({ params }: { params: EmbedParams }) {
  const { id, initial } = await loadEmbed(params, (id) =>
    serverApiGet(
      (api) => api.GET('/api/v1/releases/{id}', { params: { path: { id } } }),
      (body) => toEmbedRelease(body.release),
    ),
  );
  return <EmbedRelease id={id} initial={initial} />;
}
