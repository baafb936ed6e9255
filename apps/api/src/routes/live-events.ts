import { AppError, type LiveEvent } from '@earshot/core';
import { currentUser } from '../current-user.ts';
import { checkUpgradeOrigin } from '../plugins/websocket.ts';
import type { Api, RouteDeps } from '../types.ts';

const PING_MS = 25_000;

const upgradeRequired = () =>
  new AppError(426, 'upgrade_required', 'This endpoint is a WebSocket: connect with an Upgrade request');

/**
 * `/api/v1/ws`: live processing progress for the signed-in uploader (docs/architecture.md, "Media pipeline"), and the
 * user's notification count ("Community"). A socket receives only events of tracks its user owns (admins: all) and
 * its user's notifications. Clients only listen.
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
      // Notifications go to their user only; processing events to the owner (admins: all).
      const visible = (e: LiveEvent) =>
        e.type === 'notification' ? e.userId === user.id : e.ownerUserId === user.id || user.role === 'admin';
      const unsubscribe = deps.progress.subscribe((event) => {
        if (visible(event) && socket.readyState === socket.OPEN) socket.send(JSON.stringify(event));
      });
      const ping = setInterval(() => socket.readyState === socket.OPEN && socket.ping(), PING_MS);
      socket.send(JSON.stringify({ type: 'hello', userId: user.id }));
      socket.on('message', () => {
        // Listen-only channel: ignore client messages rather than trusting them.
      });
      socket.on('close', () => {
        clearInterval(ping);
        unsubscribe();
      });
    },
  });
}
