'use client';

/**
 * The embeddable player of one track (`/embed/track/:id`): artwork, title and artist, play, the
 * waveform (click to seek) with its comment markers (read-only) and a link back to the track page, which opens on this site in a new tab.
 */
import { useMemo } from 'react';
import { api, ok } from '@/lib/api/client';
import { toPlayerTrack, type TrackDetail } from '@/lib/player/track';
import { useResource } from '@/lib/hooks/use-resource';
import { routes } from '@/lib/routes';
import { EmbedFrame } from './EmbedFrame';
import { TrackArtwork } from '@/components/player/Artwork';
import { PlayTrackButton } from '@/components/player/PlayTrackButton';
import { TrackWaveform } from '@/components/player/TrackWaveform';
import { CommentsProvider } from '@/components/community/comments-context';
import './embed.css';

export function EmbedTrack({ id, initial }: { id: string; initial: TrackDetail | null }) {
  const track = useResource(
    `track:${id}`,
    (signal) => ok(api.GET('/api/v1/tracks/{id}', { params: { path: { id } }, signal })).then((b) => b.track),
    { initial },
  );
  return (
    <EmbedFrame resource={track} what="track" playable={(t) => Boolean(t.currentVersionId)}>
      {(t) => <EmbedTrackPlayer track={t} />}
    </EmbedFrame>
  );
}

function EmbedTrackPlayer({ track }: { track: TrackDetail }) {
  const playerTrack = useMemo(() => toPlayerTrack(track), [track]);
  const queue = useMemo(() => [playerTrack], [playerTrack]);
  const href = routes.track(track);
  return (
    <article className="embed" data-testid="embed-track" aria-label={`${track.title} by ${track.artist.displayName}`}>
      <TrackArtwork track={track} className="embed__art" size={146} />
      <div className="embed__main">
        <div className="embed__head">
          <PlayTrackButton tracks={queue} className="play-button" size={22} />
          <div className="embed__titles">
            <p className="embed__title">
              <a href={href} target="_blank" rel="noopener">
                {track.title}
              </a>
            </p>
            <p className="embed__artist">
              <a href={routes.artist(track.artist.handle)} target="_blank" rel="noopener">
                {track.artist.displayName}
              </a>
            </p>
          </div>
        </div>
        {/* The comment markers, read-only: what this caller may see of the track's comments (the API's rule). */}
        <CommentsProvider trackId={track.id} initial={null}>
          <TrackWaveform track={track} playerTrack={playerTrack} />
        </CommentsProvider>
        <a className="embed__back" href={href} target="_blank" rel="noopener">
          Listen on Earshot
        </a>
      </div>
    </article>
  );
}
