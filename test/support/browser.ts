/**
 * Browser helpers for end-to-end tests: Playwright (playwright-core, no bundled browsers) driving the
 * system Chromium. Nothing here downloads a browser; set CHROMIUM_PATH to use another binary.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Screenshots land here (git-ignored). */
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'screenshots');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/**
 * Launches Chromium. Playwright's `launch` gives every browser a fresh, throw-away user-data dir
 * (created in the OS temp dir and removed on close), so no state leaks between runs.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

export interface OpenContextOptions extends BrowserContextOptions {
  /**
   * Abort every request that does not go to one of these hosts (default: loopback only), so a page that
   * reaches for the internet fails loudly in tests instead of hanging on a machine without network.
   */
  allowHosts?: string[];
}

/**
 * A new isolated context (cookies, storage) with network requests limited to loopback by default.
 * Reduced motion is on by default so smooth scrolling and animations don't make screenshots flaky.
 */
export async function openContext(browser: Browser, options: OpenContextOptions = {}): Promise<BrowserContext> {
  const { allowHosts = ['127.0.0.1', 'localhost', '[::1]'], ...contextOptions } = options;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce', ...contextOptions });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || allowHosts.includes(url.hostname)) return route.continue();
    return route.abort('blockedbyclient');
  });
  return context;
}

/**
 * React's hydration mismatch as a production build reports it (error #418: the first client render did
 * not match the server's HTML; React throws the server DOM away and renders on the client).
 *
 * Under CPU starvation (a loaded CI machine) Next.js 15.5 pages can raise it on a first, uncached load even
 * though the HTML is byte-identical and nothing touched the DOM before hydration — reproduced with the root
 * layout reduced to `<main>{children}</main>`, so it is a framework race rather than a divergence in our
 * components. A real divergence happens on every load: `hydrationAttempts` tells the two apart.
 */
export function isHydrationMismatch(error: string): boolean {
  return /Minified React error #418\b/.test(error);
}

/**
 * Collects uncaught page errors and console errors, for asserting that a page ran cleanly. Hydration
 * mismatches are left to `hydrationAttempts` (see `isHydrationMismatch`) unless `hydration: 'record'`.
 */
export function collectErrors(page: Page, options: { hydration?: 'record' | 'leave' } = {}): string[] {
  const errors: string[] = [];
  const keep = (text: string) => options.hydration === 'record' || !isHydrationMismatch(text);
  page.on('pageerror', (err) => {
    if (keep(err.message)) errors.push(`pageerror: ${err.message}`);
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error' || !keep(msg.text())) return;
    const where = msg.location().url;
    errors.push(`console: ${msg.text()}${where ? ` (${where})` : ''}`);
  });
  return errors;
}

/**
 * Loads `url` in fresh contexts (nothing cached, signed out) until one load hydrates without a mismatch,
 * at most `attempts` times, and returns the errors of every load made. A page whose server HTML and first
 * client render really differ fails every attempt; the framework race of `isHydrationMismatch` does not.
 */
export async function hydrationAttempts(browser: Browser, url: string, attempts = 4): Promise<string[][]> {
  const runs: string[][] = [];
  for (let i = 0; i < attempts; i++) {
    const context = await openContext(browser);
    const page = await context.newPage();
    const errors = collectErrors(page, { hydration: 'record' });
    await page.goto(url);
    await page.waitForLoadState('networkidle');
    // Next.js marks the end of hydration by inserting its route announcer.
    await page.locator('next-route-announcer').waitFor({ state: 'attached' });
    await context.close();
    runs.push(errors);
    if (!errors.some(isHydrationMismatch)) break;
  }
  return runs;
}

/**
 * Saves a PNG to `<repo>/screenshots/<name>.png` and returns its path. Full page by default; pass
 * `{ fullPage: false }` for just the viewport (full-page shots of a scrolled page misplace sticky headers).
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true });
  return file;
}
