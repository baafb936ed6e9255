/**
 * The web server reaches its API at a configured address, never at one taken from the request:
 * a page request whose Host header names another local port must not make the web server call
 * that port (with the visitor's cookie), nor put what it answers into the page (docs/security.md).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register, startPlatform, type RunningPlatform } from '../browser/platform-fixture.ts';

let platform: RunningPlatform;
let other: http.Server;
let otherPort: number;
const seen: Array<{ url?: string; cookie?: string }> = [];

beforeAll(async () => {
  // Another service on this machine, answering JSON shaped like a user profile.
  other = http.createServer((req, res) => {
    seen.push({ url: req.url, cookie: req.headers.cookie });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        user: {
          id: '1',
          handle: 'ssrf-artist',
          displayName: 'INJECTED FROM ANOTHER PORT',
          bio: '',
          avatarUrl: null,
          avatarSmallUrl: null,
          role: 'artist',
          createdAt: new Date().toISOString(),
        },
        tracks: [],
      }),
    );
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  otherPort = (other.address() as AddressInfo).port;
  platform = await startPlatform();
  await register(platform.base, 'ssrf-artist', 'artist');
});
afterAll(async () => {
  await platform?.close();
  await new Promise((r) => other?.close(r));
});

function getPage(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const base = new URL(platform.base);
  return new Promise((resolve, reject) => {
    const req = http.get({ host: base.hostname, port: base.port, path, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

describe('page rendering with a hostile Host header', () => {
  it('reads the API in process, never at the address the Host header names', async () => {
    for (const host of [`127.0.0.1:${otherPort}`, `localhost:${otherPort}`, `[::1]:${otherPort}`]) {
      const page = await getPage('/ssrf-artist', { host, cookie: 'session=visitor-cookie' });
      expect(page.status).toBe(200);
      const title = /<title>([^<]*)<\/title>/.exec(page.body)?.[1] ?? '';
      expect(title).toBe('Ssrf Artist (@ssrf-artist) · Earshot');
      expect(page.body).not.toContain('INJECTED FROM ANOTHER PORT');
    }
    expect(seen).toEqual([]);
  });
});
