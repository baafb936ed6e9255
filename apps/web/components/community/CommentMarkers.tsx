'use client';

/**
 * The comments on the waveform (docs/architecture.md, "Community"): a small avatar at each
 * comment's moment; hovering (or focusing) one shows it, clicking seeks there; while the track plays,
 * the comment the playhead has just passed surfaces above the waveform for a few seconds.
 */
import { useMemo, useState } from 'react';
import { CommentText } from './CommentText';
import { useTrackComments } from './comments-context';
import { formatPosition } from './links';
import type { TrackComment } from './types';
import './community.css';

export const authorName = (c: TrackComment) => c.author?.displayName || c.author?.handle || 'Deleted user';

/** How long a passed comment stays up above the waveform. */
const SURFACE_MS = 4000;

function Initial({ c }: { c: TrackComment }) {
  return c.author?.avatarUrl ? (
    <img src={c.author.avatarUrl} alt="" width={20} height={20} />
  ) : (
    <span aria-hidden="true">{authorName(c).slice(0, 1).toUpperCase()}</span>
  );
}

export function CommentMarkers({
  durationMs,
  positionMs,
  active,
  onSeek,
}: {
  durationMs: number;
  positionMs: number;
  active: boolean;
  onSeek: (ms: number) => void;
}) {
  const ctx = useTrackComments();
  const [shown, setShown] = useState<string | null>(null);
  const markers = useMemo(
    () => (ctx?.comments ?? []).filter((c) => !c.deleted && c.body !== null && durationMs > 0),
    [ctx?.comments, durationMs],
  );
  // The newest-positioned comment passed within the last few seconds.
  const surfaced = active
    ? [...markers].reverse().find((c) => c.positionMs <= positionMs && positionMs - c.positionMs < SURFACE_MS)
    : undefined;
  if (!ctx || durationMs <= 0) return null;
  const hovered = markers.find((c) => c.id === shown);
  const bubble = hovered ?? surfaced;
  return (
    <div className="comment-markers" data-testid="comment-markers">
      {bubble && (
        <div
          className="comment-bubble"
          style={{ left: `${Math.min(100, (bubble.positionMs / durationMs) * 100)}%` }}
          role="status"
          data-testid="comment-bubble"
        >
          <strong>{authorName(bubble)}</strong>{' '}
          <span className="comment-bubble__at">{formatPosition(bubble.positionMs)}</span>
          <span className="comment-bubble__text">
            <CommentText body={bubble.body ?? ''} />
          </span>
        </div>
      )}
      <ul className="comment-markers__list" aria-label="Comments on the waveform">
        {markers.map((c) => (
          <li
            key={c.id}
            className="comment-marker"
            style={{ left: `${Math.min(100, (c.positionMs / durationMs) * 100)}%` }}
          >
            <button
              type="button"
              className="comment-marker__button"
              data-testid="comment-marker"
              data-position-ms={c.positionMs}
              aria-label={`${authorName(c)} at ${formatPosition(c.positionMs)}: ${c.body}. Play from here`}
              onPointerEnter={() => setShown(c.id)}
              onPointerLeave={() => setShown((s) => (s === c.id ? null : s))}
              onFocus={() => setShown(c.id)}
              onBlur={() => setShown((s) => (s === c.id ? null : s))}
              onClick={() => onSeek(c.positionMs)}
            >
              <Initial c={c} />
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
