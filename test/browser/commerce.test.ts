/**
 * Buying end to end, in Chromium against the real platform (embedded mode) and the loopback Stripe
 * server (the real `stripe` SDK pointed at it by STRIPE_API_URL): a guest names a price in the
 * track page's buy box, pays on the loopback Checkout page, lands on the thank-you page which turns
 * to "paid" once the signed webhook has been applied; then a release is bought with a
 * pay-what-you-want amount, its ZIP downloaded (formats made by the worker on request) and every
 * track found in it.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { closeAfterAll } from '../support/lifecycle.ts';
import { generateTone } from '../support/audio.ts';
import { launchBrowser, openContext, screenshot } from '../support/browser.ts';
import { collectErrors } from '../support/page-errors.ts';
import { reportPagesOnFailure } from '../support/page-report.ts';
import { startLoopbackStripe, stripeEnv, type LoopbackStripe } from '../support/stripe-loopback.ts';
import { createRelease, priceTrack } from '../support/commerce.ts';
import { contextAs, register, startPlatform, uploadTrack, waitUntilReady } from './platform-fixture.ts';
import type { Account, RunningPlatform, UploadedTrack } from './platform-fixture.ts';

const run = promisify(execFile);
let platform: RunningPlatform;
let stripe: LoopbackStripe;
let browser: Browser;
const tracks: UploadedTrack[] = [];
let shopArtist: Account;

reportPagesOnFailure();

beforeAll(async () => {
  stripe = await startLoopbackStripe();
  platform = await startPlatform({ ...stripeEnv(stripe), STRIPE_PUBLISHABLE_KEY: 'pk_test_loopback' });
  stripe.webhookUrl = `${platform.base}/api/v1/stripe/webhook`;
  const artist = await register(platform.base, 'shop-artist', 'artist');
  shopArtist = artist;
  for (const [i, title] of ['Morning Drive', 'Noon Heat', 'Night Swim'].entries()) {
    const file = await generateTone(path.join(platform.dataDir, `t${i}.flac`), { seconds: 3, freq: 300 + i * 100 });
    tracks.push(await uploadTrack(platform.base, artist.token, file, title));
  }
  for (const [i, t] of tracks.entries()) tracks[i] = await waitUntilReady(platform.base, artist.token, t.id);
  const db = platform.infra.database.db;
  await priceTrack(db, tracks[0]!.id, { amountMinor: 300, currency: 'usd', pwyw: true });
  await createRelease(
    db,
    artist.user.id,
    'Day Cycle',
    tracks.map((t) => t.id),
    { amountMinor: 500, currency: 'usd', pwyw: true },
  );
  browser = await launchBrowser();
}, 600_000);

closeAfterAll(() => [browser, platform, stripe]);

/** The sizes the pages are checked at, by name. */
const VIEWPORTS = [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
] as const;

/** A new context of `account` (null: a guest) at `viewport`, and a page of it, its errors collected, opened at `address`. */
async function openAt(account: Account | null, viewport: { width: number; height: number }, address: string) {
  const context = await contextAs(browser, platform, account, { viewport });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${platform.base}${address}`);
  return { context, page, errors };
}

describe('buying', () => {
  it('a guest names a price on the track page, pays through Stripe Checkout, and the thank-you page turns to paid live', async () => {
    for (const [name, viewport] of VIEWPORTS) {
      const { context, page, errors } = await openAt(null, viewport, `/${tracks[0]!.artist.handle}/${tracks[0]!.slug}`);
      const box = page.getByTestId('buy-box');
      await expect(box.getByTestId('buy-price').textContent()).resolves.toBe('3.00 USD or more');
      await screenshot(page, `commerce-track-buy-box-${name}`);
      if (name === 'phone') {
        await context.close();
        continue;
      }
      await box.getByLabel('Your price (USD)').fill('2');
      await box.getByRole('button', { name: 'Buy this track' }).click();
      await expect(box.getByRole('alert').textContent()).resolves.toContain('minimum');
      await box.getByLabel('Your price (USD)').fill('4.50');
      await box.getByLabel(/Email for the receipt/).fill('guest.buyer@example.com');
      await box.getByLabel(/Share my email with the artist/).check();
      await box.getByRole('button', { name: 'Buy this track' }).press('Enter');
      await page.waitForURL(/\/pay\/cs_/);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Pay 4.50 USD');
      await page.getByRole('button', { name: 'Pay' }).click();
      await page.waitForURL(/\/thanks\?session=cs_/);
      await page.getByTestId('thanks-paid').waitFor();
      await expect(page.getByTestId('thanks-paid').textContent()).resolves.toContain('4.50 USD');
      await screenshot(page, 'commerce-thanks-desktop');
      expect(errors.list).toEqual([]);
      await context.close();
    }
  });

  it('buys a release with a pay-what-you-want amount, downloads its ZIP from the thank-you page, and finds every track in it', async () => {
    const context = await openContext(browser);
    const page = await context.newPage();
    await page.goto(`${platform.base}/`);
    const releaseId = String(
      (await platform.infra.database.db.selectFrom('releases').select('id').executeTakeFirstOrThrow()).id,
    );
    // The release page belongs to the catalogue; the checkout call is the one its buy box makes.
    const url = await page.evaluate(async (id) => {
      const res = await fetch('/api/v1/checkout', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          item: { type: 'release', id },
          amountMinor: 777,
          currency: 'USD',
          email: 'zip.buyer@example.com',
        }),
      });
      return ((await res.json()) as { url: string }).url;
    }, releaseId);
    await page.goto(url);
    await page.getByRole('button', { name: 'Pay' }).click();
    await page.waitForURL(/\/thanks\?session=cs_/);
    await page.getByTestId('thanks-paid').waitFor();
    const downloadPromise = page.waitForEvent('download', { timeout: 180_000 });
    await page.getByRole('button', { name: 'MP3 320' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Preparing|started/ })
      .first()
      .waitFor();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toMatch(/Day Cycle \(MP3 320\)\.zip$/);
    const file = path.join(platform.dataDir, 'release.zip');
    await download.saveAs(file);
    const { stdout } = await run('unzip', ['-Z1', file]);
    expect(stdout.trim().split('\n')).toEqual(['01 - Morning Drive.mp3', '02 - Noon Heat.mp3', '03 - Night Swim.mp3']);
    await run('unzip', ['-tq', file]);
    await screenshot(page, 'commerce-thanks-release-downloaded');
    await context.close();
  });

  it('a release page announces its Open Graph, Twitter player card and oEmbed', async () => {
    const context = await openContext(browser);
    const page = await context.newPage();
    const releaseId = String(
      (await platform.infra.database.db.selectFrom('releases').select('id').executeTakeFirstOrThrow()).id,
    );
    await page.goto(`${platform.base}/release/${releaseId}`);
    expect(await page.locator('meta[property="og:title"]').getAttribute('content')).toBe('Day Cycle by Shop Artist');
    expect(await page.locator('meta[property="og:type"]').getAttribute('content')).toBe('music.album');
    expect(await page.locator('meta[name="twitter:card"]').getAttribute('content')).toBe('player');
    expect(await page.locator('meta[name="twitter:player"]').getAttribute('content')).toContain(
      `/embed/release/${releaseId}`,
    );
    const oembed = await page.locator('link[type="application/json+oembed"]').getAttribute('href');
    const asked = new URL(oembed!, platform.base);
    const res = await page.request.get(`${platform.base}${asked.pathname}${asked.search}`);
    expect(res.status()).toBe(200);
    expect(((await res.json()) as { html: string }).html).toContain(`/embed/release/${releaseId}`);
    await context.close();
  });

  it('the artist sees the buyer who shared their email on /buyers (not the one who did not) and downloads the CSV', async () => {
    for (const [name, viewport] of VIEWPORTS) {
      const { context, page, errors } = await openAt(shopArtist, viewport, '/buyers');
      const row = page.getByTestId('buyer-row').filter({ hasText: 'guest.buyer@example.com' });
      await row.waitFor();
      expect(await row.textContent()).toContain('Morning Drive');
      expect(await page.getByTestId('buyers').textContent()).not.toContain('zip.buyer@example.com');
      await screenshot(page, `commerce-buyers-${name}`);
      if (name === 'desktop') {
        const downloadPromise = page.waitForEvent('download');
        await page.getByRole('link', { name: 'Download as CSV' }).click();
        const download = await downloadPromise;
        expect(download.suggestedFilename()).toBe('buyers.csv');
        const file = path.join(platform.dataDir, 'buyers.csv');
        await download.saveAs(file);
        const csv = await readFile(file, 'utf8');
        expect(csv.split('\r\n')[0]).toBe('name,email,item type,item,amount,currency,date');
        expect(csv).toContain('guest.buyer@example.com');
        expect(csv).not.toContain('zip.buyer@example.com');
      }
      expect(errors.list).toEqual([]);
      await context.close();
    }
  });

  it('the guest signs up with the email they paid with: the release is in their collection, with its history', async () => {
    const account = await register(platform.base, 'zip-buyer', 'listener');
    // The address is verified (the mail link is tested in the accounts suite): only then does a guest order join the account.
    await platform.infra.database.db
      .updateTable('users')
      .set({ email: 'zip.buyer@example.com', email_verified_at: new Date() })
      .where('id', '=', account.user.id)
      .execute();
    for (const [name, viewport] of VIEWPORTS) {
      const { context, page, errors } = await openAt(account, viewport, '/collection');
      const item = page.getByTestId('collection-item');
      await item.first().waitFor();
      expect(await item.count()).toBe(1);
      expect(await item.first().textContent()).toContain('Day Cycle');
      expect(await item.first().getByRole('button').allTextContents()).toEqual([
        'FLAC',
        'WAV',
        'MP3 320',
        'MP3 V0',
        'AAC 256',
        'Opus 160',
      ]);
      expect(await page.getByRole('table').textContent()).toContain('7.77 USD');
      await screenshot(page, `commerce-collection-${name}`);
      expect(errors.list).toEqual([]);
      await context.close();
    }
  });
});
