import type { Metadata } from 'next';
import { EmbedRelease } from '@/components/embed/EmbedRelease';
import { toEmbedRelease } from '@/lib/embed';
import { serverApiGet } from '@/lib/server-api';

type Params = Promise<{ id: string }>;

export const metadata: Metadata = { title: 'Player', robots: { index: false, follow: false } };

/** `/embed/release/:id`: the compact release player other sites frame. */
export default async function EmbedReleasePage({ params }: { params: Params }) {
  const { id } = await params;
  const valid = /^[0-9]{1,18}$/.test(id);
  const loaded = valid
    ? await serverApiGet(
        (api) => api.GET('/api/v1/releases/{id}', { params: { path: { id } } }),
        (body) => toEmbedRelease(body.release),
      )
    : { kind: 'not-found' as const };
  return <EmbedRelease id={valid ? id : '0'} initial={loaded.kind === 'found' ? loaded.body : null} />;
}
