import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import websocket from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import type { Config } from '@earshot/config';
import { AppError } from '@earshot/core';
import type { Api } from '../types.ts';
import { sameOrigin } from './auth.ts';

/** Error codes of `ws` for frames a client got wrong (RFC 6455 violations, oversized messages). */
const CLIENT_FAULT = /^WS_ERR_|^ECONNRESET$|^EPIPE$|^ETIMEDOUT$/;

export const crossOriginUpgradeRefused = () =>
  new AppError(403, 'cross_site_request', 'WebSocket connections from other sites are refused');

/**
 * WebSockets (docs/security.md):
 *
 * - Registered before the rate-limit and access hooks, so @fastify/websocket's own `onRequest`
 *   hook (which marks a request as an upgrade) has run when any of them refuses it.
 * - Every upgrade that is answered over HTTP instead of switching protocols (401 bad bearer,
 *   429, 403 origin, 404 no such route, 5xx) has its socket closed once the answer is written:
 *   an upgrade socket belongs to no HTTP parser, so nothing else would ever close it.
 * - An upgrade that has neither switched protocols nor been answered within the headers timeout
 *   (a hook that hangs, a router that threw) is destroyed.
 * - Errors on an open socket caused by the client (bad frames, resets) are logged at warn;
 *   anything else at error.
 */
export async function registerWebSockets(app: Api, config: Config): Promise<void> {
  await app.register(websocket, {
    options: { maxPayload: 64 * 1024 },
    errorHandler(error, socket, request) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (CLIENT_FAULT.test(code)) request.log.warn({ err: error }, 'websocket closed on a client error');
      else request.log.error({ err: error }, 'websocket failed');
      socket.terminate();
    },
  });

  const upgraded = new WeakSet<IncomingMessage>();
  app.websocketServer.on('connection', (_ws: unknown, req: IncomingMessage) => upgraded.add(req));
  const guard = (req: IncomingMessage, socket: Duplex) => {
    const timer = setTimeout(() => {
      if (!upgraded.has(req)) socket.destroy();
    }, config.http.headersTimeoutMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  };
  app.server.on('upgrade', guard);
  app.addHook('preClose', (done) => {
    app.server.off('upgrade', guard);
    done();
  });

  app.addHook('onResponse', async (request) => {
    // A WebSocket that switched protocols was hijacked and never gets here: this is a refusal.
    if (isUpgrade(request)) request.raw.socket.destroy();
  });
}

/** An upgrade request: Node handed it to the `upgrade` listeners, not to the request handler. */
export function isUpgrade(request: FastifyRequest): boolean {
  return isUpgradeRequest(request.raw);
}

export function isUpgradeRequest(req: IncomingMessage): boolean {
  // Set by Node's HTTP parser (not in @types/node).
  return (req as IncomingMessage & { upgrade?: boolean }).upgrade === true;
}

/**
 * Cross-site WebSocket hijacking: a browser attaches our cookies to an upgrade any page opens, and
 * the handshake is not subject to CORS. An upgrade that carries an `Origin` other than ours is
 * refused, unless it authenticates with a Bearer token (which no browser adds by itself).
 * Clients that send no `Origin` (not a browser) are not affected.
 */
export function checkUpgradeOrigin(request: FastifyRequest, config: Config): void {
  if (request.sessionVia === 'bearer') return;
  const origin = request.headers.origin;
  if (origin === undefined) return;
  if (origin === 'null' || !sameOrigin(origin, request, config)) throw crossOriginUpgradeRefused();
}
