/**
 * The artist edits a published track on its page, in Chromium against the real platform (embedded
 * mode): words, genre and tags, a price, downloads, comments, new artwork, a new title (its address
 * follows; the old one still leads there), and a bad price refused at its field. A listener then sees
 * the genre and tag links, the price in the buy box, and comments closed. On a desktop and a phone.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { closeAfterAll } from '../support/lifecycle.ts';
import { generateTone, renderLavfi } from '../support/audio.ts';
import { launchBrowser, screenshot } from '../support/browser.ts';
import { collectErrors } from '../support/page-errors.ts';
import { reportPagesOnFailure } from '../support/page-report.ts';
import { startLoopbackStripe, stripeEnv, type LoopbackStripe } from '../support/stripe-loopback.ts';
import {
  contextAs,
  register,
  startPlatform,
  type Account,
  type RunningPlatform,
  type UploadedTrack,
  uploadReadyTrack,
} from './platform-fixture.ts';

let platform: RunningPlatform;
let browser: Browser;
let artist: Account;
let listener: Account;
let track: UploadedTrack;
let cover: string;
let stripe: LoopbackStripe;

reportPagesOnFailure();

beforeAll(async () => {
  // Payments on (Stripe's wire format on loopback), so a listener is offered the price.
  stripe = await startLoopbackStripe();
  platform = await startPlatform({ ...stripeEnv(stripe), STRIPE_PUBLISHABLE_KEY: 'pk_test_loopback' });
  artist = await register(platform.base, 'edit-artist', 'artist');
  listener = await register(platform.base, 'edit-listener', 'listener');
  const file = await generateTone(path.join(platform.dataDir, 'first_take.flac'), { seconds: 6, freq: 330 });
  cover = await renderLavfi('testsrc=size=400x400:rate=1', path.join(platform.dataDir, 'cover.png'), [
    '-frames:v',
    '1',
  ]);
  track = await uploadReadyTrack(platform.base, artist.token, file, 'First Take');
  browser = await launchBrowser();
}, 600_000);

closeAfterAll(() => [browser, platform, stripe]);

const trackUrl = (slug: string) => `${platform.base}/${artist.user.handle}/${slug}`;

async function readTrack(): Promise<Record<string, unknown>> {
  const res = await fetch(`${platform.base}/api/v1/tracks/${track.id}`, {
    headers: { authorization: `Bearer ${artist.token}` },
  });
  return ((await res.json()) as { track: Record<string, unknown> }).track;
}

async function openEditor(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Edit track' }).click();
  await page.locator('[data-testid="track-editor"][data-hydrated]').waitFor();
}

describe('editing a track on its page', () => {
  it('the artist edits words, price, comments, artwork, title and downloads; a listener sees each', async () => {
    const context = await contextAs(browser, platform, artist, { viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(trackUrl(track.slug));
    await openEditor(page);
    const editor = page.getByTestId('track-editor');

    // A fixed price of 0 is refused in the page, next to its field, and nothing is sent.
    await editor.getByRole('radio', { name: 'Fixed price' }).check();
    await editor.getByLabel('Amount').fill('0');
    await editor.getByRole('button', { name: 'Save' }).click();
    await editor.getByText(/A fixed price is above 0/).waitFor();
    expect(await editor.locator('[aria-invalid="true"]').count()).toBe(1);
    expect((await readTrack()).price).toBeNull();

    await editor.getByLabel('Description').fill('Recorded in one take at the harbour.');
    await editor.getByLabel('Genre').fill('Ambient');
    await editor.getByLabel('Tags').fill('field recording, Harbour , sea');
    await editor.getByLabel('Amount').fill('4,50');
    await editor.getByLabel('Currency').fill('eur');
    await editor.getByLabel('Comments open').uncheck();
    await editor.getByLabel(/^New artwork/).setInputFiles(cover);
    await screenshot(page, 'track-editor-desktop');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => page.getByTestId('edit-track-status').textContent())
      .toBe('Saved, comments closed, artwork replaced.');
    expect(await page.getByTestId('track-editor').count()).toBe(0);
    const saved = await readTrack();
    expect(saved).toMatchObject({
      description: 'Recorded in one take at the harbour.',
      genre: 'ambient',
      tags: ['field recording', 'harbour', 'sea'],
      price: { amountMinor: 450, currency: 'EUR', payWhatYouWant: false },
      downloadable: false,
      commentsClosed: true,
    });
    expect(saved.artworkUrl).toEqual(expect.any(String));
    // The page shows what the API kept (tags folded) without a reload; the artist may still comment.
    expect(await page.getByTestId('track-tags').textContent()).toMatch(/ambient[\s\S]*#field recording[\s\S]*#harbour/);
    expect(await page.getByTestId('comments-closed').textContent()).toMatch(/only you can still post/);
    expect(await page.getByRole('button', { name: 'Post', exact: true }).count()).toBe(1);

    // A listener on a phone: genre and tag links, the price, comments closed, no edit button.
    const listenerContext = await contextAs(browser, platform, listener, { viewport: { width: 390, height: 844 } });
    const phone = await listenerContext.newPage();
    const phoneErrors = collectErrors(phone);
    await phone.goto(trackUrl(track.slug));
    await phone.getByTestId('track-tags').waitFor();
    expect(await phone.getByTestId('edit-track').count()).toBe(0);
    expect(await phone.getByTestId('buy-price').textContent()).toBe('4.50 EUR');
    expect(await phone.getByTestId('comments-closed').textContent()).toBe(
      'The artist has closed comments on this track.',
    );
    expect(await phone.getByRole('button', { name: 'Post', exact: true }).count()).toBe(0);
    expect(await phone.getByRole('link', { name: 'ambient' }).getAttribute('href')).toBe('/genre/ambient');
    expect(await phone.getByRole('link', { name: '#field recording' }).getAttribute('href')).toBe(
      '/tag/field%20recording',
    );
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(phone, 'track-edited-phone');

    // The artist, by keyboard: a new title, not for sale but free to download. The page moves to the new address;
    // the old one still finds the track.
    await page.getByTestId('edit-track').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="track-editor"][data-hydrated]').waitFor();
    await editor.getByLabel('Title').focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('Second Take');
    await editor.getByRole('radio', { name: 'Not for sale' }).focus();
    await page.keyboard.press('Space');
    await editor.getByLabel(/^Free download/).focus();
    await page.keyboard.press('Space');
    await editor.getByRole('button', { name: 'Save' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/second-take$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Second Take');
    expect(await readTrack()).toMatchObject({
      title: 'Second Take',
      slug: 'second-take',
      price: null,
      downloadable: true,
    });
    const old = await fetch(`${platform.base}/api/v1/users/${artist.user.handle}/tracks/${track.slug}`);
    expect(old.status).toBe(200);
    expect(errors.list).toEqual([]);
    await context.close();

    // The listener now downloads it free, and browses the genre from the track.
    await phone.goto(trackUrl('second-take'));
    await phone.getByTestId('download-buttons').waitFor();
    await phone.getByRole('link', { name: 'ambient' }).click();
    await phone.waitForURL(/\/genre\/ambient$/);
    await phone.getByRole('link', { name: 'Second Take' }).first().waitFor();
    expect(phoneErrors.list).toEqual([]);
    await listenerContext.close();
  });

  it('on a phone the editor fits the screen and shows what is saved', async () => {
    const context = await contextAs(browser, platform, artist, { viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    // From the studio: "open and edit" lands on the track page with its editor open.
    await page.goto(`${platform.base}/studio`);
    await page.getByRole('link', { name: /^Open Second Take to edit/ }).click();
    await page.waitForURL(/\/second-take\?edit$/);
    await page.locator('[data-testid="track-editor"][data-hydrated]').waitFor();
    const editor = page.getByTestId('track-editor');
    expect(await editor.getByRole('radio', { name: 'Not for sale' }).isChecked()).toBe(true);
    expect(await editor.getByLabel(/^Free download/).isChecked()).toBe(true);
    // A price again: the download switch is kept as it is while the track is for sale.
    await editor.getByRole('radio', { name: 'Pay what you want' }).check();
    expect(await editor.getByLabel(/^Free download/).count()).toBe(0);
    await editor.getByLabel(/^Minimum/).fill('2');
    expect(await editor.getByLabel('Tags').inputValue()).toBe('field recording, harbour, sea');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await editor.scrollIntoViewIfNeeded();
    await screenshot(page, 'track-editor-phone', { fullPage: false });
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('edit-track-status').textContent()).toBe('Saved.');
    expect(await readTrack()).toMatchObject({
      price: { amountMinor: 200, currency: 'EUR', payWhatYouWant: true },
      downloadable: true,
    });
    // Saving what is there changes nothing and says so.
    await page.getByTestId('edit-track').click();
    await page.getByTestId('track-editor').getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('track-editor').getByText('Nothing changed.').waitFor();
    await context.close();
  });
});
