import type { Metadata } from 'next';
import { absoluteUrl } from '@/lib/public-url';

/**
 * A page's metadata when it is one person's own (their library, settings, a sign-in form): titled,
 * with a description when it has one, never indexed.
 */
export const unindexed = (title: string, description?: string): Metadata => ({
  title,
  ...(description ? { description } : {}),
  robots: { index: false },
});

/**
 * The metadata of a page people share (a track, a release): Open Graph and a Twitter player card
 * with its artwork and the embed player at `embedPath`, and oEmbed discovery, so a pasted link
 * unfurls as a player where the site supports it (docs/architecture.md, "Embeds and sharing").
 * Search engines index it only when `listed`.
 */
export function shareableMetadata(page: {
  title: string;
  description: string;
  path: string;
  embedPath: string;
  ogType: 'music.song' | 'music.album';
  artworkUrl: string | null;
  playerHeight: number;
  listed: boolean;
}): Metadata {
  const { title } = page;
  const description = page.description.slice(0, 300);
  const url = absoluteUrl(page.path);
  const player = absoluteUrl(page.embedPath);
  const images = page.artworkUrl ? [{ url: absoluteUrl(page.artworkUrl) }] : undefined;
  return {
    title,
    description,
    openGraph: { type: page.ogType, title, description, url, siteName: 'Earshot', images },
    twitter: {
      card: 'player',
      title,
      description: description.slice(0, 200),
      images,
      players: [{ playerUrl: player, streamUrl: player, width: 600, height: page.playerHeight }],
    },
    alternates: {
      canonical: url,
      types: { 'application/json+oembed': absoluteUrl(`/api/oembed?format=json&url=${encodeURIComponent(url)}`) },
    },
    robots: page.listed ? undefined : { index: false, follow: false },
  };
}
