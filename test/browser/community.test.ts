/**
 * Community end to end, in Chromium against the real platform (embedded mode, in this process), in
 * two browser contexts: listener A follows artist B, B uploads, A finds the track in the feed,
 * plays it and comments at 0:12 while listening; B sees the notification arrive live and the
 * marker sits at 0:12 on the waveform; B replies; A likes and reposts; the counts agree on both
 * sides; comments written meanwhile arrive live on the other's open page. Also: a comment full of markup is text in the server-rendered HTML, and the pages hold
 * up on a phone-sized screen.
 */
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { closeAfterAll } from '../support/lifecycle.ts';
import { generateTone, swelling } from '../support/audio.ts';
import { launchBrowser, screenshot } from '../support/browser.ts';
import { collectErrors, type PageErrors } from '../support/page-errors.ts';
import { reportPagesOnFailure } from '../support/page-report.ts';
import { contextAs, register, startPlatform, uploadReadyTrack } from './platform-fixture.ts';
import type { Account, RunningPlatform, UploadedTrack } from './platform-fixture.ts';

let platform: RunningPlatform;
let browser: Browser;
let listenerA: Account;
let artistB: Account;
let track: UploadedTrack;
let contextA: BrowserContext;
let contextB: BrowserContext;
let pageA: Page;
let pageB: Page;
let errorsA: PageErrors;
let errorsB: PageErrors;
/** Pages hydrate and fetch before they show counts: polls wait as long as a page's bounded waits. */
const WAIT = { timeout: 20_000, interval: 100 };

reportPagesOnFailure();

const contextFor = (account: Account, viewport = { width: 1280, height: 800 }) =>
  contextAs(browser, platform, account, { viewport });

const api = async (account: Account, method: string, url: string, body?: unknown) => {
  const res = await fetch(`${platform.base}${url}`, {
    method,
    headers: { authorization: `Bearer ${account.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as Record<string, any>) };
};

beforeAll(async () => {
  platform = await startPlatform();
  listenerA = await register(platform.base, 'listener-ada', 'listener');
  artistB = await register(platform.base, 'artist-bo', 'artist');
  browser = await launchBrowser();
  contextA = await contextFor(listenerA);
  contextB = await contextFor(artistB);
  pageA = await contextA.newPage();
  pageB = await contextB.newPage();
  errorsA = collectErrors(pageA);
  errorsB = collectErrors(pageB);
}, 600_000);

closeAfterAll(() => [browser, platform]);

describe('two listeners, one moment', () => {
  it('A follows B from B’s page; the follower count moves at once and stays after a reload', async () => {
    await pageA.goto(`${platform.base}/${artistB.user.handle}`);
    await pageA.getByTestId('follow-button').click();
    await expect.poll(() => pageA.getByTestId('follower-count').textContent(), WAIT).toBe('1');
    await expect.poll(() => pageA.getByTestId('follow-button').textContent(), WAIT).toBe('Following');
    await pageA.reload();
    await expect.poll(() => pageA.getByTestId('follower-count').textContent(), WAIT).toBe('1');
  });

  it('B uploads; A sees it in the feed (the home page takes A there) and opens it', async () => {
    const file = await generateTone(path.join(platform.dataDir, 'moment.flac'), {
      seconds: 20,
      freq: 330,
      extraArgs: swelling(0.6),
    });
    track = await uploadReadyTrack(platform.base, artistB.token, file, 'The Moment');
    // B waits on the track page, where the bell sits in the header.
    await pageB.goto(`${platform.base}/${artistB.user.handle}/${track.slug}`);
    await expect.poll(() => pageB.getByTestId('notification-count').textContent(), WAIT).toMatch(/^1/);

    await pageA.goto(`${platform.base}/`);
    await pageA.waitForURL(`${platform.base}/feed`);
    const entry = pageA.getByTestId('feed-entry').filter({ hasText: 'The Moment' });
    await entry.waitFor();
    await screenshot(pageA, 'community-feed');
    await entry.getByRole('link', { name: 'The Moment' }).click();
    await pageA.waitForURL(`${platform.base}/${artistB.user.handle}/${track.slug}`);
  });

  it('A plays and comments at 0:12 while listening', async () => {
    // Stop the audio as soon as it passes 0:12, so "now" is 0:12 when A starts typing.
    await pageA.evaluate(() => {
      const audio = document.querySelector<HTMLAudioElement>('audio[data-testid="player-audio"]')!;
      const stop = () => {
        if (audio.currentTime >= 12) {
          audio.pause();
          audio.removeEventListener('timeupdate', stop);
        }
      };
      audio.addEventListener('timeupdate', stop);
    });
    await pageA.getByTestId('track-page').getByRole('button', { name: /play/i }).first().click();
    await pageA.waitForFunction(
      () => {
        const a = document.querySelector<HTMLAudioElement>('audio[data-testid="player-audio"]')!;
        return a.paused && a.currentTime >= 12;
      },
      undefined,
      { polling: 100 },
    );
    const box = pageA.getByTestId('comment-body');
    await box.click();
    await box.fill('this swell at 0:12 https://example.org/notes');
    expect(await pageA.getByTestId('comment-at').inputValue()).toBe('0:12');
    await pageA.getByTestId('comment-form').getByRole('button', { name: 'Post' }).click();
    const posted = pageA.getByTestId('comment').filter({ hasText: 'this swell at 0:12' });
    await posted.waitFor();
    const link = posted.getByRole('link', { name: 'https://example.org/notes' });
    expect(await link.getAttribute('rel')).toBe('nofollow ugc noopener');
    await expect.poll(async () => (await pageA.getByTestId('comment-marker').all()).length, WAIT).toBe(1);
  });

  it('B sees the notification arrive live, and the marker at 0:12 of the waveform', async () => {
    // The follow, then the comment, live.
    await expect.poll(() => pageB.getByTestId('notification-count').textContent(), WAIT).toMatch(/^2/);
    await pageB.getByTestId('notification-bell').click();
    await pageB.getByTestId('notification').filter({ hasText: 'commented on' }).waitFor();
    await screenshot(pageB, 'community-notification', { fullPage: false });
    await pageB.keyboard.press('Escape');
    await pageB.reload();
    const marker = pageB.getByTestId('comment-marker');
    await marker.waitFor();
    expect(await marker.getAttribute('data-position-ms')).toMatch(/^120\d\d$/);
    // 0:12 of 0:20 is 60% along the waveform.
    const [wave, dot] = await Promise.all([pageB.getByTestId('waveform').boundingBox(), marker.boundingBox()]);
    const at = (dot!.x + dot!.width / 2 - wave!.x) / wave!.width;
    expect(at).toBeGreaterThan(0.58);
    expect(at).toBeLessThan(0.63);
    await marker.hover();
    await pageB.getByTestId('comment-bubble').filter({ hasText: 'this swell' }).waitFor();
    await screenshot(pageB, 'community-track-marker', { fullPage: false });
  });

  it('B replies; A likes and reposts; the counts agree on both sides', async () => {
    const comment = pageB.getByTestId('comment').filter({ hasText: 'this swell' });
    await comment.getByRole('button', { name: 'Reply' }).click();
    await pageB.getByTestId('reply-body').fill('glad it landed');
    await pageB.getByTestId('reply-form').getByRole('button', { name: 'Reply' }).click();
    await pageB.getByTestId('comment').filter({ hasText: 'glad it landed' }).waitFor();

    await pageA.getByTestId('like-button').click();
    await expect.poll(() => pageA.getByTestId('like-count').textContent(), WAIT).toBe('1');
    await pageA.getByTestId('repost-button').click();
    await expect.poll(() => pageA.getByTestId('repost-count').textContent(), WAIT).toBe('1');
    expect(await pageA.getByTestId('like-button').getAttribute('aria-pressed')).toBe('true');
    await pageA.reload();
    await pageA.getByTestId('comment').filter({ hasText: 'glad it landed' }).waitFor();
    await expect.poll(() => pageA.getByTestId('like-count').textContent(), WAIT).toBe('1');
    await expect.poll(() => pageA.getByTestId('comment-count').textContent(), WAIT).toMatch(/2/);
    await screenshot(pageA, 'community-track-listener');

    await pageB.reload();
    await expect.poll(() => pageB.getByTestId('like-count').textContent(), WAIT).toBe('1');
    await expect.poll(() => pageB.getByTestId('repost-count').textContent(), WAIT).toBe('1');
    await expect.poll(() => pageB.getByTestId('notification-count').textContent(), WAIT).toMatch(/^2/);
    const counts = (await api(artistB, 'GET', `/api/v1/tracks/${track.id}/counts`)).body!.track;
    expect(counts).toMatchObject({ likeCount: 1, repostCount: 1, commentCount: 2 });
    expect((await api(artistB, 'GET', `/api/v1/users/${artistB.user.handle}/counts`)).body!.user.followerCount).toBe(1);
    const a = await api(listenerA, 'GET', '/api/v1/notifications');
    expect(a.body!.items.map((n: { type: string }) => n.type)).toEqual(['reply']);
    expect(errorsA.list).toEqual([]);
    expect(errorsB.list).toEqual([]);
  });

  it('comments arrive live on an open track page, and deleted ones go, without a reload', async () => {
    await pageA.goto(`${platform.base}/${artistB.user.handle}/${track.slug}`);
    await pageB.goto(`${platform.base}/${artistB.user.handle}/${track.slug}`);
    // Both pages watch the track (the attribute is set once the API confirms).
    for (const page of [pageA, pageB])
      await page.waitForFunction((id) => document.documentElement.dataset.commentsLive === id, track.id, {
        polling: 100,
      });
    // B writes on B's page; A's page shows it at once.
    const box = pageB.getByTestId('comment-body');
    await box.click();
    await box.fill('live from the studio');
    await pageB.getByTestId('comment-form').getByRole('button', { name: 'Post' }).click();
    await pageA.getByTestId('comment').filter({ hasText: 'live from the studio' }).waitFor();
    // A reply from A appears under it on B's page.
    const onA = pageA.getByTestId('comment').filter({ hasText: 'live from the studio' });
    await onA.getByRole('button', { name: 'Reply' }).click();
    await pageA.getByTestId('reply-body').fill('heard it live');
    await pageA.getByTestId('reply-form').getByRole('button', { name: 'Reply' }).click();
    await pageB.getByTestId('comment').filter({ hasText: 'heard it live' }).waitFor();
    await screenshot(pageA, 'community-live-comment', { fullPage: false });
    // B deletes the comment through the API: A's page drops its text.
    const id = (await api(artistB, 'GET', `/api/v1/tracks/${track.id}/comments?order=newest&limit=5`)).body!.items.find(
      (c: { body: string | null }) => c.body === 'live from the studio',
    ).id;
    expect((await api(artistB, 'DELETE', `/api/v1/comments/${id}`)).status).toBe(204);
    await expect
      .poll(() => pageA.getByTestId('comment').filter({ hasText: 'live from the studio' }).count(), WAIT)
      .toBe(0);
    await pageA.getByTestId('comment').filter({ hasText: 'heard it live' }).waitFor();
    expect(errorsA.list).toEqual([]);
    expect(errorsB.list).toEqual([]);
  });

  it('markup in a comment is text in the server-rendered page', async () => {
    const evil = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2"> javascript:alert(1)';
    expect(
      (await api(listenerA, 'POST', '/api/v1/comments', { trackId: track.id, body: evil, positionMs: 3000 })).status,
    ).toBe(201);
    const html = await (await fetch(`${platform.base}/${artistB.user.handle}/${track.slug}`)).text();
    expect(html).toContain('&lt;script&gt;window.pwned=1&lt;/script&gt;');
    expect(html).not.toContain('<script>window.pwned');
    expect(html).not.toContain('<img src=x');
    await pageA.reload();
    await pageA.getByTestId('comment').filter({ hasText: '<script>window.pwned=1</script>' }).waitFor();
    expect(await pageA.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  });

  it('on a phone-sized screen: the track page with markers and comments, and the feed', async () => {
    const phone = await contextFor(listenerA, { width: 390, height: 844 });
    const page = await phone.newPage();
    const errors = collectErrors(page);
    await page.goto(`${platform.base}/${artistB.user.handle}/${track.slug}`);
    await page.getByTestId('comment-marker').first().waitFor();
    await screenshot(page, 'community-track-phone');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.goto(`${platform.base}/feed`);
    await page.getByTestId('feed-entry').first().waitFor();
    await screenshot(page, 'community-feed-phone');
    expect(errors.list).toEqual([]);
    await phone.close();
  });

  it('B makes a release of the track: A’s feed shows the release once, not its track; A’s library lists A’s playlists', async () => {
    const made = await api(artistB, 'POST', '/api/v1/releases', {
      title: 'Moment EP',
      type: 'ep',
      trackIds: [track.id],
    });
    expect(made.status).toBe(201);
    const list = await api(listenerA, 'POST', '/api/v1/playlists', { title: 'Night drive', trackIds: [track.id] });
    expect(list.status).toBe(201);
    await pageA.goto(`${platform.base}/feed`);
    const release = pageA.getByTestId('feed-release');
    await release.waitFor();
    expect(await release.count()).toBe(1);
    expect(await release.textContent()).toContain('New EP');
    expect(await pageA.getByTestId('feed-entry').filter({ hasText: 'The Moment' }).count()).toBe(0);
    await screenshot(pageA, 'community-feed-release');
    await release.getByRole('link', { name: 'Moment EP' }).click();
    await pageA.waitForURL(`${platform.base}/release/${made.body!.release.id}`);

    await pageA.goto(`${platform.base}/library`);
    const playlist = pageA.getByTestId('library-playlist').filter({ hasText: 'Night drive' });
    await playlist.waitFor();
    expect(await playlist.textContent()).toContain('1 track');
    await screenshot(pageA, 'community-library-playlists');
    await playlist.getByRole('link', { name: 'Night drive' }).click();
    await pageA.waitForURL(`${platform.base}/playlist/${list.body!.playlist.id}`);
    expect(errorsA.list).toEqual([]);

    const phone = await contextFor(listenerA, { width: 390, height: 844 });
    const page = await phone.newPage();
    const errors = collectErrors(page);
    for (const [url, testId, name] of [
      ['/feed', 'feed-release', 'community-feed-release-phone'],
      ['/library', 'library-playlist', 'community-library-phone'],
    ] as const) {
      await page.goto(`${platform.base}${url}`);
      await page.getByTestId(testId).first().waitFor();
      await screenshot(page, name);
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
      ).toBeLessThanOrEqual(0);
    }
    expect(errors.list).toEqual([]);
    await phone.close();
  });
});
