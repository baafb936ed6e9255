/**
 * The web app shell in a real browser, against the real platform (embedded mode in this process: the API,
 * the worker and the built Next.js app; see platform-fixture.ts). Nothing answers in the API's place: the
 * empty state is the platform before any upload, the cards are tracks uploaded and processed through the
 * API. Where a test needs the API slower, failing or paging sooner, Playwright holds or rewrites the
 * browser's request and the real API still answers it.
 */
import path from 'node:path';
import type { Browser, Page, Route } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { closeAfterAll } from '../support/lifecycle.ts';
import { generateTone, renderLavfi } from '../support/audio.ts';
import { launchBrowser, openContext, screenshot } from '../support/browser.ts';
import { collectErrors, type ExpectedFailure } from '../support/page-errors.ts';
import { reportPagesOnFailure } from '../support/page-report.ts';
import { register, startPlatform, uploadReadyTrack } from './platform-fixture.ts';
import type { RunningPlatform, UploadedTrack } from './platform-fixture.ts';

let platform: RunningPlatform;
let baseUrl: string;
let browser: Browser;
/** The track list requests the page made (as the browser sent them). */
const apiRequests: URL[] = [];

reportPagesOnFailure();

beforeAll(async () => {
  platform = await startPlatform();
  baseUrl = platform.base;
  browser = await launchBrowser();
}, 600_000);

closeAfterAll(() => [browser, platform]);

/** Uploads the two tracks of the home page: "Night Bus Home" (no artwork), then "Low Tide Signals" (with a cover, so first). */
async function uploadFeed(): Promise<{ lowTide: UploadedTrack; nightBus: UploadedTrack }> {
  const marisol = await register(baseUrl, 'marisol-vega', 'artist');
  const okapi = await register(baseUrl, 'okapi-collective', 'artist');
  const nightBusFile = await generateTone(path.join(platform.dataDir, 'night-bus.flac'), { seconds: 12, freq: 330 });
  const nightBus = await uploadReadyTrack(baseUrl, okapi.token, nightBusFile, 'Night Bus Home');
  const cover = path.join(platform.dataDir, 'cover.png');
  await renderLavfi('testsrc=size=600x600:rate=1', cover, ['-frames:v', '1']);
  const lowTideFile = await generateTone(path.join(platform.dataDir, 'low-tide.flac'), {
    seconds: 5,
    freq: 550,
    extraArgs: ['-i', cover, '-map', '0:a', '-map', '1:v', '-c:v', 'png', '-disposition:v', 'attached_pic'],
  });
  const lowTide = await uploadReadyTrack(baseUrl, marisol.token, lowTideFile, 'Low Tide Signals');
  return { lowTide, nightBus };
}

type RouteTracks = (route: Route, url: URL) => Promise<void>;

/**
 * Opens the home page. `routeTracks`, when given, sees each track list request first (to hold,
 * rewrite or pass it on to the real API).
 */
async function openHome(
  options: {
    viewport?: { width: number; height: number };
    expected?: ExpectedFailure[];
    routeTracks?: RouteTracks;
  } = {},
): Promise<{ page: Page; errors: string[] }> {
  apiRequests.length = 0;
  const context = await openContext(browser, { viewport: options.viewport ?? { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = collectErrors(page, options.expected ?? []).list;
  await page.route(
    (url) => url.pathname === '/api/v1/tracks',
    async (route) => {
      const url = new URL(route.request().url());
      apiRequests.push(new URL(url.href));
      if (options.routeTracks) await options.routeTracks(route, url);
      else await route.continue();
    },
  );
  const response = await page.goto(`${baseUrl}/`);
  expect(response?.status()).toBe(200);
  return { page, errors };
}

describe('web shell: before any upload', () => {
  it('shows an empty state when there are no tracks', async () => {
    const { page, errors } = await openHome();
    const empty = page.getByTestId('feed-empty');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('No tracks yet — artists, upload the first one');
    expect(await page.getByTestId('track-card').count()).toBe(0);
    expect(apiRequests.map((u) => u.search)).toEqual(['?limit=24']);
    expect(errors).toEqual([]);
    await screenshot(page, 'home-empty');
    await page.context().close();
  });
});

describe('web shell: home page', () => {
  let lowTide: UploadedTrack;

  beforeAll(async () => {
    ({ lowTide } = await uploadFeed());
  }, 600_000);

  it('renders the header, hero, track cards and footer', async () => {
    const { page, errors } = await openHome();

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

    // Newest first: "Low Tide Signals" (5 s, with its cover extracted by the worker).
    const first = cards.nth(0);
    expect(await first.getByRole('heading', { level: 3 }).textContent()).toBe('Low Tide Signals');
    expect(await first.getByRole('link', { name: 'Marisol Vega' }).getAttribute('href')).toBe('/marisol-vega');
    expect(await first.getByRole('link', { name: 'Low Tide Signals' }).getAttribute('href')).toBe(
      `/marisol-vega/${lowTide.slug}`,
    );
    expect(await first.getByTestId('track-duration').textContent()).toBe('0:05');
    expect(await first.getByTestId('track-duration').getAttribute('datetime')).toBe('PT5S');
    expect(await first.locator('time:not([data-testid])').textContent()).toBe('just now');
    const artwork = first.getByRole('img', { name: 'Artwork for Low Tide Signals by Marisol Vega' });
    await expect
      .poll(() => artwork.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
      .toBe(true);

    const second = cards.nth(1);
    expect(await second.getByRole('heading', { level: 3 }).textContent()).toBe('Night Bus Home');
    expect(await second.getByRole('link', { name: 'Okapi Collective' }).count()).toBe(1);
    expect(await second.getByTestId('track-duration').textContent()).toBe('0:12');
    expect(await second.getByRole('img', { name: 'No artwork for Night Bus Home' }).count()).toBe(1);

    await expect(page.getByRole('contentinfo').textContent()).resolves.toContain('Earshot');
    expect(apiRequests.map((u) => u.search)).toEqual(['?limit=24']);
    expect(errors).toEqual([]);

    await screenshot(page, 'home');
    await page.context().close();
  });

  it('lays out on a phone-sized screen', async () => {
    const { page, errors } = await openHome({ viewport: { width: 390, height: 844 } });
    await page.getByTestId('track-card').nth(1).waitFor();
    // No horizontal scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await screenshot(page, 'home-mobile');
    await page.context().close();
  });

  it('shows an error state when the API refuses the request, and recovers on retry', async () => {
    // The first request goes to the real API with a limit it refuses (400 and its JSON error);
    // the retry goes through unchanged.
    let refused = false;
    const { page, errors } = await openHome({
      expected: [{ url: /\/api\/v1\/tracks\?limit=(?:24|0)$/, status: 400 }],
      routeTracks: async (route, url) => {
        if (refused) return route.continue();
        refused = true;
        url.searchParams.set('limit', '0');
        const response = await route.fetch({ url: url.href });
        expect(response.status()).toBe(400);
        expect(((await response.json()) as { error: { code: string; message: string } }).error).toMatchObject({
          code: expect.any(String),
          message: expect.any(String),
        });
        await route.fulfill({ response });
      },
    });
    const alert = page.getByTestId('feed-error');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Couldn’t load tracks');
    expect(await alert.textContent()).toContain('The server answered 400');
    expect(await page.getByTestId('track-card').count()).toBe(0);
    await screenshot(page, 'home-error');
    expect(errors).toEqual([]);

    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.getByTestId('track-card').nth(1).waitFor();
    expect(await page.getByTestId('feed-error').count()).toBe(0);
    await page.context().close();
  });

  it('shows a loading skeleton while the request is in flight', async () => {
    // The track list request waits here until the skeleton has been checked, then goes to the API.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const isHeld = new Promise<void>((resolve) => (held = resolve));
    const { page, errors } = await openHome({
      routeTracks: async (route) => {
        held();
        await released;
        await route.continue();
      },
    });
    const busy = page.locator('[aria-busy="true"]');
    await busy.waitFor();
    expect(await page.getByRole('status').textContent()).toBe('Loading tracks…');
    await isHeld;
    await screenshot(page, 'home-loading');
    release();
    await page.getByTestId('track-card').nth(1).waitFor();
    expect(await busy.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('loads the next page with the cursor the API gave', async () => {
    // The page asks for 24; the API is asked for 1 per page, so two tracks make two pages. The
    // cursor is the real API's, passed back as the page received it.
    const { page, errors } = await openHome({
      routeTracks: async (route, url) => {
        url.searchParams.set('limit', '1');
        await route.continue({ url: url.href });
      },
    });
    await page.getByTestId('track-card').first().waitFor();
    expect(await page.getByTestId('track-card').count()).toBe(1);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByTestId('track-card').nth(1).waitFor();
    expect(await page.getByTestId('track-card').nth(1).getByRole('heading').textContent()).toBe('Night Bus Home');
    // The second page is the last one: no cursor, no button.
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    expect(await page.getByTestId('track-card').count()).toBe(2);
    expect(apiRequests).toHaveLength(2);
    const [firstRequest, secondRequest] = apiRequests;
    expect(firstRequest!.search).toBe('?limit=24');
    expect(secondRequest!.searchParams.get('limit')).toBe('24');
    expect(secondRequest!.searchParams.get('cursor')).toMatch(/^[\w-]+$/);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('web shell: keyboard', () => {
  it('offers a skip link and visible focus on track cards', async () => {
    const { page, errors } = await openHome();
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
