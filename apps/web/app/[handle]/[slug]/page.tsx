import type { Metadata } from 'next';
import { notFound, permanentRedirect } from 'next/navigation';
import { TrackView } from '@/components/player/TrackView';
import { decodeSegment, serverApiGet } from '@/lib/server-api';
import { absoluteUrl } from '@/lib/public-url';
import { routes } from '@/lib/routes';
import { loadTrack } from './load-track';

type Params = Promise<{ handle: string; slug: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { handle, slug } = await params;
  const loaded = await loadTrack(decodeSegment(handle), decodeSegment(slug));
  if (loaded.kind !== 'found') return { title: 'Track' };
  const t = loaded.body;
  const title = `${t.title} by ${t.artist.displayName}`;
  const description = t.description.trim() || `Listen to ${t.title} by ${t.artist.displayName} on Earshot.`;
  const page = absoluteUrl(routes.track(t));
  const player = absoluteUrl(`/embed/track/${t.id}`);
  const images = t.artworkUrl ? [{ url: absoluteUrl(t.artworkUrl) }] : undefined;
  return {
    title,
    description: description.slice(0, 300),
    openGraph: {
      type: 'music.song',
      title,
      description: description.slice(0, 300),
      url: page,
      siteName: 'Earshot',
      images,
    },
    // A pasted link unfurls as a player where the site supports it (docs/architecture.md, "Embeds and sharing").
    twitter: {
      card: 'player',
      title,
      description: description.slice(0, 200),
      images,
      players: [{ playerUrl: player, streamUrl: player, width: 600, height: 166 }],
    },
    // oEmbed discovery.
    alternates: {
      canonical: page,
      types: { 'application/json+oembed': absoluteUrl(`/api/oembed?format=json&url=${encodeURIComponent(page)}`) },
    },
    robots: t.visibility === 'public' ? undefined : { index: false, follow: false },
  };
}

/** `/<handle>/<slug>`: one track, its waveform, and play. */
export default async function TrackPage({ params }: { params: Params }) {
  const { handle, slug } = await params;
  const h = decodeSegment(handle);
  const s = decodeSegment(slug);
  const loaded = await loadTrack(h, s);
  if (loaded.kind === 'not-found') notFound();
  // An old slug (the track was renamed) still finds the track: send the visitor to its address now.
  if (loaded.kind === 'found' && loaded.body.slug !== s.toLowerCase())
    permanentRedirect(`/${encodeURIComponent(h)}/${encodeURIComponent(loaded.body.slug)}`);
  // The comments are in the first HTML too (rendered escaped, links with rel="nofollow ugc noopener").
  const comments =
    loaded.kind === 'found'
      ? await serverApiGet(
          (api) =>
            api.GET('/api/v1/tracks/{id}/comments', {
              params: { path: { id: loaded.body.id }, query: { limit: 100, order: 'position' } },
            }),
          (page) => page,
        )
      : null;
  return (
    <TrackView
      handle={h}
      slug={s}
      initial={loaded.kind === 'found' ? loaded.body : null}
      initialComments={comments?.kind === 'found' ? comments.body : null}
    />
  );
}
