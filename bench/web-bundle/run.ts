/**
 * Web bundle benchmark (docs/architecture.md, "Performance budgets"): the compressed JavaScript a listener's browser downloads
 * for the track page, next to the floor every page pays (the not-found page: Next.js, React and the
 * root layout with its header and player bar) and the home page, measured in one run in Debian's
 * Chromium. Budget: the track page ships < 200 KB of compressed JavaScript; the check is on the page
 * as it loads. hls.js is not part of that: it is fetched on the first press of play, and its cost is
 * printed on its own line.
 *
 *   npm run bench:web-bundle
 *
 * Every script response the page loads is recorded (including chunks loaded later, e.g. hls.js
 * once play is pressed) and compressed here with gzip level 6 (nginx's `gzip_comp_level` in
 * nginx/templates) and brotli quality 11 (what a precompressing build would ship), so the figure
 * does not depend on whether the server in front compresses.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openContext } from '../../test/support/browser.ts';
import { generateTone } from '../../test/support/audio.ts';
import { register, startPlatform, uploadTrack, waitUntilReady } from '../../test/browser/platform-fixture.ts';
import { ensureBenchPrerequisites } from '../lib/prerequisites.ts';

const BUDGET_KB = 200;

interface Scripts {
  files: number;
  rawKb: number;
  gzipKb: number;
  brotliKb: number;
}

function kb(bytes: number): number {
  return bytes / 1024;
}

/** Loads a page in a fresh context; `then` may act on it (press play) before the scripts are summed. */
async function measure(browser: Browser, url: string, then?: (page: Page) => Promise<void>): Promise<Scripts> {
  const context = await openContext(browser);
  const page = await context.newPage();
  const bodies = new Map<string, Promise<Buffer | null>>();
  page.on('response', (res) => {
    if (res.request().resourceType() !== 'script' || bodies.has(res.url())) return;
    bodies.set(
      res.url(),
      res.body().catch(() => null),
    );
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  if (then) {
    await then(page);
    await page.waitForLoadState('networkidle');
  }
  const all = (await Promise.all(bodies.values())).filter((b): b is Buffer => b !== null);
  await context.close();
  const sum = (f: (b: Buffer) => number) => kb(all.reduce((n, b) => n + f(b), 0));
  return {
    files: all.length,
    rawKb: sum((b) => b.length),
    gzipKb: sum((b) => gzipSync(b, { level: 6 }).length),
    brotliKb: sum((b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length),
  };
}

async function main(): Promise<void> {
  ensureBenchPrerequisites('web-bundle');
  const platform = await startPlatform();
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'earshot-bench-web-'));
  const browser = await launchBrowser();
  try {
    const artist = await register(platform.base, `bench-${Date.now().toString(36)}`, 'artist');
    const file = await generateTone(path.join(scratch, 'tone.flac'), { seconds: 20 });
    const uploaded = await uploadTrack(platform.base, artist.token, file, 'Bench tone');
    const track = await waitUntilReady(platform.base, artist.token, uploaded.id);
    const trackUrl = `${platform.base}/${track.artist.handle}/${track.slug}`;

    const rows: [string, Scripts][] = [
      ['not-found page (floor: framework + layout)', await measure(browser, `${platform.base}/no/such/page`)],
      ['home page', await measure(browser, `${platform.base}/`)],
      ['track page, loaded', await measure(browser, trackUrl)],
      [
        'track page, after pressing play (hls.js loaded)',
        await measure(browser, trackUrl, async (page) => {
          await page.getByTestId('play-track').first().click();
          await page.waitForFunction(
            () =>
              (document.querySelector<HTMLAudioElement>('audio[data-testid="player-audio"]')?.currentTime ?? 0) > 0.5,
          );
        }),
      ],
    ];

    const f = (n: number) => n.toFixed(1);
    console.log(`\nJavaScript per page (KB; gzip -6 and brotli -11 computed from the bodies served)\n`);
    console.log('| page | files | raw | gzip | brotli |');
    console.log('|---|---:|---:|---:|---:|');
    for (const [name, s] of rows)
      console.log(`| ${name} | ${s.files} | ${f(s.rawKb)} | ${f(s.gzipKb)} | ${f(s.brotliKb)} |`);
    const [floor, , loaded, playing] = rows.map(([, s]) => s) as [Scripts, Scripts, Scripts, Scripts];
    console.log(
      `\ntrack page as loaded: ${f(loaded.gzipKb)} KB gzip (budget < ${BUDGET_KB} KB): ${f(floor.gzipKb)} KB every page pays, ${f(loaded.gzipKb - floor.gzipKb)} KB of the track page`,
    );
    console.log(
      `on the first play, hls.js adds ${f(playing.gzipKb - loaded.gzipKb)} KB gzip (${f(playing.gzipKb)} KB in all)`,
    );
    if (loaded.gzipKb >= BUDGET_KB) {
      console.log('budget missed');
      process.exitCode = 1;
    }
  } finally {
    await browser.close();
    await platform.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

await main();
