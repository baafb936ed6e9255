/**
 * The web app shell in a real browser. The built Next.js app (apps/web) is served through Next's programmatic
 * request handler — the same way embedded mode mounts it — inside a plain Node http server that also plays the
 * API: `/api/v1/tracks` answers from fixtures chosen per test, everything else goes to Next.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openContext, screenshot } from '../support/browser.ts';
import { collectErrors, type ExpectedFailure } from '../support/page-errors.ts';
import { reportPagesOnFailure } from '../support/page-report.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WEB_DIR = path.join(REPO_ROOT, 'apps', 'web');
const requireFromWeb = createRequire(path.join(WEB_DIR, 'package.json'));

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
interface NextApp {
  prepare(): Promise<void>;
  getRequestHandler(): Handler;
  close(): Promise<void>;
}

const DAY = 24 * 3600 * 1000;
const TRACKS = [
  {
    id: 'trk_low_tide',
    title: 'Low Tide Signals',
    slug: 'low-tide-signals',
    artist: { handle: 'marisol', displayName: 'Marisol Vega' },
    artworkUrl: '/images/test/low-tide.svg',
    durationMs: 205_000,
    createdAt: new Date(Date.now() - 2 * DAY).toISOString(),
  },
  {
    id: 'trk_night_bus',
    title: 'Night Bus Home',
    slug: 'night-bus-home',
    artist: { handle: 'okapi', displayName: 'Okapi Collective' },
    artworkUrl: null,
    durationMs: 342_000,
    createdAt: new Date(Date.now() - 5 * 3600 * 1000).toISOString(),
  },
];
const MORE_TRACK = {
  id: 'trk_glass',
  title: 'Glass Harbour',
  slug: 'glass-harbour',
  artist: { handle: 'fenn', displayName: 'Fenn' },
  artworkUrl: null,
  durationMs: 61_000,
  createdAt: new Date(Date.now() - 40 * DAY).toISOString(),
};

const ARTWORK_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 300"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#2b5876"/><stop offset="1" stop-color="#4e4376"/></linearGradient></defs><rect width="300" height="300" fill="url(#g)"/><circle cx="210" cy="90" r="46" fill="#f6d365" opacity=".85"/><path d="M0 210 Q75 170 150 210 T300 210 V300 H0Z" fill="#0b1d2a" opacity=".8"/></svg>`;

/** What the stub API does for the current test. */
let apiMode: 'ok' | 'error' | 'empty' | 'paged' | 'held' = 'ok';
/** In 'held' mode the tracks request waits until this is called. */
let releaseHeld: (() => void) | null = null;
const apiRequests: URL[] = [];

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function answerTracks(url: URL, res: ServerResponse) {
  apiRequests.push(url);
  switch (apiMode) {
    case 'error':
      return json(res, 500, { error: 'Internal Server Error', message: 'database unavailable' });
    case 'empty':
      return json(res, 200, { tracks: [], nextCursor: null });
    case 'held':
      releaseHeld = () => json(res, 200, { tracks: TRACKS, nextCursor: null });
      return;
    case 'paged':
      return url.searchParams.get('cursor') === 'page-2'
        ? json(res, 200, { tracks: [MORE_TRACK], nextCursor: null })
        : json(res, 200, { tracks: TRACKS, nextCursor: 'page-2' });
    default:
      return json(res, 200, { tracks: TRACKS, nextCursor: null });
  }
}

/** Runs `next build` for the web app; only used when no build exists yet. */
function buildWebApp(): Promise<void> {
  const nextBin = requireFromWeb.resolve('next/dist/bin/next');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build'], {
      cwd: WEB_DIR,
      env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`next build failed (exit ${code}):\n${output}`))));
  });
}

let app: NextApp;
let server: http.Server;
let baseUrl: string;
let browser: Browser;

reportPagesOnFailure();

beforeAll(async () => {
  process.env.NEXT_TELEMETRY_DISABLED = '1';
  if (!existsSync(path.join(WEB_DIR, '.next', 'BUILD_ID'))) await buildWebApp();

  const next = requireFromWeb('next') as (options: { dev: boolean; dir: string; quiet?: boolean; customServer?: boolean }) => NextApp;
  app = next({ dev: false, dir: WEB_DIR, quiet: true, customServer: true });
  await app.prepare();
  const handle = app.getRequestHandler();

  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/api/v1/tracks') return answerTracks(url, res);
    if (url.pathname === '/images/test/low-tide.svg') {
      res.writeHead(200, { 'content-type': 'image/svg+xml' });
      return res.end(ARTWORK_SVG);
    }
    handle(req, res).catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await app?.close();
});

async function openHome(mode: typeof apiMode, viewport = { width: 1280, height: 800 }): Promise<{ page: Page; errors: string[] }> {
  apiMode = mode;
  apiRequests.length = 0;
  const context = await openContext(browser, { viewport });
  const page = await context.newPage();
  // In 'error' mode the stub API fails the track list; nothing else may fail.
  const expected: ExpectedFailure[] = mode === 'error' ? [{ url: '/api/v1/tracks?limit=24', status: 500 }] : [];
  const errors = collectErrors(page, expected).list;
  const response = await page.goto(`${baseUrl}/`);
  expect(response?.status()).toBe(200);
  return { page, errors };
}

describe('web shell: home page', () => {
  it('renders the header, hero, track cards and footer', async () => {
    const { page, errors } = await openHome('ok');

    const header = page.getByRole('banner');
    expect(await header.getByRole('link', { name: 'Earshot, home' }).count()).toBe(1);
    const mainNav = page.getByRole('navigation', { name: 'Main' });
    expect(await mainNav.getByRole('link', { name: 'Home' }).getAttribute('aria-current')).toBe('page');
    const account = page.getByRole('navigation', { name: 'Account' });
    expect(await account.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe('/login');
    expect(await account.getByRole('link', { name: 'Register' }).getAttribute('href')).toBe('/register');

    const hero = page.getByRole('heading', { level: 1 });
    expect(await hero.textContent()).toContain('Listen closely.');
    expect(await page.locator('.hero__lede').textContent()).toMatch(/^Earshot is a home for independent music/);

    const cards = page.getByTestId('track-card');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(2);

    const first = cards.nth(0);
    expect(await first.getByRole('heading', { level: 3 }).textContent()).toBe('Low Tide Signals');
    expect(await first.getByRole('link', { name: 'Marisol Vega' }).getAttribute('href')).toBe('/marisol');
    expect(await first.getByRole('link', { name: 'Low Tide Signals' }).getAttribute('href')).toBe('/marisol/low-tide-signals');
    expect(await first.getByTestId('track-duration').textContent()).toBe('3:25');
    expect(await first.getByTestId('track-duration').getAttribute('datetime')).toBe('PT205S');
    expect(await first.locator('time:not([data-testid])').textContent()).toBe('2 days ago');
    const artwork = first.getByRole('img', { name: 'Artwork for Low Tide Signals by Marisol Vega' });
    await expect.poll(() => artwork.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

    const second = cards.nth(1);
    expect(await second.getByRole('heading', { level: 3 }).textContent()).toBe('Night Bus Home');
    expect(await second.getByRole('link', { name: 'Okapi Collective' }).count()).toBe(1);
    expect(await second.getByTestId('track-duration').textContent()).toBe('5:42');
    expect(await second.getByRole('img', { name: 'No artwork for Night Bus Home' }).count()).toBe(1);

    await expect(page.getByRole('contentinfo').textContent()).resolves.toContain('Earshot');
    expect(apiRequests.map((u) => u.search)).toEqual(['?limit=24']);
    expect(errors).toEqual([]);

    await screenshot(page, 'home');
    await page.context().close();
  });

  it('lays out on a phone-sized screen', async () => {
    const { page, errors } = await openHome('ok', { width: 390, height: 844 });
    await page.getByTestId('track-card').nth(1).waitFor();
    // No horizontal scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await screenshot(page, 'home-mobile');
    await page.context().close();
  });

  it('shows an error state when the API fails, and recovers on retry', async () => {
    const { page, errors } = await openHome('error');
    const alert = page.getByTestId('feed-error');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Couldn’t load tracks');
    expect(await alert.textContent()).toContain('The server answered 500');
    expect(await page.getByTestId('track-card').count()).toBe(0);
    await screenshot(page, 'home-error');
    expect(errors).toEqual([]);

    apiMode = 'ok';
    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.getByTestId('track-card').nth(1).waitFor();
    expect(await page.getByTestId('feed-error').count()).toBe(0);
    await page.context().close();
  });

  it('shows an empty state when there are no tracks', async () => {
    const { page, errors } = await openHome('empty');
    const empty = page.getByTestId('feed-empty');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('No tracks yet — artists, upload the first one');
    expect(await page.getByTestId('track-card').count()).toBe(0);
    expect(errors).toEqual([]);
    await screenshot(page, 'home-empty');
    await page.context().close();
  });

  it('shows a loading skeleton while the request is in flight', async () => {
    const { page, errors } = await openHome('held');
    const busy = page.locator('[aria-busy="true"]');
    await busy.waitFor();
    expect(await page.getByRole('status').textContent()).toBe('Loading tracks…');
    await expect.poll(() => releaseHeld !== null).toBe(true);
    await screenshot(page, 'home-loading');
    releaseHeld!();
    releaseHeld = null;
    await page.getByTestId('track-card').nth(1).waitFor();
    expect(await busy.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('loads the next page with the cursor', async () => {
    const { page, errors } = await openHome('paged');
    await page.getByTestId('track-card').nth(1).waitFor();
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByTestId('track-card').nth(2).waitFor();
    expect(await page.getByTestId('track-card').nth(2).getByRole('heading').textContent()).toBe('Glass Harbour');
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    expect(apiRequests.map((u) => u.search)).toEqual(['?limit=24', '?limit=24&cursor=page-2']);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('web shell: keyboard', () => {
  it('offers a skip link and visible focus on track cards', async () => {
    const { page, errors } = await openHome('ok');
    await page.getByTestId('track-card').first().waitFor();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    expect((await skip.boundingBox())!.y).toBeGreaterThanOrEqual(0);
    await screenshot(page, 'focus-skip-link', { fullPage: false });

    const title = page.getByRole('link', { name: 'Low Tide Signals' });
    await title.focus();
    const outline = await title.evaluate((el) => getComputedStyle(el, '::after').outlineStyle);
    expect(outline).toBe('solid');
    await screenshot(page, 'focus-card', { fullPage: false });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('web shell: other pages', () => {
  it('answers unknown routes with the not-found page', async () => {
    const context = await openContext(browser);
    const page = await context.newPage();
    const response = await page.goto(`${baseUrl}/no/such/page`);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This page is out of earshot');
    expect(await page.getByRole('banner').count()).toBe(1);
    await screenshot(page, 'not-found');
    await context.close();
  });
});
