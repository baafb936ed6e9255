import type { Metadata } from 'next';
import { PlaylistView } from '@/components/library/PlaylistView';

type Params = Promise<{ id: string }>;

export const metadata: Metadata = { title: 'Playlist' };

/** `/playlist/<id>`: a playlist — play all; its owner renames, reorders (buttons or drag) and removes. */
export default async function PlaylistPage({ params }: { params: Params }) {
  const { id } = await params;
  return <PlaylistView id={/^\d{1,18}$/.test(id) ? id : '0'} />;
}
