/**
 * The library end to end, in Chromium against the real platform (embedded mode): an artist uploads
 * two files and makes them one release, edits the release; a listener adds a track to a new
 * playlist (from the track page), adds the other (from a track card, by keyboard) and one more to a
 * playlist made from the player bar, plays a track from its waveform in the release's tracklist,
 * reorders with the keyboard, searches with a typo; the artist retries a failed track and deletes a
 * track in the studio; the listener then sees the playlist, the release and search without it.
 */
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { closeAfterAll } from '../support/lifecycle.ts';
import { generateTone } from '../support/audio.ts';
import { launchBrowser, screenshot } from '../support/browser.ts';
import { collectErrors } from '../support/page-errors.ts';
import { reportPagesOnFailure } from '../support/page-report.ts';
import {
  contextAs,
  register,
  startPlatform,
  type Account,
  type RunningPlatform,
  waitUntilReady,
} from './platform-fixture.ts';

let platform: RunningPlatform;
let browser: Browser;
let artist: Account;
let listener: Account;
let files: string[];

reportPagesOnFailure();

beforeAll(async () => {
  platform = await startPlatform();
  artist = await register(platform.base, 'tide-artist', 'artist');
  listener = await register(platform.base, 'night-listener', 'listener');
  files = [
    await generateTone(path.join(platform.dataDir, 'harbour_lights.flac'), { seconds: 8, freq: 440 }),
    await generateTone(path.join(platform.dataDir, 'salt_road.flac'), { seconds: 6, freq: 660 }),
  ];
  browser = await launchBrowser();
}, 600_000);

closeAfterAll(() => [browser, platform]);

const contextFor = (account: Account, viewport = { width: 1280, height: 800 }) =>
  contextAs(browser, platform, account, { viewport });

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, name);
}

/** A studio row's Retry and Delete buttons sit on one line (not stacked in a narrow column). */
async function actionsInARow(row: Locator): Promise<boolean> {
  const [retry, del] = await Promise.all([
    row.getByRole('button', { name: /^Retry processing/ }).boundingBox(),
    row.getByRole('button', { name: /^Delete/ }).boundingBox(),
  ]);
  return !!retry && !!del && Math.abs(retry.y - del.y) < 4 && del.x > retry.x;
}

const api = async <T>(account: Account, url: string): Promise<T> =>
  (await (
    await fetch(`${platform.base}${url}`, { headers: { authorization: `Bearer ${account.token}` } })
  ).json()) as T;

describe('library walk', () => {
  it('upload two files as one release → edit it → playlist → reorder → search with a typo → delete a track → what a listener sees', async () => {
    // 1. The artist uploads two files and makes them one release.
    const artistContext = await contextFor(artist);
    const page = await artistContext.newPage();
    page.on('dialog', (d) => void d.accept());
    const errors = collectErrors(page);
    await page.goto(`${platform.base}/upload`);
    await page.getByTestId('file-input').setInputFiles(files);
    const items = page.getByTestId('upload-item');
    await items.nth(1).waitFor();
    await items.nth(0).getByTestId('upload-title').fill('Harbour Lights');
    await items.nth(1).getByTestId('upload-title').fill('Salt Road');
    await page.getByTestId('start-upload').click();
    await page.getByTestId('release-title-input').waitFor();
    await page.getByTestId('release-title-input').fill('Tides EP');
    await page.getByTestId('make-release').click();
    await page.getByTestId('release-link').click();
    await page.getByTestId('release-title').waitFor();
    expect(await page.getByTestId('release-title').textContent()).toBe('Tides EP');

    // 2. Edit the release once both tracks are ready.
    const mine = await api<{ items: Array<{ id: string; title: string }> }>(artist, '/api/v1/me/tracks');
    const harbour = mine.items.find((t) => t.title === 'Harbour Lights')!;
    const salt = mine.items.find((t) => t.title === 'Salt Road')!;
    await waitUntilReady(platform.base, artist.token, harbour.id);
    await waitUntilReady(platform.base, artist.token, salt.id);
    await page.reload();
    await page.getByRole('button', { name: 'Edit release' }).click();
    await page.getByLabel('Title').fill('Tides');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="release-title"]')?.textContent === 'Tides');
    expect(await page.getByTestId('tracklist-row').count()).toBe(2);
    expect(await page.getByTestId('release-length').textContent()).toBe('0:14');
    // Each row shows its waveform; a click on the second one plays that track from there.
    const wave = page.getByTestId('tracklist-row').nth(1).getByTestId('waveform');
    await wave.waitFor();
    await page.waitForFunction(
      () => !document.querySelectorAll('[data-testid="tracklist-row"] .waveform--loading').length,
    );
    await wave.click({ position: { x: 20, y: 20 } });
    await page.getByTestId('player-title').waitFor();
    expect(await page.getByTestId('player-title').textContent()).toBe('Salt Road');
    await shot(page, 'library-release');
    const releaseUrl = page.url();

    // 3. A listener adds a track to a new playlist, then the other one.
    const listenerContext = await contextFor(listener);
    const lp = await listenerContext.newPage();
    const listenerErrors = collectErrors(lp);
    await lp.goto(`${platform.base}/tide-artist/salt-road`);
    await lp.getByTestId('add-to-playlist').click();
    await lp.getByTestId('new-playlist-name').fill('Night bus');
    await lp.getByRole('button', { name: 'Create' }).click();
    await lp.getByText('Added to the new playlist “Night bus”').waitFor();
    // The other one from its card on the artist page, by keyboard: the menu takes the focus, ↓ moves.
    await lp.goto(`${platform.base}/tide-artist`);
    const card = lp.getByTestId('track-card').filter({ hasText: 'Harbour Lights' });
    const plus = card.getByRole('button', { name: 'Add Harbour Lights to a playlist' });
    await plus.waitFor();
    await plus.focus();
    await lp.keyboard.press('Enter');
    await card.getByTestId('add-to-playlist-item').first().waitFor();
    await lp.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'add-to-playlist-item');
    await shot(lp, 'library-card-menu');
    await lp.keyboard.press('ArrowDown'); // the new-playlist field
    await lp.keyboard.press('ArrowUp'); // back to “Night bus”
    await lp.keyboard.press('Enter');
    await card.getByText('Added to “Night bus”').waitFor();
    expect(await lp.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('add-to-playlist-plus');

    // From the player bar: play Harbour Lights, put it in a new playlist made there.
    await card.getByRole('button', { name: /Play/ }).click();
    const bar = lp.getByTestId('player-bar');
    await bar.getByTestId('add-to-playlist-plus').click();
    await bar.getByTestId('new-playlist-name').fill('Bar picks');
    await bar.getByRole('button', { name: 'Create' }).click();
    await bar.getByText('Added to the new playlist “Bar picks”').waitFor();
    await lp.setViewportSize({ width: 390, height: 844 });
    await bar.getByTestId('add-to-playlist-plus').click();
    await bar.getByTestId('add-to-playlist-item').first().waitFor();
    await screenshot(lp, 'library-player-bar-menu-phone');
    await lp.keyboard.press('Escape');
    await lp.setViewportSize({ width: 1280, height: 800 });
    const { items: playlists } = await api<{ items: Array<{ id: string; title: string; trackCount: number }> }>(
      listener,
      '/api/v1/me/playlists',
    );
    const nightBus = playlists.find((p) => p.title === 'Night bus')!;
    expect(nightBus.trackCount).toBe(2);
    expect(playlists.find((p) => p.title === 'Bar picks')?.trackCount).toBe(1);

    // 4. Reorder with the keyboard on the playlist page.
    await lp.goto(`${platform.base}/playlist/${nightBus.id}`);
    await lp.getByTestId('tracklist-row').nth(1).waitFor();
    const order = () =>
      lp
        .getByTestId('tracklist-row')
        .evaluateAll((rows) => rows.map((r) => r.querySelector('.tracklist__title a')?.textContent));
    expect(await order()).toEqual(['Salt Road', 'Harbour Lights']);
    await lp.getByRole('button', { name: 'Move Harbour Lights up' }).focus();
    await lp.keyboard.press('Enter');
    await lp.getByText('Moved Harbour Lights to position 1').waitFor();
    await lp.reload();
    await lp.getByTestId('tracklist-row').nth(1).waitFor();
    expect(await order()).toEqual(['Harbour Lights', 'Salt Road']);
    const playlistUrl = lp.url();

    // 5. Search with a typo from the header.
    await lp.getByTestId('search-input').fill('harbur lights');
    await lp.getByTestId('search-suggestion').first().waitFor();
    expect(await lp.getByTestId('search-suggestion').first().textContent()).toContain('Harbour Lights');
    await lp.getByTestId('search-input').press('Enter');
    await lp.waitForURL(/\/search\?q=harbur/);
    await lp.getByTestId('search-result').first().waitFor();
    expect(await lp.getByTestId('search-result').first().textContent()).toContain('Harbour Lights');
    await shot(lp, 'library-search');

    // 6. Salt Road's processing failed (as a worker timing out leaves it): the artist retries it in
    // the studio and the worker makes it ready again; then deletes it.
    await sql`update track_versions set status = 'failed', failure_reason = 'Transcoding to streaming formats: the worker ran out of time',
      steps = steps || '{"transcode": {"state": "failed", "progress": 0}}'::jsonb
      where track_id = ${salt.id}`.execute(platform.infra.database.db);
    await page.goto(`${platform.base}/studio`);
    await page.getByTestId('studio-row').nth(1).waitFor();
    const saltRow = page
      .getByTestId('studio-row')
      .filter({ has: page.getByRole('textbox', { name: 'Title of Salt Road' }) });
    await saltRow.getByText(/Failed: Transcoding/).waitFor();
    expect(await actionsInARow(saltRow)).toBe(true);
    await shot(page, 'library-studio');
    // On a phone the failed row's Retry and Delete stay side by side when they fit.
    const studioPhone = await (await contextFor(artist, { width: 390, height: 844 })).newPage();
    await studioPhone.goto(`${platform.base}/studio`);
    const saltRowPhone = studioPhone
      .getByTestId('studio-row')
      .filter({ has: studioPhone.getByRole('textbox', { name: 'Title of Salt Road' }) });
    await saltRowPhone.getByRole('button', { name: 'Retry processing Salt Road' }).waitFor();
    expect(await actionsInARow(saltRowPhone)).toBe(true);
    await shot(studioPhone, 'library-studio-phone');
    await studioPhone.context().close();
    await saltRow.getByRole('button', { name: 'Retry processing Salt Road' }).click();
    await page.getByText('Processing “Salt Road” again').waitFor();
    await saltRow.getByText('Ready', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Delete Salt Road' }).click();
    await page.getByText('Deleted “Salt Road”').waitFor();
    expect(await page.getByTestId('studio-row').count()).toBe(1);

    // 7. What the listener sees now: the playlist and the release without it, search without it.
    listenerErrors.expectFailure({ url: '/tide-artist/salt-road', status: 404 });
    await lp.goto(playlistUrl);
    await lp.getByTestId('tracklist-row').first().waitFor();
    expect(await order()).toEqual(['Harbour Lights']);
    await lp.goto(releaseUrl);
    await lp.getByTestId('tracklist-row').first().waitFor();
    expect(await lp.getByTestId('tracklist-row').count()).toBe(1);
    const found = await api<{ items: Array<{ title: string }> }>(listener, '/api/v1/search?q=salt%20road&type=track');
    expect(found.items.map((i) => i.title)).not.toContain('Salt Road');
    const gone = await lp.goto(`${platform.base}/tide-artist/salt-road`);
    expect(gone?.status()).toBe(404);

    // A phone-sized look at the playlist.
    const phone = await contextFor(listener, { width: 390, height: 844 });
    const pp = await phone.newPage();
    await pp.goto(playlistUrl);
    await pp.getByTestId('tracklist-row').first().waitFor();
    await shot(pp, 'library-playlist-phone');
    await phone.close();

    expect(errors.list).toEqual([]);
    expect(listenerErrors.list).toEqual([]);
    await artistContext.close();
    await listenerContext.close();
  }, 300_000);
});
