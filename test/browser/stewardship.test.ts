/**
 * Running the community, in real Chromium against the embedded platform: an embed renders inside
 * an iframe on another origin while the track page refuses to be framed; a listener reports a
 * track, the admin sees it in the console's queue and takes it down, its artist sees why and
 * nobody else sees it; the admin retries a failed job from the console; the artist's export ZIP
 * holds the original upload byte for byte; deleting the account from Settings leaves nothing of
 * theirs in storage. Screenshots (desktop and phone) land in screenshots/stewardship-*.png.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUCKETS } from '@earshot/storage';
import { generateTone } from '../support/audio.ts';
import { launchBrowser, screenshot } from '../support/browser.ts';
import { closableServer, closeAfterAll } from '../support/lifecycle.ts';
import { reportPagesOnFailure } from '../support/page-report.ts';
import { readZip } from '../support/zip.ts';
import { contextAs, register, startPlatform, uploadReadyTrack } from './platform-fixture.ts';
import type { Account, RunningPlatform, UploadedTrack } from './platform-fixture.ts';

let platform: RunningPlatform;
let browser: Browser;
let artist: Account;
let listener: Account;
let admin: Account;
let track: UploadedTrack;
let toneFile: string;
let thirdParty: Server;
let thirdPartyOrigin: string;

reportPagesOnFailure();

const PHONE = { width: 390, height: 844 };

const contextFor = (account: Account | null, viewport?: { width: number; height: number }) =>
  contextAs(browser, platform, account, viewport ? { viewport } : {});

async function storeKeys(): Promise<string[]> {
  const all: string[] = [];
  for (const bucket of BUCKETS) for await (const o of platform.infra.store.list(bucket)) all.push(`${bucket}/${o.key}`);
  return all;
}

beforeAll(async () => {
  platform = await startPlatform();
  artist = await register(platform.base, 'embed-artist', 'artist');
  listener = await register(platform.base, 'keen-listener', 'listener');
  admin = await register(platform.base, 'site-admin', 'listener');
  await platform.infra.database.db
    .updateTable('users')
    .set({ role: 'admin' })
    .where('id', '=', admin.user.id)
    .execute();
  toneFile = await generateTone(path.join(platform.dataDir, 'tone.flac'), { seconds: 6, freq: 440 });
  track = await uploadReadyTrack(platform.base, artist.token, toneFile, 'Harbour Lights');
  // Another site, on another loopback origin, framing two of our pages.
  thirdParty = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><title>A blog</title><h1>My favourite track</h1>
      <iframe id="embed" src="${platform.base}/embed/track/${track.id}" width="600" height="166"></iframe>
      <iframe id="page" src="${platform.base}/${track.artist.handle}/${track.slug}" width="600" height="400"></iframe>`);
  });
  await new Promise<void>((resolve) => thirdParty.listen(0, 'localhost', resolve));
  thirdPartyOrigin = `http://localhost:${(thirdParty.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 600_000);

closeAfterAll(() => [browser, closableServer(thirdParty), platform]);

describe('embeds', () => {
  it('an embed renders inside an iframe on another origin; the track page refuses to be framed', async () => {
    const context = await contextFor(null);
    const page = await context.newPage();
    await page.goto(thirdPartyOrigin);
    const embed = page.frameLocator('#embed');
    await embed.getByTestId('embed-track').waitFor();
    expect(await embed.getByText('Harbour Lights').first().textContent()).toContain('Harbour Lights');
    await embed.getByTestId('play-track').waitFor();
    // The framed track page was blocked by the browser (frame-ancestors 'none', X-Frame-Options DENY): no document of ours in it.
    const framed = page.frames().find((f) => f !== page.mainFrame() && !f.url().includes('/embed/'));
    expect(framed).toBeDefined();
    expect(await framed!.locator('[data-testid="track-page"]').count()).toBe(0);
    expect(framed!.url()).not.toContain(
      `/${track.slug}`.length > 1 ? `${platform.base}/${track.artist.handle}/${track.slug}` : 'never',
    );
    await screenshot(page, 'stewardship-embed-third-party', { fullPage: false });
    await context.close();
  });

  it('the track page announces its oEmbed and player card', async () => {
    const context = await contextFor(null);
    const page = await context.newPage();
    await page.goto(`${platform.base}/${track.artist.handle}/${track.slug}`);
    const oembed = await page.locator('link[type="application/json+oembed"]').getAttribute('href');
    expect(oembed).toContain('/api/oembed?format=json&url=');
    const asked = new URL(oembed!, platform.base);
    const res = await page.request.get(`${platform.base}${asked.pathname}${asked.search}`);
    expect(res.status()).toBe(200);
    expect(((await res.json()) as { html: string }).html).toContain(`/embed/track/${track.id}`);
    expect(await page.locator('meta[name="twitter:card"]').getAttribute('content')).toBe('player');
    expect(await page.locator('meta[property="og:title"]').getAttribute('content')).toContain('Harbour Lights');
    await context.close();
  });
});

describe('moderation', () => {
  it('a listener reports a comment from the track page; the admin finds it in the queue (reached by the header’s Admin link)', async () => {
    const posted = await fetch(`${platform.base}/api/v1/comments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${artist.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ trackId: track.id, body: 'Buy cheap followers at spam.example', positionMs: 1000 }),
    });
    expect(posted.status).toBe(201);
    const comment = ((await posted.json()) as { comment: { id: string } }).comment;

    // The embed shows the comment on its waveform, read-only (no form, no report button).
    const e = await (await contextFor(null)).newPage();
    await e.goto(`${platform.base}/embed/track/${track.id}`);
    await e.getByTestId('comment-marker').first().waitFor();
    expect(await e.getByTestId('comment-form').count()).toBe(0);
    expect(await e.getByTestId('report-button').count()).toBe(0);
    await e.getByTestId('comment-marker').first().hover();
    await e.getByTestId('comment-bubble').waitFor();
    await screenshot(e, 'stewardship-embed-comment-marker', { fullPage: false });

    const l = await (await contextFor(listener)).newPage();
    await l.goto(`${platform.base}/${track.artist.handle}/${track.slug}`);
    // A listener has no Admin link.
    await l.getByTestId('account-menu').waitFor();
    expect(await l.getByRole('link', { name: 'Admin', exact: true }).count()).toBe(0);
    const item = l.locator(`[data-comment-id="${comment.id}"]`);
    await item.getByTestId('report-button').click();
    await item.getByRole('textbox', { name: /What is wrong with the comment/ }).fill('Spam: selling followers');
    await screenshot(l, 'stewardship-report-comment', { fullPage: false });
    await item.getByTestId('report-submit').press('Enter');
    await item.getByText('the moderators will look at it').waitFor();

    for (const [name, viewport] of [
      ['phone', PHONE],
      ['desktop', undefined],
    ] as const) {
      const a = await (await contextFor(admin, viewport)).newPage();
      await a.goto(`${platform.base}/`);
      await a.getByRole('link', { name: 'Admin', exact: true }).click();
      await a.waitForURL(/\/admin$/);
      const report = a.getByTestId('admin-report').filter({ hasText: 'Spam: selling followers' });
      await report.waitFor();
      expect(await report.textContent()).toContain('comment');
      await screenshot(a, `stewardship-admin-comment-report-${name}`, { fullPage: false });
      if (name === 'phone') continue;
      // Taken down from the queue: the report is resolved and the comment is gone for the listener.
      await report.getByTestId('report-takedown').click();
      await report.getByTestId('report-takedown-reason').fill('Spam');
      await report.getByTestId('report-takedown-confirm').click();
      await report.waitFor({ state: 'detached' });
    }
    await l.reload();
    await l.getByText(/No comments yet/).waitFor();
    expect(await l.locator(`[data-comment-id="${comment.id}"]`).count()).toBe(0);

    // Its author still sees the comment's place, and why it was taken down.
    const author = await (await contextFor(artist)).newPage();
    await author.goto(`${platform.base}/${track.artist.handle}/${track.slug}`);
    const why = author.locator(`[data-comment-id="${comment.id}"]`).getByTestId('comment-takedown');
    await why.waitFor();
    expect(await why.textContent()).toContain('A moderator took this comment down: Spam.');
    await why.scrollIntoViewIfNeeded();
    await screenshot(author, 'stewardship-comment-takedown-author', { fullPage: false });
  });

  it('"Report" is for others than the artist; "Create an account" is for visitors only', async () => {
    const trackUrl = `${platform.base}/${track.artist.handle}/${track.slug}`;
    const visitor = await (await contextFor(null)).newPage();
    await visitor.goto(trackUrl);
    await visitor.getByTestId('footer-register').waitFor();
    await visitor.locator('.track-hero__share').getByTestId('report-button').waitFor();
    const owner = await (await contextFor(artist)).newPage();
    await owner.goto(trackUrl);
    await owner.getByTestId('account-menu').waitFor();
    await owner.locator('.track-hero__share').getByRole('button', { name: 'Share' }).waitFor();
    // The page asks who is looking on its own: give its answer time to come (the wrong one would show the button).
    await owner.waitForTimeout(1500);
    expect(await owner.locator('.track-hero__share').getByTestId('report-button').count()).toBe(0);
    expect(await owner.getByTestId('footer-register').count()).toBe(0);
    const l = await (await contextFor(listener)).newPage();
    await l.goto(trackUrl);
    await l.locator('.track-hero__share').getByTestId('report-button').waitFor();
    expect(await l.getByTestId('footer-register').count()).toBe(0);
  });

  it('a listener reports the track, the admin takes it down from the queue, the artist sees why', async () => {
    const l = await (await contextFor(listener)).newPage();
    await l.goto(`${platform.base}/${track.artist.handle}/${track.slug}`);
    await l.getByTestId('report-button').click();
    await l.getByTestId('report-reason').fill('This is my recording, uploaded without permission');
    await l.getByTestId('report-submit').click();
    await l.getByText('the moderators will look at it').waitFor();

    for (const [name, viewport] of [
      ['phone', PHONE],
      ['desktop', undefined],
    ] as const) {
      const a = await (await contextFor(admin, viewport)).newPage();
      await a.goto(`${platform.base}/admin`);
      const report = a.getByTestId('admin-report').filter({ hasText: 'uploaded without permission' });
      await report.waitFor();
      await screenshot(a, `stewardship-admin-queue-${name}`, { fullPage: false });
      if (name === 'phone') continue;
      await report.getByTestId('report-takedown').click();
      await report.getByTestId('report-takedown-reason').fill('Copyright: the performer asked for removal');
      await report.getByTestId('report-takedown-confirm').click();
      await a.getByText('No reports.').waitFor();
      await a.getByRole('tab', { name: 'Audit log' }).click();
      await a.getByTestId('audit-entry').filter({ hasText: 'track.takedown' }).waitFor();
      await screenshot(a, 'stewardship-admin-audit', { fullPage: false });
    }

    const owner = await (await contextFor(artist)).newPage();
    await owner.goto(`${platform.base}/${track.artist.handle}/${track.slug}`);
    expect(await owner.getByTestId('track-takedown').textContent()).toContain(
      'Copyright: the performer asked for removal',
    );
    await screenshot(owner, 'stewardship-owner-sees-takedown', { fullPage: false });

    const res = await (await contextFor(listener)).request.get(`${platform.base}/api/v1/tracks/${track.id}`);
    expect(res.status()).toBe(404);
    const embed = await (await contextFor(null)).newPage();
    await embed.goto(`${platform.base}/embed/track/${track.id}`);
    await embed.getByTestId('embed-missing').waitFor();
  });

  it('the admin retries a failed job from the console', async () => {
    const db = platform.infra.database.db;
    await db
      .insertInto('jobs')
      .values({
        queue: 'analytics-rollup',
        id: 'console-retry-1',
        name: 'analytics-rollup',
        data: JSON.stringify({}),
        status: 'failed',
        attempts_made: 3,
        max_attempts: 3,
        backoff_ms: 1000,
        run_at: new Date(),
        error: 'database was restarting',
        finished_at: new Date(),
        progress: '0',
      })
      .execute();
    const a = await (await contextFor(admin, PHONE)).newPage();
    await a.goto(`${platform.base}/admin`);
    await a.getByRole('tab', { name: 'Jobs' }).click();
    await a.getByTestId('failed-analytics-rollup').click();
    const job = a.getByTestId('failed-job').filter({ hasText: 'database was restarting' });
    await job.waitFor();
    await screenshot(a, 'stewardship-admin-jobs-phone', { fullPage: false });
    await job.getByTestId('retry-job').click();
    await job.waitFor({ state: 'detached' });
    const row = await db
      .selectFrom('jobs')
      .select('status')
      .where('id', '=', 'console-retry-1')
      .executeTakeFirstOrThrow();
    expect(['waiting', 'active', 'completed']).toContain(row.status);
  });

  it('the admin finds a user, changes their role, disables and enables the account, restores the taken-down track and takes it down again', async () => {
    const db = platform.infra.database.db;
    // The listener (whom no later test signs in as): a new account would spend the sign-up limit the
    // account deletion below needs.
    const account = () =>
      db
        .selectFrom('users')
        .select(['role', 'disabled_at'])
        .where('id', '=', listener.user.id)
        .executeTakeFirstOrThrow();
    const a = await (await contextFor(admin)).newPage();
    await a.goto(`${platform.base}/admin`);
    await a.getByRole('tab', { name: 'Users' }).click();
    const panel = a.getByRole('tabpanel');
    await panel.getByRole('searchbox', { name: 'Search users by handle, name or email' }).fill('keen-listener');
    await panel.getByRole('button', { name: 'Search', exact: true }).click();
    await panel.getByRole('button', { name: /\(@keen-listener\)/ }).click();
    const detail = panel.getByTestId('admin-user-detail');
    await detail.getByRole('combobox', { name: 'Role' }).selectOption('artist');
    await detail.getByRole('button', { name: 'Change role' }).click();
    await panel
      .getByRole('list', { name: 'Users' })
      .getByText(/^artist · /)
      .waitFor();
    expect((await account()).role).toBe('artist');

    await detail.getByRole('button', { name: 'Disable' }).click();
    await detail.getByRole('textbox', { name: 'Reason: Disable' }).fill('Ban evasion');
    await detail.getByRole('button', { name: 'Disable' }).click();
    await detail.getByRole('button', { name: 'Enable' }).waitFor();
    expect((await account()).disabled_at).not.toBeNull();
    await screenshot(a, 'stewardship-admin-user-disabled', { fullPage: false });
    await detail.getByRole('button', { name: 'Enable' }).click();
    await detail.getByRole('button', { name: 'Enable' }).click();
    await detail.getByRole('button', { name: 'Disable' }).waitFor();
    expect((await account()).disabled_at).toBeNull();

    await a.getByRole('tab', { name: 'Content' }).click();
    await panel.getByRole('checkbox', { name: 'taken down only' }).check();
    const item = panel.getByTestId('admin-content').filter({ hasText: 'Harbour Lights' });
    await item.getByRole('button', { name: 'Restore' }).click();
    await item.getByRole('textbox', { name: 'Reason: Restore' }).fill('The claim was withdrawn');
    await item.getByRole('button', { name: 'Restore' }).click();
    await item.waitFor({ state: 'detached' });
    const restored = await db
      .selectFrom('tracks')
      .select('taken_down_at')
      .where('id', '=', track.id)
      .executeTakeFirstOrThrow();
    expect(restored.taken_down_at).toBeNull();
    // …and down again from the full list, as the tests after this one expect it.
    await panel.getByRole('checkbox', { name: 'taken down only' }).uncheck();
    const again = panel.getByTestId('admin-content').filter({ hasText: 'Harbour Lights' });
    await again.getByRole('button', { name: 'Take down' }).click();
    await again.getByRole('textbox', { name: 'Reason: Take down' }).fill('The claim was renewed');
    await again.getByRole('button', { name: 'Take down' }).click();
    await again.getByText('taken down: The claim was renewed').waitFor();
    await screenshot(a, 'stewardship-admin-content', { fullPage: false });
  });
});

describe('privacy', () => {
  it('the export ZIP holds the original upload byte for byte', async () => {
    const context = await contextFor(artist);
    const page = await context.newPage();
    await page.goto(`${platform.base}/settings`);
    const download = page.waitForEvent('download');
    await page.getByTestId('export-link').click();
    const file = await (await download).path();
    const files = await readZip(await readFile(file!));
    const original = [...files.entries()].find(([name]) => name.startsWith('originals/'));
    expect(original).toBeDefined();
    expect(original![1].equals(await readFile(toneFile))).toBe(true);
    expect(JSON.parse(files.get('tracks.json')!.toString()).map((t: { id: string }) => t.id)).toEqual([track.id]);
    await screenshot(page, 'stewardship-settings-data');
  });

  it('deleting the account from Settings leaves nothing of theirs in storage', async () => {
    const versionId = (
      await platform.infra.database.db
        .selectFrom('track_versions')
        .select('id')
        .where('track_id', '=', track.id)
        .executeTakeFirstOrThrow()
    ).id;
    const theirs = (k: string) =>
      k.includes(`version-${versionId}/`) || k.includes(`track-${track.id}/`) || k.includes(`user-${artist.user.id}/`);
    expect((await storeKeys()).filter(theirs).length).toBeGreaterThan(3);
    const page = await (await contextFor(artist, PHONE)).newPage();
    await page.goto(`${platform.base}/settings`);
    await page.getByTestId('delete-account-start').click();
    await page.locator('#field-deletePassword').fill(`plum ${'embed-artist'.length} violet kettle harbour`);
    await screenshot(page, 'stewardship-delete-phone', { fullPage: false });
    await page.getByTestId('delete-account-confirm').click();
    await page.waitForURL(`${platform.base}/?account=deleted`);
    expect((await storeKeys()).filter(theirs)).toEqual([]);
    expect(
      await platform.infra.database.db
        .selectFrom('users')
        .select('id')
        .where('id', '=', artist.user.id)
        .executeTakeFirst(),
    ).toBeUndefined();
  });
});
