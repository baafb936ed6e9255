/** The API's WebSocket, `/api/v1/ws` on this origin (authenticated by the session cookie). */
export const liveSocketUrl = () =>
  `${window.location.protocol === 'https:' ? 'wss:' : 'ws:'}//${window.location.host}/api/v1/ws`;

export interface LiveSocketHandlers {
  /** The socket is open (again): subscribe here. */
  open?(ws: WebSocket): void;
  message(data: string): void;
  /** The socket closed (it is reopened unless stopped). */
  closed?(): void;
  /** Stopping while a socket is open: say goodbye before it closes. */
  stopping?(ws: WebSocket): void;
}

/**
 * Keeps the API's WebSocket open: reopened after each close, 1 s later and doubling up to 30 s,
 * until the returned function stops it. Does nothing where the browser has no WebSocket.
 */
export function keepLiveSocket(handlers: LiveSocketHandlers): () => void {
  let socket: WebSocket | null = null;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let delay = 1000;
  const connect = () => {
    if (stopped || typeof WebSocket === 'undefined') return;
    const ws = new WebSocket(liveSocketUrl());
    socket = ws;
    ws.onopen = () => {
      delay = 1000;
      handlers.open?.(ws);
    };
    ws.onmessage = (m) => handlers.message(String(m.data));
    ws.onclose = () => {
      if (socket === ws) socket = null;
      handlers.closed?.();
      if (stopped) return;
      retry = setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30_000);
    };
  };
  connect();
  return () => {
    stopped = true;
    clearTimeout(retry);
    if (socket?.readyState === WebSocket.OPEN) handlers.stopping?.(socket);
    socket?.close();
  };
}
