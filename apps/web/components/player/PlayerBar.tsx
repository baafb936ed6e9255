'use client';

import Link from 'next/link';
import type { CSSProperties } from 'react';
import { routes } from '@/lib/routes';
import { AddToPlaylist } from '@/components/library/AddToPlaylist';
import { TrackArtwork } from './Artwork';
import { Icon, Spinner } from './icons';
import { usePlayer, usePlayerState } from './PlayerProvider';
import { SeekBar } from './SeekBar';
import { formatTime } from './time';
import './player.css';

/** The bar at the bottom of every page once something has been played. */
export function PlayerBar() {
  const engine = usePlayer();
  const state = usePlayerState();
  const track = state.queue[state.index];
  if (!track) return null;

  const playing = state.status === 'playing';
  const loading = state.status === 'loading' || (playing && state.buffering);
  const showPause = playing || state.status === 'loading';
  const href = routes.track(track);
  // A track still being processed streams what is encoded so far: its own length is the total
  // (a seek past the published part stops at its end: engine.seek clamps to the stream).
  const total = Math.max(state.duration, (track.durationMs ?? 0) / 1000);
  const volumeStyle = { '--fill': `${(state.muted ? 0 : state.volume) * 100}%` } as CSSProperties;
  const gain = state.appliedGainDb;

  return (
    <>
      {/* Keeps the end of the page clear of the fixed bar. */}
      <div className="player-spacer" aria-hidden="true" />
      <section className="player-bar" aria-label="Player" data-testid="player-bar">
        <div className="player-bar__inner">
          <div className="player-bar__now">
            <Link href={href} className="player-bar__art-link" tabIndex={-1} aria-hidden="true" prefetch={false}>
              <TrackArtwork track={track} className="player-bar__art" size={48} decorative />
            </Link>
            <div className="player-bar__titles">
              <Link href={href} className="player-bar__title" data-testid="player-title" prefetch={false}>
                {track.title}
              </Link>
              <Link href={routes.artist(track.artist.handle)} className="player-bar__artist" prefetch={false}>
                {track.artist.displayName}
              </Link>
            </div>
            <AddToPlaylist trackId={track.id} trackTitle={track.title} compact placement="up" />
          </div>

          <div className="player-bar__controls">
            <button
              type="button"
              className="icon-button"
              onClick={() => engine.previous()}
              aria-label="Previous"
              title="Previous (shift+←)"
            >
              <Icon name="previous" />
            </button>
            <button
              type="button"
              className="icon-button icon-button--primary"
              onClick={() => engine.toggle()}
              aria-label={showPause ? 'Pause' : 'Play'}
              title={showPause ? 'Pause (space)' : 'Play (space)'}
              data-testid="player-toggle"
              data-state={state.status}
            >
              {loading ? <Spinner size={22} /> : <Icon name={showPause ? 'pause' : 'play'} size={22} />}
            </button>
            <button
              type="button"
              className="icon-button"
              onClick={() => engine.next()}
              disabled={state.index + 1 >= state.queue.length}
              aria-label="Next"
              title="Next (shift+→)"
            >
              <Icon name="next" />
            </button>
          </div>

          <div className="player-bar__timeline">
            <span className="player-bar__time" data-testid="player-time">
              {formatTime(state.currentTime)}
            </span>
            <SeekBar
              value={state.currentTime}
              max={total}
              onSeek={(s) => engine.seek(s)}
              label="Position"
              disabled={!(state.duration > 0)}
            />
            <span className="player-bar__time" data-testid="player-duration">
              {formatTime(total)}
            </span>
          </div>

          <div className="player-bar__extras">
            <button
              type="button"
              className="icon-button icon-button--toggle"
              aria-pressed={state.normalize}
              onClick={() => engine.setNormalize(!state.normalize)}
              title={
                state.normalize
                  ? `Loudness normalisation on${gain != null ? ` (${gain > 0 ? '+' : ''}${gain.toFixed(1)} dB)` : ''}`
                  : 'Loudness normalisation off'
              }
              data-testid="player-normalize"
            >
              <Icon name="loudness" />
              <span className="visually-hidden">Loudness normalisation</span>
            </button>
            <button
              type="button"
              className="icon-button"
              onClick={() => engine.toggleMute()}
              aria-label={state.muted ? 'Unmute' : 'Mute'}
              title={state.muted ? 'Unmute (m)' : 'Mute (m)'}
            >
              <Icon name={state.muted || state.volume === 0 ? 'muted' : 'volume'} />
            </button>
            <input
              className="range player-bar__volume"
              type="range"
              min={0}
              max={1}
              step={0.01}
              value={state.muted ? 0 : state.volume}
              onChange={(e) => engine.setVolume(Number(e.currentTarget.value))}
              aria-label="Volume"
              aria-valuetext={`${Math.round((state.muted ? 0 : state.volume) * 100)}%`}
              style={volumeStyle}
            />
          </div>
        </div>
        {state.error && (
          <p className="player-bar__error" role="alert">
            {state.error}
          </p>
        )}
      </section>
    </>
  );
}
