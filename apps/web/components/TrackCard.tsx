import Link from 'next/link';
import type { CSSProperties } from 'react';
import { formatAge, formatDuration, isoDuration, placeholderHues, type TrackSummary } from '@/lib/tracks';
import { routes } from '@/lib/routes';
import { PlayTrackButton } from './player/PlayTrackButton';
import { AddToPlaylist } from './library/AddToPlaylist';
import './track-card.css';

type Counts = 'playCount' | 'likeCount' | 'repostCount' | 'commentCount';
/** A card's track: the counts are shown when the list carries them (the genre and tag lists do not). */
export type CardTrack = Omit<TrackSummary, Counts> & Partial<Pick<TrackSummary, Counts>>;

function Artwork({ track }: { track: CardTrack }) {
  if (track.artworkUrl) {
    return (
      // Artwork comes from our own origin at its stored size; next/image's optimiser is not used.
      <img
        className="track-card__art"
        src={track.artworkUrl}
        alt={`Artwork for ${track.title} by ${track.artist.displayName}`}
        loading="lazy"
        decoding="async"
        width={300}
        height={300}
      />
    );
  }
  const [h1, h2] = placeholderHues(track.id);
  const style = { '--h1': h1, '--h2': h2 } as CSSProperties;
  const initial = Array.from(track.title.trim())[0]?.toUpperCase() ?? '♪';
  return (
    <div
      className="track-card__art track-card__art--placeholder"
      style={style}
      role="img"
      aria-label={`No artwork for ${track.title}`}
    >
      <span aria-hidden="true">{initial}</span>
    </div>
  );
}

/** Tracks as a grid of cards; playing one queues the rest of the grid. */
export function TrackGrid({ tracks }: { tracks: readonly CardTrack[] }) {
  return (
    <ul className="track-grid">
      {tracks.map((track) => (
        <li key={track.id}>
          <TrackCard track={track} list={tracks} />
        </li>
      ))}
    </ul>
  );
}

/**
 * One track in a grid. The title link is stretched over the whole card (see `.track-card__title a::after`),
 * so the card is a single tab stop for the track plus one for the artist (and one for its play button).
 */
export function TrackCard({
  track,
  list,
}: {
  track: CardTrack /** The list the card is in: playing it queues the rest. */;
  list?: readonly CardTrack[];
}) {
  const queue = list?.some((t) => t.id === track.id) ? list : [track];
  return (
    <article className="track-card" data-testid="track-card">
      <div className="track-card__media">
        <Artwork track={track} />
        <PlayTrackButton
          tracks={queue}
          index={queue.findIndex((t) => t.id === track.id)}
          className="play-button track-card__play"
        />
        {track.durationMs != null && (
          <p className="track-card__duration">
            <span className="visually-hidden">Duration: </span>
            <time dateTime={isoDuration(track.durationMs)} data-testid="track-duration">
              {formatDuration(track.durationMs)}
            </time>
          </p>
        )}
      </div>
      <div className="track-card__body">
        <h3 className="track-card__title">
          <Link href={routes.track(track)} prefetch={false}>
            {track.title}
          </Link>
        </h3>
        <p className="track-card__artist">
          <Link href={routes.artist(track.artist.handle)} className="quiet-link" prefetch={false}>
            {track.artist.displayName}
          </Link>
        </p>
        <div className="track-card__actions">
          <AddToPlaylist trackId={track.id} trackTitle={track.title} compact />
        </div>
        <p className="track-card__meta">
          <time dateTime={track.createdAt}>{formatAge(track.createdAt)}</time>
          {track.likeCount !== undefined && (
            <span className="track-card__counts" data-testid="card-counts">
              {' · '}
              {track.playCount ?? 0} plays · {track.likeCount} likes · {track.repostCount ?? 0} reposts ·{' '}
              {track.commentCount ?? 0} comments
            </span>
          )}
        </p>
      </div>
    </article>
  );
}
