'use client';

/**
 * A track page's live comments and media: while the page is open, its signed-in viewer's socket
 * (`/api/v1/ws`, the one the bell and the upload progress use) asks to watch the track, and the
 * API relays `comment.created` / `comment.deleted` of it (only ids: the comment itself is read
 * through the API, which applies the visibility rules), and `track.media` while its upload is
 * processed (the stream became playable or was withdrawn, the waveform or the gain is known:
 * `onMedia` reads the track again). Anonymous visitors have no socket: their page shows the
 * comments of when it loaded (and reads a processing track again now and then, TrackView).
 * Reconnects with a growing delay; after a reconnect `onResync` (and `onMedia`) read again what
 * may have been missed.
 */
import { useEffect, useRef } from 'react';
import { keepLiveSocket } from '@/lib/live-socket';

export type CommentLiveEvent = { type: 'comment.created' | 'comment.deleted'; trackId: string; commentId: string };

function parse(data: unknown, trackId: string): CommentLiveEvent | null {
  try {
    const e = JSON.parse(String(data)) as Partial<CommentLiveEvent>;
    if ((e.type === 'comment.created' || e.type === 'comment.deleted') && e.trackId === trackId)
      return typeof e.commentId === 'string' ? (e as CommentLiveEvent) : null;
  } catch {
    // Not ours.
  }
  return null;
}

export function useLiveComments(
  trackId: string,
  active: boolean,
  onEvent: (e: CommentLiveEvent) => void,
  onResync: () => void,
  onMedia?: () => void,
): void {
  const onEventRef = useRef(onEvent);
  const onResyncRef = useRef(onResync);
  const onMediaRef = useRef(onMedia);
  onEventRef.current = onEvent;
  onResyncRef.current = onResync;
  onMediaRef.current = onMedia;

  useEffect(() => {
    if (!active || typeof WebSocket === 'undefined') return;
    let opened = 0;
    const notLive = () => {
      if (document.documentElement.dataset.commentsLive === trackId)
        delete document.documentElement.dataset.commentsLive;
    };
    const stop = keepLiveSocket({
      open: (ws) => ws.send(JSON.stringify({ type: 'watch', trackId })),
      message(text) {
        if (text.includes('"watching"')) {
          // Watching from now on; after a reconnect, read what came in meanwhile.
          if (opened++ > 0) {
            onResyncRef.current();
            onMediaRef.current?.();
          }
          document.documentElement.dataset.commentsLive = trackId;
          return;
        }
        if (text.includes('"track.media"')) {
          const media = JSON.parse(text) as { type?: string; trackId?: string };
          if (media.type === 'track.media' && media.trackId === trackId) onMediaRef.current?.();
          return;
        }
        const e = parse(text, trackId);
        if (e) onEventRef.current(e);
      },
      closed: notLive,
      stopping: (ws) => ws.send(JSON.stringify({ type: 'unwatch', trackId })),
    });
    return () => {
      stop();
      notLive();
    };
  }, [trackId, active]);
}
