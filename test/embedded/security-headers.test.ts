// Embedded mode sends the security headers nginx adds in production, from the same definition
// (packages/security-headers): a real embedded server with the web app (test/fixtures/serve-embedded.ts,
// TEST_WITH_WEB=1) asked for pages, API responses, 404s, errors and HLS media, over plain HTTP and
// as HTTPS behind a trusted proxy (HSTS only then). test/edge/nginx.test.ts checks nginx against
// the same module.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADER_NAMES, securityHeaders, websocketOriginOf } from '@earshot/security-headers';
import { ensureWebBuilt, register, uploadTrack, waitUntilReady } from '../browser/platform-fixture.ts';
import { generateTone } from '../support/audio.ts';
import { freePort, spawnTs, waitForHttp, type Spawned } from '../support/process.ts';

let work: string;
let server: Spawned;
let base: string;
let hls: string;
let trackId: string;

beforeAll(async () => {
  await ensureWebBuilt();
  work = await mkdtemp(path.join(os.tmpdir(), 'earshot-embedded-headers-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawnTs('test/fixtures/serve-embedded.ts', {
    DATA_DIR: path.join(work, 'data'),
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
    TEST_WITH_WEB: '1',
    RATE_LIMIT_API_PER_MINUTE: '1000000',
  });
  await waitForHttp(`${base}/api/v1/health`, server, 3600);
  const artist = await register(base, 'header-artist', 'artist');
  const track = await uploadTrack(
    base,
    artist.token,
    await generateTone(path.join(work, 'tone.wav'), { seconds: 4 }),
    'Headers',
  );
  trackId = (await waitUntilReady(base, artist.token, track.id)).id;
  hls = ((await (await fetch(`${base}/api/v1/tracks/${trackId}/stream`)).json()) as { hls: string }).hls;
}, 1_800_000);

afterAll(async () => {
  if (server) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  if (work) await rm(work, { recursive: true, force: true });
});

/** Every security header, exactly once, with the module's value for this request; none it leaves out. */
function problemsOf(res: Response, target: string, https: boolean): string[] {
  const wanted = securityHeaders({
    path: target,
    https,
    websocketOrigin: websocketOriginOf(`http://localhost:${new URL(base).port}`),
  });
  const problems: string[] = [];
  for (const name of SECURITY_HEADER_NAMES) {
    // fetch joins repeated headers with ", ": a header sent twice fails the comparison too.
    const got = res.headers.get(name) ?? undefined;
    if (got !== wanted[name])
      problems.push(`${res.status} ${target}: ${name}=${JSON.stringify(got)}, wanted ${JSON.stringify(wanted[name])}`);
  }
  return problems;
}

describe('security headers in embedded mode', () => {
  it('are the module’s on pages, API responses, 404s, errors and HLS media; HSTS only over HTTPS', async () => {
    const playlist = await (await fetch(`${base}${hls}`)).text();
    const rendition = playlist.split('\n').find((l) => l && !l.startsWith('#'))!;
    const renditionPath = new URL(rendition, `${base}${hls}`).pathname;
    const requests: Array<{ target: string; init?: RequestInit; status: number; type?: RegExp }> = [
      { target: '/', status: 200, type: /text\/html/ },
      { target: '/header-artist', status: 200, type: /text\/html/ },
      { target: '/no-such-user-here/nor-track', status: 404, type: /text\/html/ },
      // The embed page answers 200 and says "not available" for what it cannot show (inside a frame).
      { target: '/embed/track/999999', status: 200, type: /text\/html/ },
      { target: '/api/v1/health', status: 200, type: /json/ },
      { target: `/api/v1/tracks/${trackId}`, status: 200, type: /json/ },
      { target: '/api/v1/no-such-route', status: 404, type: /json/ },
      { target: '/media/nope', status: 404, type: /json/ },
      {
        target: '/api/v1/auth/login',
        init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' },
        status: 400,
        type: /json/,
      },
      { target: '/api/v1/auth/me', status: 401, type: /json/ },
      { target: hls, status: 200, type: /mpegurl/ },
      { target: renditionPath, status: 200, type: /mpegurl/ },
      {
        target: `/media/hls/AAAAAAAAAAAAAAAAAAAAAA/9999999999/version-${trackId}/playlist.m3u8`,
        status: 403,
        type: /json/,
      },
    ];
    const problems: string[] = [];
    for (const { target, init, status, type } of requests) {
      for (const https of [false, true]) {
        // HTTPS as a TLS-terminating proxy on loopback (TRUST_PROXY's default) says it.
        const headers = {
          ...(init?.headers as Record<string, string> | undefined),
          ...(https ? { 'x-forwarded-proto': 'https' } : {}),
        };
        const res = await fetch(`${base}${target}`, { ...init, headers, redirect: 'manual' });
        await res.arrayBuffer();
        expect(res.status, `${target} (${https ? 'https' : 'http'})`).toBe(status);
        if (type) expect(res.headers.get('content-type'), target).toMatch(type);
        problems.push(...problemsOf(res, target, https));
        if (target.startsWith('/embed/')) {
          expect(res.headers.get('x-frame-options')).toBeNull();
          expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors \*$/);
        } else {
          expect(res.headers.get('x-frame-options')).toBe('DENY');
          expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'$/);
        }
        expect(res.headers.get('strict-transport-security')).toBe(https ? 'max-age=31536000; includeSubDomains' : null);
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      }
    }
    expect(problems).toEqual([]);
  });
});
