import type { FastifyInstance } from 'fastify';
import type { RateLimiter } from '@earshot/rate-limit';
import { enforceRateLimit, type RateLimitZone } from '@earshot/core';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Counts requests to this route per client IP in a zone of RATE_LIMIT_ZONES (429 past it). */
    rateLimit?: RateLimitZone;
  }
}

/**
 * Per-IP request limits, declared per route (`config.rateLimit`), checked first thing in
 * `onRequest` (before authentication, before the body is read). The client IP is Fastify's
 * `request.ip`, which believes `X-Forwarded-For` only from `TRUST_PROXY` peers.
 */
export function registerRateLimits(app: FastifyInstance, limiter: RateLimiter): void {
  app.addHook('onRequest', async (request) => {
    const zone = request.routeOptions.config.rateLimit;
    if (zone) await enforceRateLimit(limiter, zone, request.ip);
  });
}
