/**
 * How often each page raises React's hydration mismatch (#418) on a fresh, signed-out load: the
 * measurement behind docs/testing.md, "Hydration checks". Not a test (it takes minutes); rerun it after
 * upgrading Next.js or React, ideally on a loaded machine, where a framework race would show.
 *
 *   npx tsx test/browser/hydration-rate.ts [loads per page, default 20]
 *
 * Exits 1 when any load mismatched, and prints every other error seen on the way.
 */
import { launchBrowser, openContext } from '../support/browser.ts';
import { collectErrors, isHydrationMismatch } from '../support/page-errors.ts';
import { register, startPlatform } from './platform-fixture.ts';

const LOADS = Number(process.argv[2] ?? 20);
if (!Number.isInteger(LOADS) || LOADS < 1)
  throw new Error(`loads per page must be a positive integer, not ${process.argv[2]}`);

/** The pages of the accounts browser test, which checks each of them once. */
const ROUTES = [
  '/',
  '/login',
  '/register?role=artist',
  '/forgot-password',
  '/reset-password?token=abc',
  '/verify-email?token=abc',
  '/settings',
  '/upload',
  '/nadia-okafor',
  '/nobody-by-this-name',
];

const platform = await startPlatform();
const browser = await launchBrowser();
let mismatched = 0;
try {
  await register(platform.base, 'nadia-okafor', 'artist');
  for (const route of ROUTES) {
    let count = 0;
    const other = new Set<string>();
    for (let i = 0; i < LOADS; i++) {
      const context = await openContext(browser);
      const page = await context.newPage();
      const errors = collectErrors(page);
      await page.goto(`${platform.base}${route}`, { waitUntil: 'networkidle' });
      // Next.js marks the end of hydration by inserting its route announcer.
      await page.locator('next-route-announcer').waitFor({ state: 'attached' });
      await context.close();
      if (errors.list.some(isHydrationMismatch)) count++;
      for (const e of errors.list) if (!isHydrationMismatch(e)) other.add(e.replace(/ \(on [^)]*\)$/, ''));
    }
    mismatched += count;
    console.log(
      `${route}: ${count} of ${LOADS} loads mismatched${other.size ? `; other errors: ${[...other].join(' | ')}` : ''}`,
    );
  }
  console.log(`\nin all: ${mismatched} of ${LOADS * ROUTES.length} loads mismatched`);
  if (mismatched > 0) process.exitCode = 1;
} finally {
  await browser.close();
  await platform.close();
}
