/**
 * The upload page end to end, in Chromium against the real platform (embedded mode, in this process):
 * an artist's browser session picks a generated FLAC and drops a file that is not audio, uploads both
 * (XHR with a progress bar each), watches the four processing steps over the WebSocket, and follows the
 * link to the ready track. Also what signed-out visitors and listeners see instead.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTone } from '../support/audio.ts';
import { launchBrowser, screenshot } from '../support/browser.ts';
import { collectErrors, type PageErrors } from '../support/page-errors.ts';
import { reportPagesOnFailure } from '../support/page-report.ts';
import { contextAs, register, startPlatform, type Account, type RunningPlatform } from './platform-fixture.ts';

/** Full-page shots are taken from the top, so the sticky header sits where it belongs. */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, name);
}

let platform: RunningPlatform;
let browser: Browser;
let artist: Account;
let listener: Account;
let toneFile: string;

reportPagesOnFailure();

beforeAll(async () => {
  platform = await startPlatform();
  artist = await register(platform.base, 'upload-artist', 'artist');
  listener = await register(platform.base, 'just-listening', 'listener');
  toneFile = await generateTone(path.join(platform.dataDir, 'evening_sketch-03.flac'), { seconds: 30, freq: 523 });
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

/** A browser context holding `account`'s session cookies (as after signing in). */
const contextFor = (account: Account | null) => contextAs(browser, platform, account);

async function openUpload(account: Account | null): Promise<{ page: Page; errors: PageErrors }> {
  const context = await contextFor(account);
  const page = await context.newPage();
  // Signed out, the page asks who is signed in and is told: nobody.
  const errors = collectErrors(page, account ? [] : [{ url: '/api/v1/auth/me', status: 401 }]);
  const response = await page.goto(`${platform.base}/upload`);
  expect(response?.status()).toBe(200);
  return { page, errors };
}

describe('upload page', () => {
  it('uploads with progress, shows the four steps live, and links to the ready track', async () => {
    const { page, errors } = await openUpload(artist);
    await page.getByTestId('dropzone').waitFor();

    // Pick the master with the file picker…
    await page.getByTestId('file-input').setInputFiles(toneFile);
    // …and drop a file that is not audio onto the zone.
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(4096).fill(7)], 'not_really-audio.wav', { type: 'audio/wav' }));
      const zone = document.querySelector('[data-testid="dropzone"]')!;
      for (const type of ['dragenter', 'dragover', 'drop'])
        zone.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    });

    const items = page.getByTestId('upload-item');
    await items.nth(1).waitFor();
    const master = items.nth(0);
    const bogus = items.nth(1);
    // Titles come from the file's tags, read in the browser, else the file name; they stay
    // editable until the upload starts. This master has no title tag.
    await expect.poll(() => master.getByTestId('upload-title').inputValue()).toBe('evening sketch-03');
    expect(await master.getByTestId('upload-title').getAttribute('placeholder')).toBe('evening sketch-03');
    expect(await bogus.getByTestId('upload-title').getAttribute('placeholder')).toBe('not really-audio');
    await master.getByTestId('upload-title').fill('Evening Sketch');
    await master.getByTestId('upload-visibility').selectOption('unlisted');
    await shot(page, 'upload-ready');

    // Slow the network so the progress bar can be seen moving.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 20,
      downloadThroughput: -1,
      uploadThroughput: 64 * 1024,
    });
    // The file that is not audio is refused.
    errors.expectFailure({ url: '/api/v1/tracks', status: 422 });
    await page.getByTestId('start-upload').click();
    // Progress comes over the WebSocket (polling is only the fallback).
    await page.locator('[data-testid="live-mode"][data-mode="socket"]').waitFor();

    await page.waitForFunction(
      () => {
        const bar = document.querySelector<HTMLProgressElement>(
          '[data-testid="upload-item"]:first-child [data-testid="upload-progress"]',
        );
        return !!bar && bar.value > 0 && bar.value < 100;
      },
      null,
      { polling: 50 },
    );
    await shot(page, 'upload-progress');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });

    // The file that is not audio: the API's reason, and a way to try again.
    await bogus.getByTestId('upload-error').waitFor();
    expect(await bogus.getByTestId('upload-error').textContent()).toMatch(/audio|empty|invalid|recogn/i);

    // The master: four steps, each reaching done, then the link.
    await master.locator('[data-testid="upload-step"]').first().waitFor();
    expect(
      await master.getByTestId('upload-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-step'))),
    ).toEqual(['transcode', 'waveform', 'artwork-extract', 'loudness']);
    const link = master.getByTestId('upload-track-link');
    await link.waitFor();
    expect(await master.locator('[data-testid="upload-step"][data-state="done"]').count()).toBe(4);
    expect(await link.getAttribute('href')).toBe('/upload-artist/evening-sketch');
    await shot(page, 'upload');

    await link.click();
    await page.waitForURL(`${platform.base}/upload-artist/evening-sketch`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Evening Sketch');
    await page.locator('.waveform:not(.waveform--loading)').waitFor();

    expect(errors.list).toEqual([]);
    await page.context().close();
  });

  for (const [what, who, testId, link, href] of [
    ['asks signed-out visitors to sign in', () => null, 'upload-signed-out', 'Sign in', '/login?next=%2Fupload'],
    ['tells listeners how to become an artist', () => listener, 'upload-listener', 'Go to settings', '/settings'],
  ] as const) {
    it(what, async () => {
      const { page, errors } = await openUpload(who());
      const prompt = page.getByTestId(testId);
      await prompt.waitFor();
      expect(await prompt.getByRole('link', { name: link }).getAttribute('href')).toBe(href);
      await shot(page, testId);
      expect(await page.getByTestId('dropzone').count()).toBe(0);
      expect(errors.list).toEqual([]);
      await page.context().close();
    });
  }
});
