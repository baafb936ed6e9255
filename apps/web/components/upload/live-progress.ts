'use client';

/**
 * Live processing progress for the uploader: the WebSocket `/api/v1/ws` (cookie-authenticated, listen
 * only) while it is open, and polling `GET /api/v1/tracks/:id` while it is not — before it opens, when
 * the server or a proxy refuses it, after it drops (it is reopened with backoff).
 */
import { useEffect, useRef, useState } from 'react';
import { liveSocketUrl } from '@/lib/live-socket';
import type { StepState, VersionStatus } from '@/lib/player/track';

export type ProcessingEvent =
  | {
      type: 'version.step';
      trackId: string;
      versionId: string;
      step: string;
      state: StepState;
      progress?: number;
      error?: string;
    }
  | { type: 'version.status'; trackId: string; versionId: string; status: VersionStatus; error?: string };

export type LiveMode = 'off' | 'connecting' | 'socket' | 'polling';

const POLL_MS = 2_000;
const RECONNECT_MIN_MS = 2_000;
const RECONNECT_MAX_MS = 30_000;
/** A socket that neither opens nor fails (a proxy that swallows the upgrade) is given up on after this. */
const CONNECT_TIMEOUT_MS = 5_000;

function parseEvent(data: unknown): ProcessingEvent | null {
  if (typeof data !== 'string') return null;
  try {
    const e = JSON.parse(data) as Partial<ProcessingEvent> & Record<string, unknown>;
    if (typeof e.trackId !== 'string') return null;
    if (e.type === 'version.step' && typeof e.step === 'string' && typeof e.state === 'string')
      return e as ProcessingEvent;
    if (e.type === 'version.status' && typeof e.status === 'string') return e as ProcessingEvent;
  } catch {
    // Not JSON: not ours.
  }
  return null;
}

/**
 * While `active`, delivers socket events to `onEvent` and, whenever the socket is not open, calls
 * `poll` every couple of seconds (also once right after the socket opens, to catch up on anything
 * that happened before it did).
 */
export function useLiveProgress(
  active: boolean,
  onEvent: (event: ProcessingEvent) => void,
  poll: () => void,
): LiveMode {
  const [mode, setMode] = useState<LiveMode>('off');
  const onEventRef = useRef(onEvent);
  const pollRef = useRef(poll);
  onEventRef.current = onEvent;
  pollRef.current = poll;

  useEffect(() => {
    if (!active) {
      setMode('off');
      return;
    }
    let socket: WebSocket | null = null;
    let pollTimer: ReturnType<typeof setInterval> | undefined;
    let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
    let delay = RECONNECT_MIN_MS;
    let stopped = false;

    const startPolling = () => {
      if (pollTimer) return;
      pollRef.current();
      pollTimer = setInterval(() => pollRef.current(), POLL_MS);
    };
    const stopPolling = () => {
      clearInterval(pollTimer);
      pollTimer = undefined;
    };

    const connect = () => {
      if (stopped) return;
      if (typeof WebSocket === 'undefined') {
        setMode('polling');
        startPolling();
        return;
      }
      setMode((m) => (m === 'polling' ? m : 'connecting'));
      const url = liveSocketUrl();
      let ws: WebSocket;
      try {
        ws = new WebSocket(url);
      } catch {
        setMode('polling');
        startPolling();
        return;
      }
      socket = ws;
      // Poll until the socket is confirmed open.
      startPolling();
      const giveUp = setTimeout(() => ws.close(), CONNECT_TIMEOUT_MS);
      ws.onopen = () => {
        clearTimeout(giveUp);
        delay = RECONNECT_MIN_MS;
        stopPolling();
        setMode('socket');
        pollRef.current();
      };
      ws.onmessage = (message) => {
        const event = parseEvent(message.data);
        if (event) onEventRef.current(event);
      };
      ws.onclose = () => {
        clearTimeout(giveUp);
        if (socket === ws) socket = null;
        if (stopped) return;
        setMode('polling');
        startPolling();
        reconnectTimer = setTimeout(connect, delay);
        delay = Math.min(RECONNECT_MAX_MS, delay * 2);
      };
    };

    connect();
    return () => {
      stopped = true;
      stopPolling();
      clearTimeout(reconnectTimer);
      socket?.close();
    };
  }, [active]);

  return mode;
}
