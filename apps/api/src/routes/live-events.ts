import { AppError, getTrackView, type LiveEvent } from '@earshot/core';
import { currentUser } from '../current-user.ts';
import { checkUpgradeOrigin } from '../plugins/websocket.ts';
import type { Api, RouteDeps } from '../types.ts';

const PING_MS = 25_000;
/** Track pages one socket may watch at once (a few tabs share a socket per tab; this bounds the set). */
const MAX_WATCHED = 8;
/** A watch message is tiny; anything longer is not one. */
const MAX_MESSAGE_BYTES = 200;
const ID = /^[1-9][0-9]{0,17}$/;

/** The one message a client may send: `{"type":"watch"|"unwatch","trackId":"<id>"}`; anything else is ignored. */
function parseWatch(data: unknown): { type: 'watch' | 'unwatch'; trackId: string } | null {
  const text = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : null;
  if (!text || text.length > MAX_MESSAGE_BYTES) return null;
  let m: unknown;
  try {
    m = JSON.parse(text.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof m !== 'object' || m === null) return null;
  const { type, trackId } = m as { type?: unknown; trackId?: unknown };
  if ((type !== 'watch' && type !== 'unwatch') || typeof trackId !== 'string' || !ID.test(trackId)) return null;
  return { type, trackId };
}

const upgradeRequired = () =>
  new AppError(426, 'upgrade_required', 'This endpoint is a WebSocket: connect with an Upgrade request');

/**
 * `/api/v1/ws`: live processing progress for the signed-in uploader (docs/architecture.md, "Media pipeline"), the
 * user's notification count, and the comments and media changes (`track.media`: stream playable or withdrawn,
 * waveform, loudness; docs/performance.md, "Playable in seconds") of the track pages it watches ("Community"). A
 * socket receives only events of tracks its user owns (admins: all), its user's notifications, and comment and media
 * events of tracks it asked to watch (`{"type":"watch","trackId":…}`) when its user may open that track (else
 * `watch-refused`, the same answer for a private track and for none). Nothing else a client sends is read.
 */
export function liveEventRoutes(app: Api, deps: RouteDeps): void {
  // Anonymous: the socket opens and is closed with 4401 (what browsers can see; an HTTP 401 on
  // an upgrade is only "error" to a page). A bad Bearer token is an HTTP 401, a foreign Origin
  // an HTTP 403; both close the socket (plugins/websocket.ts).
  app.route({
    method: 'GET',
    url: '/api/v1/ws',
    config: { access: 'anyone' },
    schema: { hide: true },
    onRequest: async (request) => checkUpgradeOrigin(request, deps.config),
    // A plain GET (no upgrade): a JSON refusal like every other, not @fastify/websocket's empty 404
    // (which `websocket: true` would give).
    handler: async () => {
      throw upgradeRequired();
    },
    wsHandler: (socket, request) => {
      const user = currentUser(request);
      if (!user) {
        socket.close(4401, 'unauthorized');
        return;
      }
      // Notifications go to their user only; processing events to the owner (admins: all); comment
      // and media events to the sockets watching that track.
      const watched = new Set<string>();
      const visible = (e: LiveEvent) =>
        e.type === 'notification'
          ? e.userId === user.id
          : e.type === 'version.step' || e.type === 'version.status'
            ? e.ownerUserId === user.id || user.role === 'admin'
            : watched.has(e.trackId);
      const unsubscribe = deps.progress.subscribe((event) => {
        if (visible(event) && socket.readyState === socket.OPEN) socket.send(JSON.stringify(event));
      });
      const ping = setInterval(() => socket.readyState === socket.OPEN && socket.ping(), PING_MS);
      socket.send(JSON.stringify({ type: 'hello', userId: user.id }));
      const send = (m: object) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(m));
      socket.on('message', (data: unknown) => {
        const m = parseWatch(data);
        if (!m) return;
        if (m.type === 'unwatch') {
          watched.delete(m.trackId);
          return;
        }
        if (watched.size >= MAX_WATCHED) {
          send({ type: 'watch-refused', trackId: m.trackId, reason: 'too_many' });
          return;
        }
        // The track page's rule: only a track this user may open (a private one only its owner or an
        // admin; others only once it is playable, a first upload once its provisional stream is out).
        getTrackView(deps.core, user, m.trackId).then(
          () => {
            if (socket.readyState !== socket.OPEN) return;
            watched.add(m.trackId);
            send({ type: 'watching', trackId: m.trackId });
          },
          () => send({ type: 'watch-refused', trackId: m.trackId, reason: 'not_found' }),
        );
      });
      socket.on('close', () => {
        clearInterval(ping);
        unsubscribe();
      });
    },
  });
}
