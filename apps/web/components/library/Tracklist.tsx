'use client';

/**
 * An ordered list of tracks (a release's, a playlist's): number, title, artist, length, and a play
 * button that queues the whole list from that track. With `onMove`/`onRemove` (the owner), each
 * row gets "Move up", "Move down" and "Remove" buttons (keyboard and screen readers) and can be
 * dragged to a new place. With `waveforms` (the release page) each row shows its waveform.
 */
import Link from 'next/link';
import { useState } from 'react';
import { PlayTrackButton } from '@/components/player/PlayTrackButton';
import { usePlayer } from '@/components/player/PlayerProvider';
import { RowWaveform } from './RowWaveform';
import { formatDuration } from '@/lib/tracks';
import { routes } from '@/lib/routes';
import type { ListedTrack } from '@/lib/library';
import './library.css';

export function Tracklist({
  tracks,
  label,
  onMove,
  onRemove,
  waveforms = false,
}: {
  tracks: readonly ListedTrack[];
  label: string;
  /** Each row shows its track's waveform (click or arrow keys to play from there). */
  waveforms?: boolean;
  onMove?: (from: number, to: number) => void;
  onRemove?: (index: number) => void;
}) {
  const [dragging, setDragging] = useState<number | null>(null);
  return (
    <ol className="tracklist" aria-label={label}>
      {tracks.map((t, i) => (
        <li
          key={t.id}
          className={`tracklist__row${dragging === i ? ' tracklist__row--dragging' : ''}`}
          data-testid="tracklist-row"
          draggable={!!onMove}
          onDragStart={(e) => {
            setDragging(i);
            e.dataTransfer.effectAllowed = 'move';
            e.dataTransfer.setData('text/plain', String(i));
          }}
          onDragOver={(e) => onMove && e.preventDefault()}
          onDrop={(e) => {
            e.preventDefault();
            const from = Number(e.dataTransfer.getData('text/plain'));
            if (onMove && Number.isInteger(from) && from !== i) onMove(from, i);
            setDragging(null);
          }}
          onDragEnd={() => setDragging(null)}
        >
          <span className="tracklist__n" aria-hidden="true">
            {i + 1}
          </span>
          <PlayTrackButton tracks={tracks} index={i} className="play-button tracklist__play" size={16} />
          <span className="tracklist__title">
            <Link href={routes.track(t)} prefetch={false}>
              {t.title}
            </Link>
            <span className="tracklist__artist"> · {t.artist.displayName}</span>
          </span>
          <span className="tracklist__time">{formatDuration(t.durationMs)}</span>
          {onMove && (
            <span className="tracklist__tools">
              <button
                type="button"
                className="button button--ghost button--small"
                aria-label={`Move ${t.title} up`}
                disabled={i === 0}
                onClick={() => onMove(i, i - 1)}
              >
                ↑
              </button>
              <button
                type="button"
                className="button button--ghost button--small"
                aria-label={`Move ${t.title} down`}
                disabled={i === tracks.length - 1}
                onClick={() => onMove(i, i + 1)}
              >
                ↓
              </button>
              {onRemove && (
                <button
                  type="button"
                  className="button button--ghost button--small"
                  aria-label={`Remove ${t.title}`}
                  onClick={() => onRemove(i)}
                >
                  ✕
                </button>
              )}
            </span>
          )}
          {waveforms && <RowWaveform tracks={tracks} index={i} />}
        </li>
      ))}
    </ol>
  );
}

export function totalLength(tracks: readonly ListedTrack[]): number {
  return tracks.reduce((n, t) => n + (t.durationMs ?? 0), 0);
}

/** "3 tracks · 12:04": how many tracks a release or playlist holds and how long they play together. */
export function TrackCount({ tracks, lengthTestId }: { tracks: readonly ListedTrack[]; lengthTestId?: string }) {
  return (
    <>
      {tracks.length} track{tracks.length === 1 ? '' : 's'} ·{' '}
      <span data-testid={lengthTestId}>{formatDuration(totalLength(tracks))}</span>
    </>
  );
}

/** Plays the list from its first track (disabled while it is empty). */
export function PlayAllButton({ tracks }: { tracks: readonly ListedTrack[] }) {
  const engine = usePlayer();
  return (
    <button
      type="button"
      className="button button--accent"
      disabled={tracks.length === 0}
      onClick={() => engine.playList(tracks, 0)}
      data-testid="play-all"
    >
      Play all
    </button>
  );
}
