'use client';

import { useHydrated } from '@/lib/hooks/use-hydrated';
import type { PlayerTrack } from '@/lib/player/track';
import { Icon, Spinner } from './icons';
import { usePlayer, usePlayerSelector } from './PlayerProvider';
import './player.css';

/**
 * Plays `tracks[index]` through the player bar (the rest of the list is queued after it), or
 * pauses/resumes it when it is already the current track.
 */
export function PlayTrackButton({
  tracks,
  index = 0,
  className = 'play-button',
  size = 22,
  startAt,
}: {
  tracks: readonly PlayerTrack[];
  index?: number;
  className?: string;
  size?: number;
  /** Seconds to start from (a shared link's `?t=`). */
  startAt?: number;
}) {
  const engine = usePlayer();
  // Disabled in the server HTML until React has hydrated: a click that comes earlier would be lost.
  const hydrated = useHydrated();
  const track = tracks[index];
  // 'other' | 'playing' | 'loading' | 'paused'… for this track only.
  const mine = usePlayerSelector((s) =>
    track && s.queue[s.index]?.id === track.id
      ? s.buffering && s.status === 'playing'
        ? 'loading'
        : s.status
      : 'other',
  );
  if (!track) return null;
  const current = mine !== 'other';
  const active = mine === 'playing' || mine === 'loading';
  const loading = mine === 'loading';
  return (
    <button
      type="button"
      className={className}
      aria-label={`${active ? 'Pause' : 'Play'} ${track.title}`}
      data-testid="play-track"
      disabled={!hydrated}
      onClick={() => (current ? engine.toggle() : engine.playList(tracks, index, startAt))}
    >
      {loading ? <Spinner size={size} /> : <Icon name={active ? 'pause' : 'play'} size={size} />}
    </button>
  );
}
