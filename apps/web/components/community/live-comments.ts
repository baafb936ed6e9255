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
    let socket: WebSocket | null = null;
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let delay = 1000;
    let opened = 0;
    const connect = () => {
      if (stopped) return;
      const ws = new WebSocket(
        `${window.location.protocol === 'https:' ? 'wss:' : 'ws:'}//${window.location.host}/api/v1/ws`,
      );
      socket = ws;
      ws.onopen = () => {
        delay = 1000;
        ws.send(JSON.stringify({ type: 'watch', trackId }));
      };
      ws.onmessage = (m) => {
        const text = String(m.data);
        if (text.includes('"watching"')) {
          // Watching from now on; after a reconnect, read what came in meanwhile.
          if (opened++ > 0) onResyncRef.current();
          document.documentElement.dataset.commentsLive = trackId;
          return;
        }
        const e = parse(text, trackId);
        if (e) onEventRef.current(e);
      };
      ws.onclose = () => {
        if (socket === ws) socket = null;
        if (document.documentElement.dataset.commentsLive === trackId)
          delete document.documentElement.dataset.commentsLive;
        if (stopped) return;
        retry = setTimeout(connect, delay);
        delay = Math.min(delay * 2, 30_000);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'unwatch', trackId }));
      socket?.close();
      if (document.documentElement.dataset.commentsLive === trackId)
        delete document.documentElement.dataset.commentsLive;
    };
  }, [trackId, active]);
}
