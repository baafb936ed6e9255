/**
 * Browser helpers for end-to-end tests: Playwright (playwright-core, no bundled browsers) driving the
 * system Chromium. Nothing here downloads a browser; set CHROMIUM_PATH to use another binary.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { watchContext } from './page-watch.ts';

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
 * Its waits are bounded and its pages' consoles kept for failure reports (page-watch.ts).
 */
export async function openContext(browser: Browser, options: OpenContextOptions = {}): Promise<BrowserContext> {
  const { allowHosts = ['127.0.0.1', 'localhost', '[::1]'], ...contextOptions } = options;
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    reducedMotion: 'reduce',
    ...contextOptions,
  });
  watchContext(context);
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || allowHosts.includes(url.hostname))
      return route.continue();
    return route.abort('blockedbyclient');
  });
  return context;
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
