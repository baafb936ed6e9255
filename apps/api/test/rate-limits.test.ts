/**
 * The app's own request limits (docs/architecture.md, "Security", the same zones as nginx): every request under
 * `/api/` counts in the `api` zone per client IP (RATE_LIMIT_API_PER_MINUTE, 100 by default), a
 * route's stricter zone counts on top, paths outside `/api/` are not limited, and the client is the
 * forwarded address only behind a trusted proxy.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@earshot/config';
import { useTestApi } from '../../../test/support/use-test-api.ts';

const LIMIT = 4;
let ipSeq = 1;
const nextIp = () => `203.0.113.${ipSeq++}`;

const api = useTestApi({ infra: { env: { RATE_LIMIT_API_PER_MINUTE: String(LIMIT) } } });

const list = (remoteAddress: string, headers: Record<string, string> = {}) =>
  api.app.inject({ method: 'GET', url: '/api/v1/tracks', remoteAddress, headers });

describe('the api zone', () => {
  it('defaults to 100 requests a minute', () => {
    expect(loadConfig({}, { persistDevSecrets: false }).apiRateLimitPerMinute).toBe(100);
  });

  it('answers 429 with Retry-After past the limit, per client IP', async () => {
    const ip = nextIp();
    const codes: number[] = [];
    let last;
    for (let i = 0; i < LIMIT + 2; i++) codes.push((last = await list(ip)).statusCode);
    expect(codes).toEqual([...Array(LIMIT).fill(200), 429, 429]);
    expect(last!.json()).toMatchObject({ error: { code: 'rate_limited' } });
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(last!.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await list(nextIp())).statusCode).toBe(200);
  });

  it('counts every route under /api/, unknown ones too, and nothing outside it', async () => {
    const ip = nextIp();
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/health', remoteAddress: ip })).statusCode).toBe(200);
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/no-such-route', remoteAddress: ip })).statusCode).toBe(
      404,
    );
    for (let i = 0; i < 5; i++)
      expect((await api.app.inject({ method: 'GET', url: '/metrics', remoteAddress: ip })).statusCode).toBe(200);
    expect((await list(ip)).statusCode).toBe(200);
    expect((await list(ip)).statusCode).toBe(200);
    expect((await list(ip)).statusCode).toBe(429);
  });

  it('counts a route of a stricter zone in both', async () => {
    const ip = nextIp();
    const login = () =>
      api.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'nobody@example.test', password: 'not the password 1' },
        remoteAddress: ip,
      });
    for (let i = 0; i < 3; i++) expect((await login()).statusCode).toBe(401);
    // The auth zone allows 5, but this was the client's 4th /api/ request and the zone allows 4.
    expect((await login()).statusCode).toBe(401);
    expect((await login()).statusCode).toBe(429);
  });

  it('takes the client from X-Forwarded-For only through a trusted proxy', async () => {
    // Through loopback (the default trusted proxy) each forwarded client has its own budget…
    for (let i = 0; i < LIMIT + 1; i++)
      expect((await list('127.0.0.1', { 'x-forwarded-for': nextIp() })).statusCode).toBe(200);
    // …while an untrusted peer cannot dodge its limit by inventing addresses.
    const peer = nextIp();
    const codes: number[] = [];
    for (let i = 0; i < LIMIT + 1; i++) codes.push((await list(peer, { 'x-forwarded-for': nextIp() })).statusCode);
    expect(codes).toEqual([...Array(LIMIT).fill(200), 429]);
  });
});
