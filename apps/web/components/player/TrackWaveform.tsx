'use client';

import { useCallback, useEffect } from 'react';
import type { PlayerTrack, TrackDetail } from '@/lib/player/track';
import { Waveform } from '@/components/waveform/Waveform';
import { CommentMarkers } from '@/components/community/CommentMarkers';
import { usePlayer, usePlayerState } from './PlayerProvider';
import { formatTime } from './time';
import '@/components/waveform/waveform.css';

/**
 * The track page's waveform and clock, tied to the player: it shows the player's position when this track
 * is the one playing, and a click seeks it (or starts this track at that point when another one plays).
 */
export function TrackWaveform({
  track,
  playerTrack,
  startAt,
}: {
  track: TrackDetail;
  playerTrack: PlayerTrack;
  startAt?: number;
}) {
  const engine = usePlayer();
  const state = usePlayerState();
  const current = state.queue[state.index]?.id === track.id;
  // While the version is processed the player's duration is that of the stream published so far:
  // the track's own length places the growing waveform and the moments.
  const known = (track.durationMs ?? 0) / 1000;
  const growing = !track.currentVersionId && known > 0;
  const duration = current && state.duration > 0 && !growing ? state.duration : known;
  const position = current ? state.currentTime : 0;
  const getPosition = useCallback(() => (engine.isCurrent(track.id) ? engine.position : 0), [engine, track.id]);

  // Space on this page plays this track while nothing else is loaded.
  useEffect(() => engine.offer([playerTrack], 0, startAt), [engine, playerTrack, startAt]);

  return (
    <div className="track-wave track-wave--community">
      <Waveform
        url={track.waveformUrl}
        duration={duration}
        position={position}
        playing={current && state.status === 'playing'}
        getPosition={getPosition}
        onSeek={(fraction) => engine.seekFraction(fraction, playerTrack)}
        label={`Position in ${track.title}`}
      />
      <CommentMarkers
        durationMs={duration * 1000}
        positionMs={position * 1000}
        active={current && state.status === 'playing'}
        onSeek={(ms) => engine.seekFraction(duration > 0 ? Math.min(1, ms / 1000 / duration) : 0, playerTrack)}
      />
      <p className="track-wave__times">
        <span data-testid="track-time">{formatTime(position)}</span>
        <span aria-hidden="true"> / </span>
        <span className="visually-hidden"> of </span>
        <span>{formatTime(duration)}</span>
      </p>
    </div>
  );
}
