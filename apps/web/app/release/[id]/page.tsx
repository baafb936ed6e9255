import type { Metadata } from 'next';
import { ReleaseView } from '@/components/library/ReleaseView';
import { serverApiGet } from '@/lib/server-api';
import { shareableMetadata } from '@/lib/metadata';

type Params = Promise<{ id: string }>;

const releaseId = (id: string) => (/^\d{1,18}$/.test(id) ? id : '0');

/**
 * Open Graph and Twitter player-card tags, and oEmbed discovery, so a pasted release link unfurls
 * with its artwork, title and player (docs/architecture.md, "Embeds and sharing"). What the caller
 * may not see gets the bare title (the page then says "not found").
 */
export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const id = releaseId((await params).id);
  const loaded = await serverApiGet(
    (api) => api.GET('/api/v1/releases/{id}', { params: { path: { id } } }),
    (body) => body.release,
  );
  if (loaded.kind !== 'found') return { title: 'Release' };
  const r = loaded.body;
  const count = r.tracks.length;
  return shareableMetadata({
    title: `${r.title} by ${r.artist.displayName}`,
    description:
      r.description.trim() ||
      `Listen to ${r.title}, ${count === 1 ? 'one track' : `${count} tracks`} by ${r.artist.displayName}, on Earshot.`,
    path: `/release/${r.id}`,
    embedPath: `/embed/release/${r.id}`,
    ogType: 'music.album',
    artworkUrl: r.artworkUrl,
    playerHeight: 420,
    listed: r.visibility === 'public' && !r.scheduled,
  });
}

/** `/release/<id>`: an album, EP or single — tracklist, total length, play all. */
export default async function ReleasePage({ params }: { params: Params }) {
  const { id } = await params;
  return <ReleaseView id={releaseId(id)} />;
}
