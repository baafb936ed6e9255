import type { RateLimiter } from '@earshot/rate-limit';
import { AppError } from '../errors.ts';

/**
 * Request-rate zones, per client IP, as nginx's `limit_req_zone`s (docs/accounts.md, "Rate limits and lockout") (the app applies
 * the same limits so embedded mode, and a proxy left misconfigured, are covered too). Counters are
 * shared through Redis when it is configured. Fixed windows: at most `limit` requests per window.
 * Every request under `/api/` counts in `api` (its limit is RATE_LIMIT_API_PER_MINUTE); routes add
 * a stricter zone with `config.rateLimit: '<zone>'`.
 */
export const RATE_LIMIT_ZONES = {
  /** Sign-in, registration, password reset: 5 per minute. Not `GET /auth/me`. */
  auth: { limit: 5, windowMs: 60_000 },
  /** Reports of abuse (docs/architecture.md, "Moderation"): 20 per hour. */
  report: { limit: 20, windowMs: 3_600_000 },
  /** General API use: 100 per minute. */
  api: { limit: 100, windowMs: 60_000 },
  /** Comment writes (post, delete): 20 per hour. Reads are never in this zone (docs/architecture.md, "Community"). */
  comment: { limit: 20, windowMs: 3_600_000 },
} as const;

export type RateLimitZone = keyof typeof RATE_LIMIT_ZONES;

export const rateLimited = (retryAfterMs: number, message = 'Too many requests; slow down and try again') =>
  new AppError(429, 'rate_limited', message, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) });

export interface ZoneRule {
  limit: number;
  windowMs: number;
}

/** Counts one request of `client` in `zone`; 429 (with Retry-After) past the limit (the zone's default, or `rule`). */
export async function enforceRateLimit(
  limiter: RateLimiter,
  zone: RateLimitZone,
  client: string,
  rule: ZoneRule = RATE_LIMIT_ZONES[zone],
): Promise<{ remaining: number }> {
  const counter = await limiter.hit(`zone:${zone}:${client}`, rule.windowMs);
  if (counter.count > rule.limit) throw rateLimited(counter.resetInMs);
  return { remaining: rule.limit - counter.count };
}
