/**
 * The track page offers play while the version is still being processed, to its owner (whose page,
 * opened right after the upload, learns over the live socket that the stream became playable) and
 * to an anonymous listener, and the player plays the growing stream (docs/performance.md, "Playable
 * in seconds"). A 10-minute master keeps the version processing long enough to open the pages and
 * press play.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { closeAfterAll } from '../support/lifecycle.ts';
import { generateTone } from '../support/audio.ts';
import { launchBrowser, openContext, screenshot } from '../support/browser.ts';
import { register, startPlatform, uploadTrack, type Account, type RunningPlatform } from './platform-fixture.ts';

let platform: RunningPlatform;
let browser: Browser;
let artist: Account;

beforeAll(async () => {
  platform = await startPlatform();
  artist = await register(platform.base, 'grower', 'artist');
  browser = await launchBrowser();
}, 600_000);
closeAfterAll(() => [browser, platform]);

describe('play while processing', () => {
  it('the owner and a listener press play on a track still being processed and hear it', async () => {
    const file = await generateTone(path.join(platform.dataDir, 'long.flac'), { seconds: 600 });
    const track = await uploadTrack(platform.base, artist.token, file, 'Still Growing');

    // The owner's page is opened at once, usually before the provisional master is out: the play
    // button comes when the socket says so, without a reload.
    const context = await openContext(browser);
    await context.addCookies(artist.cookies.map((c) => ({ name: c.name, value: c.value, url: platform.base })));
    const page = await context.newPage();
    let loads = 0;
    page.on('load', () => loads++);
    await page.goto(`${platform.base}/${track.artist.handle}/${track.slug}`);
    // Every share of the width the waveform covered, as the page redrew it (a partial waveform
    // covers the part decoded so far, docs/performance.md "Playable in seconds").
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { coveredSeen: string[] }).coveredSeen = seen;
      const note = () => {
        const v = document.querySelector('[data-testid="waveform"]')?.getAttribute('data-covered');
        if (v && seen.at(-1) !== v) seen.push(v);
      };
      note();
      new MutationObserver(note).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['data-covered'],
      });
    });
    const playableAtLoad = (await page.getByTestId('play-track').count()) > 0;
    await page.getByTestId('play-track').waitFor({ timeout: 120_000 });
    expect(loads, `play was ${playableAtLoad ? 'already' : 'not yet'} offered when the page loaded`).toBe(1);
    const status = await (
      await fetch(`${platform.base}/api/v1/tracks/${track.id}`, {
        headers: { authorization: `Bearer ${artist.token}` },
      })
    ).json();
    // Still processing (a 10-minute master takes far longer than its first segments).
    expect(status.track.latestVersion.status).toBe('processing');
    await expect(page.getByRole('status').filter({ hasText: 'you can already listen' }).count()).resolves.toBe(1);
    // Liking and comments come with the stream; reposting waits for ready.
    await page.getByTestId('like-button').waitFor();
    expect(await page.getByTestId('repost-button').isDisabled()).toBe(true);
    await screenshot(page, 'play-while-processing', { fullPage: false });
    await page.getByTestId('play-track').click();
    await page.waitForFunction(
      () => document.querySelector<HTMLAudioElement>('audio[data-testid="player-audio"]')!.currentTime > 2,
      null,
      { polling: 100 },
    );
    expect(await page.getByTestId('player-bar').getByTestId('player-toggle').getAttribute('aria-label')).toBe('Pause');
    // The bar gives the track's length, not that of the stream encoded so far.
    expect(await page.getByTestId('player-bar').getByTestId('player-duration').textContent()).toBe('10:00');

    // The waveform came while the version was processed, growing (when the page was open before
    // the decode ended) up to the whole track, over the socket and without a reload.
    await page.waitForFunction(
      () => document.querySelector('[data-testid="waveform"]')?.getAttribute('data-covered') === '1.000',
      null,
      { polling: 100, timeout: 120_000 },
    );
    const covered = (await page.evaluate(() => (window as unknown as { coveredSeen: string[] }).coveredSeen)).map(
      Number,
    );
    console.log(`waveform covered, as drawn: ${covered.join(' → ')}`);
    expect(covered.at(-1)).toBe(1);
    for (let i = 1; i < covered.length; i++) expect(covered[i]).toBeGreaterThan(covered[i - 1]!);
    expect(loads).toBe(1);
    await screenshot(page, 'play-while-processing-waveform', { fullPage: false });

    // A listener without an account: the track is public, so its growing stream is theirs too.
    const anonymous = await openContext(browser);
    const listenerPage = await anonymous.newPage();
    await listenerPage.goto(`${platform.base}/${track.artist.handle}/${track.slug}`);
    await expect(listenerPage.getByRole('status').filter({ hasText: 'you can already listen' }).count()).resolves.toBe(
      1,
    );
    await listenerPage.getByTestId('play-track').click();
    await listenerPage.waitForFunction(
      () => document.querySelector<HTMLAudioElement>('audio[data-testid="player-audio"]')!.currentTime > 2,
      null,
      { polling: 100 },
    );
    await anonymous.close();
    await context.close();
  });
});
