import type { Metadata } from 'next';
import { ReleaseView } from '@/components/library/ReleaseView';

type Params = Promise<{ id: string }>;

export const metadata: Metadata = { title: 'Release' };

/** `/release/<id>`: an album, EP or single — tracklist, total length, play all. */
export default async function ReleasePage({ params }: { params: Params }) {
  const { id } = await params;
  return <ReleaseView id={/^\d{1,18}$/.test(id) ? id : '0'} />;
}
