/**
 * The owner's track page offers play while the version is still being processed, and the player
 * plays the growing stream (docs/performance.md, "Playable in seconds"). A 10-minute master keeps
 * the version processing long enough to open the page and press play.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

describe('play while processing', () => {
  it('the owner presses play on a track still being processed and hears it', async () => {
    const file = await generateTone(path.join(platform.dataDir, 'long.flac'), { seconds: 600 });
    const track = await uploadTrack(platform.base, artist.token, file, 'Still Growing');
    // The stream is there once the provisional master is published (bounded: the encode's first segments).
    let stream = 404;
    for (let i = 0; i < 600 && stream !== 200; i++) {
      stream = (
        await fetch(`${platform.base}/api/v1/tracks/${track.id}/stream`, {
          headers: { authorization: `Bearer ${artist.token}` },
        })
      ).status;
      if (stream !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(stream).toBe(200);

    const context = await openContext(browser);
    await context.addCookies(artist.cookies.map((c) => ({ name: c.name, value: c.value, url: platform.base })));
    const page = await context.newPage();
    await page.goto(`${platform.base}/${track.artist.handle}/${track.slug}`);
    const status = await (
      await fetch(`${platform.base}/api/v1/tracks/${track.id}`, {
        headers: { authorization: `Bearer ${artist.token}` },
      })
    ).json();
    // Still processing when the page was rendered (a 10-minute master takes far longer than its first segments).
    expect(status.track.latestVersion.status).toBe('processing');
    await expect(page.getByRole('status').filter({ hasText: 'you can already listen' }).count()).resolves.toBe(1);
    await screenshot(page, 'play-while-processing', { fullPage: false });
    await page.getByTestId('play-track').click();
    await page.waitForFunction(
      () => document.querySelector<HTMLAudioElement>('audio[data-testid="player-audio"]')!.currentTime > 2,
      null,
      { polling: 100 },
    );
    expect(await page.getByTestId('player-bar').getByTestId('player-toggle').getAttribute('aria-label')).toBe('Pause');
    await context.close();
  });
});
