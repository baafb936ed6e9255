import type { Metadata } from 'next';
import { notFound, permanentRedirect } from 'next/navigation';
import { TrackView } from '@/components/player/TrackView';
import { decodeSegment, serverApiGet } from '@/lib/server-api';
import { shareableMetadata } from '@/lib/metadata';
import { routes } from '@/lib/routes';
import { loadTrack } from './load-track';

type Params = Promise<{ handle: string; slug: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { handle, slug } = await params;
  const loaded = await loadTrack(decodeSegment(handle), decodeSegment(slug));
  if (loaded.kind !== 'found') return { title: 'Track' };
  const t = loaded.body;
  return shareableMetadata({
    title: `${t.title} by ${t.artist.displayName}`,
    description: t.description.trim() || `Listen to ${t.title} by ${t.artist.displayName} on Earshot.`,
    path: routes.track(t),
    embedPath: `/embed/track/${t.id}`,
    ogType: 'music.song',
    artworkUrl: t.artworkUrl,
    playerHeight: 166,
    listed: t.visibility === 'public',
  });
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
