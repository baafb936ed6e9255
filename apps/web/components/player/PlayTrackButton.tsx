'use client';

import type { PlayerTrack } from '@/lib/player/track';
import { Icon, Spinner } from './icons';
import { usePlayer, usePlayerState } from './PlayerProvider';

/**
 * Plays `tracks[index]` through the player bar (the rest of the list is queued after it), or
 * pauses/resumes it when it is already the current track.
 */
export function PlayTrackButton({
  tracks,
  index = 0,
  className = 'play-button',
  size = 22,
}: {
  tracks: readonly PlayerTrack[];
  index?: number;
  className?: string;
  size?: number;
}) {
  const engine = usePlayer();
  const state = usePlayerState();
  const track = tracks[index];
  if (!track) return null;
  const current = state.queue[state.index]?.id === track.id;
  const active = current && (state.status === 'playing' || state.status === 'loading');
  const loading = current && (state.status === 'loading' || (state.status === 'playing' && state.buffering));
  return (
    <button
      type="button"
      className={className}
      aria-label={`${active ? 'Pause' : 'Play'} ${track.title}`}
      aria-pressed={active}
      data-testid="play-track"
      onClick={() => (current ? engine.toggle() : engine.playList(tracks, index))}
    >
      {loading ? <Spinner size={size} /> : <Icon name={active ? 'pause' : 'play'} size={size} />}
    </button>
  );
}
