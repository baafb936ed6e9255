/**
 * Insights end to end, in Chromium against the real platform (embedded mode): an artist uploads a
 * tone, listeners' plays are reported through the API with the ranges they heard, the worker's
 * `analytics-rollup` job (queued as the scheduler queues it) folds them, then the artist opens
 * /stats and /stats/<track>: real charts, the table view, where listeners stop over the waveform
 * with a comment marker, on a desktop and a phone-sized screen (screenshots kept in screenshots/).
 * The trending page lists the track.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { closeAfterAll } from '../support/lifecycle.ts';
import { generateTone, swelling } from '../support/audio.ts';
import { launchBrowser, openContext, screenshot } from '../support/browser.ts';
import { collectErrors } from '../support/page-errors.ts';
import { reportPagesOnFailure } from '../support/page-report.ts';
import { contextAs, register, startPlatform, uploadReadyTrack } from './platform-fixture.ts';
import type { Account, RunningPlatform, UploadedTrack } from './platform-fixture.ts';

const SECONDS = 20;
let platform: RunningPlatform;
let browser: Browser;
let artist: Account;
let track: UploadedTrack;

reportPagesOnFailure();

/** Whole-track plays count for a 20 s track; each listener its own address (the platform trusts loopback's X-Forwarded-For). */
async function reportPlay(ip: string, ranges: [number, number][]): Promise<void> {
  const res = await fetch(`${platform.base}/api/v1/tracks/${track.id}/plays`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ secondsListened: SECONDS, ranges }),
  });
  expect(res.status).toBe(201);
}

beforeAll(async () => {
  platform = await startPlatform();
  artist = await register(platform.base, 'chart-artist', 'artist');
  const file = await generateTone(path.join(platform.dataDir, 'tone.flac'), {
    seconds: SECONDS,
    freq: 330,
    extraArgs: swelling(0.6),
  });
  track = await uploadReadyTrack(platform.base, artist.token, file, 'Charted tone');
  // Eight listeners heard it all; four stopped at the middle; two skipped the second quarter.
  for (let i = 0; i < 8; i++) await reportPlay(`203.0.113.${10 + i}`, [[0, SECONDS * 1000]]);
  for (let i = 0; i < 4; i++) await reportPlay(`203.0.113.${30 + i}`, [[0, SECONDS * 500]]);
  for (let i = 0; i < 2; i++)
    await reportPlay(`203.0.113.${50 + i}`, [
      [0, SECONDS * 250],
      [SECONDS * 500, SECONDS * 1000],
    ]);
  const owner = await platform.infra.database.db
    .selectFrom('users')
    .select('id')
    .where('handle', '=', 'chart-artist')
    .executeTakeFirstOrThrow();
  await platform.infra.database.db
    .insertInto('comments')
    .values({ track_id: track.id, user_id: owner.id, body: 'the drop', position_ms: SECONDS * 750 })
    .execute();
  // The scheduler's job, queued by hand (its own slot id), then wait until the figures are there.
  await platform.infra.jobs.add('analytics-rollup', {}, { jobId: `test-rollup-${Date.now()}` });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await fetch(`${platform.base}/api/v1/me/stats`, {
      headers: { authorization: `Bearer ${artist.token}` },
    });
    if (((await res.json()) as { totals?: { plays?: number } }).totals?.plays === 14) break;
    if (Date.now() > deadline) throw new Error('the analytics-rollup job did not fold the plays within 60 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  browser = await launchBrowser();
}, 600_000);

closeAfterAll(() => [browser, platform]);

describe('insights pages', () => {
  for (const [name, viewport] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    it(`/stats draws real charts and a table of the plays made (${name})`, async () => {
      const context = await contextAs(browser, platform, artist, { viewport });
      const page = await context.newPage();
      const errors = collectErrors(page).list;
      await page.goto(`${platform.base}/stats`);
      const plays = page.getByTestId('chart-plays');
      await plays.waitFor();
      expect(await plays.locator('svg').getAttribute('aria-label')).toMatch(/^Plays: 14 in total over 30 days/);
      // Bars with height: the last day's bar is the tallest (all 14 plays are today's).
      const heights = await plays
        .locator('rect')
        .evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('height'))));
      expect(heights).toHaveLength(30);
      expect(heights.at(-1)).toBeGreaterThan(0);
      expect(Math.max(...heights.slice(0, -1))).toBe(0);
      expect(await page.getByTestId('chart-listeners').locator('figcaption strong').textContent()).toBe('14');
      await screenshot(page, `insights-stats-${name}`);
      // The table view of the same data, reached by keyboard.
      await page.getByRole('button', { name: 'Table' }).focus();
      await page.keyboard.press('Enter');
      const row = page.getByTestId('stats-table').locator('tbody tr').first();
      expect(await row.locator('td').first().textContent()).toBe('14');
      await screenshot(page, `insights-stats-table-${name}`);
      // Top tracks lead to the track's page: where listeners stop, over the waveform.
      await page.getByRole('link', { name: 'Charted tone' }).click();
      const reach = page.getByTestId('reach');
      await reach.waitFor();
      await page.waitForFunction(
        () => document.querySelectorAll('[data-testid="reach"] .insights-reach__wave rect').length > 0,
      );
      expect(await reach.locator('svg').getAttribute('aria-label')).toBe(
        'Where listeners stop. Of 14 plays: 86% still listening at a quarter of the track, 71% at half, 71% at three quarters, 71% at the end.',
      );
      expect(await page.getByTestId('comment-marker').count()).toBe(1);
      await screenshot(page, `insights-track-${name}`);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('the trending page, linked from the header, lists the track', async () => {
    // Plays of a 20 s track never count in trending (under 30 s): a listener's like does.
    const fan = await register(platform.base, 'chart-fan', 'listener');
    await platform.infra.database.db.insertInto('likes').values({ user_id: fan.user.id, track_id: track.id }).execute();
    await platform.infra.jobs.add('analytics-rollup', {}, { jobId: `test-trending-${Date.now()}` });
    const deadline = Date.now() + 60_000;
    while (
      ((await (await fetch(`${platform.base}/api/v1/trending`)).json()) as { tracks: unknown[] }).tracks.length === 0
    ) {
      if (Date.now() > deadline) throw new Error('the recompute did not list the liked track within 60 s');
      await new Promise((r) => setTimeout(r, 250));
    }
    const context = await openContext(browser);
    const page = await context.newPage();
    await page.goto(platform.base);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Trending' }).click();
    await page.getByTestId('track-card').first().waitFor();
    expect(await page.getByTestId('track-card').first().textContent()).toContain('Charted tone');
    await screenshot(page, 'trending-desktop');
    await context.close();
  });
});
