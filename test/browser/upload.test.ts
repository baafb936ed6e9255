/**
 * The upload page end to end, in Chromium against the real platform (embedded mode, in this process):
 * an artist's browser session picks a generated FLAC and drops a file that is not audio, uploads both
 * (XHR with a progress bar each), watches the four processing steps over the WebSocket, and follows the
 * link to the ready track. Also what signed-out visitors and listeners see instead.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { closeAfterAll } from '../support/lifecycle.ts';
import { generateTaggedTone, generateTone } from '../support/audio.ts';
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

closeAfterAll(() => [browser, platform]);

/** A browser context holding `account`'s session cookies (as after signing in). */
const contextFor = (account: Account | null, viewport?: { width: number; height: number }) =>
  contextAs(browser, platform, account, viewport ? { viewport } : {});

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

  it('drops two tagged files: fields from their tags, a number typed while sending is kept, one release after the album in track order, the album on the track page', async () => {
    const tagged = [
      await generateTaggedTone(path.join(platform.dataDir, 'harbour.mp3'), {
        seconds: 3,
        freq: 440,
        metadata: { title: 'Harbour Lights', album: 'Tides', track: '2/2', date: '2019-05-04' },
        cover: true,
      }),
      await generateTaggedTone(path.join(platform.dataDir, 'salt.flac'), {
        seconds: 3,
        freq: 660,
        metadata: { title: 'Salt Road', album: 'Tides', track: '1', date: '2019' },
      }),
    ];
    const { page, errors } = await openUpload(artist);
    // Dropped on the zone, as a person drags files from their folder.
    const payload = await Promise.all(
      tagged.map(async (file) => ({
        name: path.basename(file),
        type: file.endsWith('.mp3') ? 'audio/mpeg' : 'audio/flac',
        base64: (await readFile(file)).toString('base64'),
      })),
    );
    const dataTransfer = await page.evaluateHandle((list) => {
      const dt = new DataTransfer();
      for (const f of list)
        dt.items.add(new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
      return dt;
    }, payload);
    await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer });
    const items = page.getByTestId('upload-item');
    const harbour = items.nth(0);
    const salt = items.nth(1);
    await expect.poll(() => harbour.getByTestId('upload-title').inputValue()).toBe('Harbour Lights');
    await expect.poll(() => salt.getByTestId('upload-title').inputValue()).toBe('Salt Road');
    expect(await harbour.getByTestId('upload-track-number').inputValue()).toBe('2');
    expect(await salt.getByTestId('upload-track-number').inputValue()).toBe('1');
    expect(await harbour.getByTestId('upload-facts').textContent()).toContain('Tides · 2019');
    await harbour.getByTestId('upload-cover').waitFor();
    expect(await harbour.getByTestId('upload-keep-cover').isChecked()).toBe(true);
    expect(await salt.getByTestId('upload-cover').count()).toBe(0);
    // The release on offer: titled after the album, in track-number order.
    expect(await page.getByTestId('release-title-input').inputValue()).toBe('Tides');
    expect(await page.getByTestId('release-order').locator('li').allTextContents()).toEqual([
      'Salt Road',
      'Harbour Lights',
    ]);
    // Every field is labelled.
    expect(await harbour.getByLabel('Track no.').count()).toBe(1);
    await shot(page, 'upload-tags');

    // Sent; a track number typed meanwhile (and left with Tab) is saved once the track exists.
    await page.getByTestId('start-upload').click();
    await harbour.getByTestId('upload-track-number').fill('3');
    await harbour.getByTestId('upload-track-number').press('Tab');
    await page.getByTestId('make-release').click();
    await page.getByTestId('release-link').waitFor();
    const mine = async () =>
      (
        (await (
          await fetch(`${platform.base}/api/v1/me/tracks`, { headers: { authorization: `Bearer ${artist.token}` } })
        ).json()) as {
          items: Array<{ title: string; trackNumber: number | null; album: string | null; year: number | null }>;
        }
      ).items;
    await expect
      .poll(async () => (await mine()).find((t) => t.title === 'Harbour Lights')?.trackNumber, { interval: 200 })
      .toBe(3);
    const tides = (await mine()).filter((t) => t.title === 'Harbour Lights' || t.title === 'Salt Road');
    expect(tides.map((t) => [t.title, t.album]).sort()).toEqual([
      ['Harbour Lights', 'Tides'],
      ['Salt Road', 'Tides'],
    ]);

    await page.getByTestId('release-link').click();
    await page.getByTestId('release-title').waitFor();
    expect(await page.getByTestId('release-title').textContent()).toBe('Tides');
    await expect
      .poll(() => page.getByTestId('tracklist-row').allTextContents())
      .toEqual([expect.stringContaining('Salt Road'), expect.stringContaining('Harbour Lights')]);
    const releasePath = new URL(page.url()).pathname;

    // The track page after: album (to its release), track number, year.
    await page.goto(`${platform.base}/upload-artist/harbour-lights`);
    const album = page.getByTestId('track-album');
    await album.waitFor();
    expect(await album.locator('span').allTextContents()).toEqual(['Tides', 'Track 3', '2019']);
    expect(await page.getByTestId('track-album-link').getAttribute('href')).toBe(releasePath);
    await shot(page, 'upload-track-album');
    expect(errors.list).toEqual([]);

    const phone = await contextFor(artist, { width: 390, height: 844 });
    const p = await phone.newPage();
    await p.goto(`${platform.base}/upload-artist/harbour-lights`);
    await p.getByTestId('track-album').waitFor();
    await shot(p, 'upload-track-album-phone');
    await p.goto(`${platform.base}/studio`);
    await p.getByLabel('Album of Harbour Lights').waitFor();
    expect(await p.getByLabel('Track number of Harbour Lights').inputValue()).toBe('3');
    // Edited in place, by keyboard: a year out of range is said and not sent; a good one is saved.
    const year = p.getByLabel('Year of Harbour Lights');
    await year.fill('12');
    await year.press('Enter');
    await p.getByRole('alert').filter({ hasText: 'Year is a whole number from 1000 to 2999' }).waitFor();
    await year.fill('2020');
    await year.press('Enter');
    await p.getByText('Saved').waitFor();
    const albumField = p.getByLabel('Album of Harbour Lights');
    await albumField.fill('Tides (Deluxe)');
    await albumField.press('Tab');
    await expect
      .poll(async () => {
        const t = (await mine()).find((x) => x.title === 'Harbour Lights');
        return [t?.album, t?.year];
      })
      .toEqual(['Tides (Deluxe)', 2020]);
    await shot(p, 'upload-studio-phone');
    await phone.close();
    await page.context().close();
  }, 240_000);
});
