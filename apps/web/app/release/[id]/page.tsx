import type { Metadata } from 'next';
import { ReleaseView } from '@/components/library/ReleaseView';
import { serverApiGet } from '@/lib/server-api';
import { absoluteUrl } from '@/lib/public-url';

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
  const title = `${r.title} by ${r.artist.displayName}`;
  const count = r.tracks.length;
  const description = (
    r.description.trim() ||
    `Listen to ${r.title}, ${count === 1 ? 'one track' : `${count} tracks`} by ${r.artist.displayName}, on Earshot.`
  ).slice(0, 300);
  const page = absoluteUrl(`/release/${r.id}`);
  const player = absoluteUrl(`/embed/release/${r.id}`);
  const images = r.artworkUrl ? [{ url: absoluteUrl(r.artworkUrl) }] : undefined;
  return {
    title,
    description,
    openGraph: { type: 'music.album', title, description, url: page, siteName: 'Earshot', images },
    twitter: {
      card: 'player',
      title,
      description: description.slice(0, 200),
      images,
      players: [{ playerUrl: player, streamUrl: player, width: 600, height: 420 }],
    },
    alternates: {
      canonical: page,
      types: { 'application/json+oembed': absoluteUrl(`/api/oembed?format=json&url=${encodeURIComponent(page)}`) },
    },
    robots: r.visibility === 'public' && !r.scheduled ? undefined : { index: false, follow: false },
  };
}

/** `/release/<id>`: an album, EP or single — tracklist, total length, play all. */
export default async function ReleasePage({ params }: { params: Params }) {
  const { id } = await params;
  return <ReleaseView id={releaseId(id)} />;
}
