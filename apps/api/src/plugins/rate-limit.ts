import type { FastifyInstance } from 'fastify';
import type { RateLimiter } from '@earshot/rate-limit';
import { enforceRateLimit, RATE_LIMIT_ZONES, type RateLimitZone } from '@earshot/core';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A stricter zone of RATE_LIMIT_ZONES this route also counts in, per client IP (429 past it). */
    rateLimit?: Exclude<RateLimitZone, 'api'>;
  }
}

/**
 * Per-IP request limits, checked first thing in `onRequest` (before authentication, before the
 * body is read), as nginx's `limit_req` would: every request under `/api/` counts in the `api`
 * zone (`apiPerMinute` a minute), and a route's own zone (`config.rateLimit`) on top. The client
 * IP is Fastify's `request.ip`, which believes `X-Forwarded-For` only from `TRUST_PROXY` peers.
 */
export function registerRateLimits(
  app: FastifyInstance,
  limiter: RateLimiter,
  options: { apiPerMinute: number },
): void {
  const api = { ...RATE_LIMIT_ZONES.api, limit: options.apiPerMinute };
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/api/')) await enforceRateLimit(limiter, 'api', request.ip, api);
    const zone = request.routeOptions.config.rateLimit;
    if (zone) await enforceRateLimit(limiter, zone, request.ip);
  });
}
