/**
 * Every page of a context made by `openContext`: its waits bounded, its console kept, and whether it is
 * still open — for `reportPagesOnFailure` (page-report.ts) to show what the browser showed.
 */
import type { BrowserContext, Page } from 'playwright-core';

/**
 * A bound on every Playwright wait and action: a condition that never comes fails after this long, with
 * Playwright's account of what it waited for, instead of hanging until the test's own timeout. It
 * catches hangs, not slowness: it is far above what any step takes on a loaded machine.
 */
export const BROWSER_WAIT_MS = 60_000;

/** The console lines kept per page (the last ones are what matters in a report). */
export const CONSOLE_LINES = 200;

export const openPages = new Set<Page>();
const consoles = new WeakMap<Page, string[]>();

function log(page: Page, line: string): void {
  const lines = consoles.get(page) ?? [];
  lines.push(line);
  if (lines.length > CONSOLE_LINES) lines.shift();
  consoles.set(page, lines);
}

/** What the page's console said, with its uncaught errors, failed requests and answers, oldest first. */
export function consoleOf(page: Page): readonly string[] {
  return consoles.get(page) ?? [];
}

function watch(page: Page): void {
  openPages.add(page);
  page.on('close', () => openPages.delete(page));
  page.on('console', (msg) => log(page, `${msg.type()}: ${msg.text()}`));
  page.on('pageerror', (err) => log(page, `uncaught: ${err.stack ?? err.message}`));
  page.on('requestfailed', (req) =>
    log(page, `request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText})`),
  );
  // The page's own requests (not the framework's static chunks): what it asked for, and the answers.
  page.on('response', (res) => {
    if (!new URL(res.url()).pathname.startsWith('/_next/static/'))
      log(page, `response: ${res.status()} ${res.request().method()} ${res.url()}`);
  });
}

export function watchContext(context: BrowserContext): void {
  context.setDefaultTimeout(BROWSER_WAIT_MS);
  context.on('page', watch);
}
