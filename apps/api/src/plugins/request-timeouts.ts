import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '@earshot/config';
import { AppError } from '@earshot/core';
import { toErrorBody } from './error-handler.ts';
import { isUpgradeRequest } from './websocket.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route streams a large body (an audio master): it has no whole-request limit, only the
     * body-idle one, so an upload that keeps sending is never cut and one that stalls is.
     */
    upload?: boolean;
  }
}

export type RequestTimeouts = Config['http'];

/**
 * Options for Node's HTTP server (Fastify's `http` option): the headers phase. Node answers 408 and
 * closes a connection whose headers are not in after `headersTimeout`; it checks every
 * `connectionsCheckingInterval`, so that interval follows the limit (otherwise 30 s).
 */
export function httpServerTimeouts(limits: RequestTimeouts): {
  headersTimeout: number;
  connectionsCheckingInterval: number;
  requestTimeout: number;
} {
  return {
    headersTimeout: limits.headersTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
    // Node's own whole-request limit cannot spare uploads; ours (below) is per route.
    requestTimeout: 0,
  };
}

export const requestTimedOut = (phase: 'body-idle' | 'request') =>
  new AppError(
    408,
    'request_timeout',
    phase === 'body-idle' ? 'The request body stopped arriving' : 'The request took too long to arrive',
  );

const RAW_408 = (body: string) =>
  `HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;

/**
 * The body phase of every request, once the headers are in (docs/security.md):
 * - body idle: the socket's idle timer runs while the body is incomplete; Node emits `timeout` on
 *   the request when it fires;
 * - whole request: a timer from the headers to the last body byte, for every route but uploads.
 * Either way the client gets a 408 (when no answer has started) and the connection is closed;
 * the request stream is destroyed with the 408 error, so whatever reads the body (JSON parser,
 * multipart receiver) fails at once and cleans up (an upload's temp file is removed).
 * Both stop as soon as the body is complete: a slow handler is not this plugin's business.
 */
export function registerRequestTimeouts(app: FastifyInstance, limits: RequestTimeouts): void {
  closeSilentConnectionsWhenDraining(app, limits);
  app.addHook('onRequest', (request, reply, done) => {
    const req = request.raw;
    // Only while a body is on its way: not for bodiless requests, bodies that came in with the
    // headers, injected requests (no socket), or WebSocket upgrades (the upgrade guard's).
    if (req.complete !== false || !hasBody(req) || isUpgradeRequest(req)) return done();
    const socket = req.socket;
    let settled = false;
    const stop = () => {
      if (settled) return;
      settled = true;
      clearTimeout(whole);
      req.off('timeout', onIdle);
      req.off('end', stop);
      reply.raw.off('timeout', keepSocket);
      // Back to no idle limit while the handler works; Node sets keep-alive's own after the answer.
      if (!reply.raw.headersSent && !socket.destroyed) socket.setTimeout(0);
    };
    const abandon = (phase: 'body-idle' | 'request') => {
      if (settled) return;
      stop();
      // The body is all here, only not read yet: the handler's business, not a slow client.
      if (!req.complete) abandonRequest(request, reply, phase);
    };
    const onIdle = () => abandon('body-idle');
    // Node destroys a timed-out socket nobody claims; once the body is complete (Node then emits
    // `timeout` on the response, not the request) the answer is the handler's to give.
    const keepSocket = () => stop();
    const whole = request.routeOptions.config.upload
      ? undefined
      : setTimeout(() => abandon('request'), limits.requestTimeoutMs);
    socket.setTimeout(limits.bodyIdleTimeoutMs);
    req.on('timeout', onIdle);
    reply.raw.on('timeout', keepSocket);
    req.once('end', stop);
    req.once('close', stop);
    done();
  });
}

/**
 * Node stops enforcing `headersTimeout` once the server is closing, and a connection whose request
 * headers are still incomplete is not "idle" to `closeIdleConnections`: without this, a client that
 * sent half its headers would hold up a graceful shutdown until its deadline. While draining, every
 * connection that stays silent for the headers timeout is closed (Node destroys a timed-out socket
 * no request or response claims; requests in their body phase answer 408 as usual).
 */
function closeSilentConnectionsWhenDraining(app: FastifyInstance, limits: RequestTimeouts): void {
  const connections = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  app.addHook('preClose', (done) => {
    for (const socket of connections) if (!socket.timeout) socket.setTimeout(limits.headersTimeoutMs);
    done();
  });
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function abandonRequest(request: FastifyRequest, reply: FastifyReply, phase: 'body-idle' | 'request'): void {
  const err = requestTimedOut(phase);
  request.log.info({ phase }, 'request body timed out: closing the connection');
  const socket = request.raw.socket;
  // As Node does for its own 408s: write the answer, then close. Small writes go out at once.
  if (!reply.raw.headersSent && socket.writable)
    socket.write(RAW_408(JSON.stringify(toErrorBody(err.code, err.message))));
  request.raw.destroy(err);
}
