'use client';

/**
 * A track row's waveform (the release page): the player's position while this track plays; a click
 * or the arrow keys seek it, or, while another track plays, start the list from this track at that
 * point. Nothing is drawn for a track without a waveform yet.
 */
import { useCallback } from 'react';
import { Waveform } from '@/components/waveform/Waveform';
import { usePlayer, usePlayerState } from '@/components/player/PlayerProvider';
import type { ListedTrack } from '@/lib/library';
import '@/components/waveform/waveform.css';

export function RowWaveform({ tracks, index }: { tracks: readonly ListedTrack[]; index: number }) {
  const engine = usePlayer();
  const state = usePlayerState();
  const track = tracks[index];
  const id = track?.id ?? '';
  const current = state.queue[state.index]?.id === id;
  const getPosition = useCallback(() => (engine.isCurrent(id) ? engine.position : 0), [engine, id]);
  if (!track?.waveformUrl) return null;
  const duration = current && state.duration > 0 ? state.duration : (track.durationMs ?? 0) / 1000;
  return (
    <div className="tracklist__wave">
      <Waveform
        url={track.waveformUrl}
        duration={duration}
        position={current ? state.currentTime : 0}
        playing={current && state.status === 'playing'}
        getPosition={getPosition}
        onSeek={(fraction) => {
          if (engine.isCurrent(id)) engine.seekFraction(fraction);
          else engine.playList(tracks, index, fraction * duration);
        }}
        label={`Position in ${track.title}`}
      />
    </div>
  );
}
