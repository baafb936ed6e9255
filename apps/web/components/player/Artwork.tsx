import type { CSSProperties } from 'react';
import { placeholderHues } from '@/lib/tracks';
import './artwork.css';

/**
 * A track's artwork, or the same generated gradient the track cards use (`.track-card__art--placeholder`)
 * when it has none.
 */
export function TrackArtwork({
  track,
  className,
  size,
  decorative = false,
}: {
  track: { id: string; title: string; artworkUrl: string | null; artist: { displayName: string } };
  className: string;
  size: number;
  decorative?: boolean;
}) {
  if (track.artworkUrl) {
    return (
      <img
        className={className}
        src={track.artworkUrl}
        alt={decorative ? '' : `Artwork for ${track.title} by ${track.artist.displayName}`}
        width={size}
        height={size}
        decoding="async"
      />
    );
  }
  const [h1, h2] = placeholderHues(track.id);
  const style = { '--h1': h1, '--h2': h2 } as CSSProperties;
  const initial = Array.from(track.title.trim())[0]?.toUpperCase() ?? '♪';
  return (
    <div
      className={`${className} track-card__art--placeholder`}
      style={style}
      {...(decorative ? { 'aria-hidden': true } : { role: 'img', 'aria-label': `No artwork for ${track.title}` })}
    >
      <span aria-hidden="true">{initial}</span>
    </div>
  );
}
