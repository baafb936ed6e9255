'use client';

/**
 * A track page's live comments: while the page is open, its signed-in viewer's socket
 * (`/api/v1/ws`, the one the bell and the upload progress use) asks to watch the track, and the
 * API relays `comment.created` / `comment.deleted` of it (only ids: the comment itself is read
 * through the API, which applies the visibility rules). Anonymous visitors have no socket: their
 * page shows the comments of when it loaded. Reconnects with a growing delay; after a reconnect
 * `onResync` reads again what may have been missed.
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
): void {
  const onEventRef = useRef(onEvent);
  const onResyncRef = useRef(onResync);
  onEventRef.current = onEvent;
  onResyncRef.current = onResync;

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
          if (opened++ > 0) onResyncRef.current();
          document.documentElement.dataset.commentsLive = trackId;
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
