/**
 * collectErrors (test/support/page-errors.ts) in Chromium against a plain loopback server: an expected
 * failure passes only for its own URL and status, so a missing script with the same status is still
 * reported; hydration mismatches and uncaught errors are recorded like any other error.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openContext } from '../support/browser.ts';
import { collectErrors, isHydrationMismatch } from '../support/page-errors.ts';
import { reportPagesOnFailure } from '../support/page-report.ts';

const PAGE = `<!doctype html><html><head><title>errors</title></head><body>
<script src="/_next/static/chunks/missing.js"></script>
<script>
  fetch('/api/v1/auth/me').then(() => fetch('/api/v1/tracks?limit=24')).then(() => {
    console.error('Uncaught Error: Minified React error #418; visit https://react.dev/errors/418 for the full message');
    document.title = 'done';
  });
</script></body></html>`;

let server: http.Server;
let base: string;
let browser: Browser;

reportPagesOnFailure();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    if (req.url === '/api/v1/auth/me')
      return res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"Unauthorized"}');
    if (req.url?.startsWith('/api/v1/tracks'))
      return res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"Internal Server Error"}');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

async function load(expected: Parameters<typeof collectErrors>[1]): Promise<string[]> {
  const context = await openContext(browser);
  const page = await context.newPage();
  const errors = collectErrors(page, expected);
  await page.goto(`${base}/`);
  await page.waitForFunction(() => document.title === 'done');
  await context.close();
  return errors.list;
}

describe('collectErrors', () => {
  it('passes the failures named by URL and status, and reports the rest: a missing script, another status, a hydration mismatch', async () => {
    const list = await load([
      { url: '/api/v1/auth/me', status: 401 },
      // The right URL with another status than the one it answers: still an error.
      { url: '/api/v1/tracks?limit=24', status: 404 },
    ]);
    expect(list.some((e) => e.includes('/api/v1/auth/me'))).toBe(false);
    expect(list.filter((e) => e.includes('/_next/static/chunks/missing.js')).length).toBeGreaterThan(0);
    expect(list.filter((e) => e.startsWith('response: 500 GET') && e.includes('/api/v1/tracks?limit=24'))).toHaveLength(
      1,
    );
    expect(list.filter(isHydrationMismatch)).toHaveLength(1);
  });

  it('reports every failure when none is expected', async () => {
    const list = await load([]);
    expect(list.filter((e) => e.startsWith('response: '))).toEqual([
      expect.stringContaining(`response: 404 GET ${base}/_next/static/chunks/missing.js`),
      expect.stringContaining(`response: 401 GET ${base}/api/v1/auth/me`),
      expect.stringContaining(`response: 500 GET ${base}/api/v1/tracks?limit=24`),
    ]);
  });
});
