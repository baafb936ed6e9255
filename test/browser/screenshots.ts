/**
 * Screenshots of the main pages, desktop and phone, for comparing a visual change by eye (a CSS
 * move, a layout change): `npx tsx test/browser/screenshots.ts <label>` writes
 * `screenshots/look-<label>-<page>-<viewport>.png`. Run it before and after the change (each on its
 * own build: `npm run build:web`) and look at the pairs. Not a test: it asserts nothing.
 */
import path from 'node:path';
import { generateTone, swelling } from '../support/audio.ts';
import { launchBrowser, openContext, screenshot } from '../support/browser.ts';
import { register, startPlatform, uploadReadyTrack } from './platform-fixture.ts';

const label = process.argv[2] ?? 'now';
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

const platform = await startPlatform();
const browser = await launchBrowser();
try {
  const artist = await register(platform.base, 'look-artist', 'artist');
  const file = await generateTone(path.join(platform.dataDir, 'tone.flac'), {
    seconds: 8,
    freq: 440,
    extraArgs: swelling(0.45),
  });
  const track = await uploadReadyTrack(platform.base, artist.token, file, 'Tone at 440');
  const pages: Array<{ name: string; path: string; signedIn: boolean; ready: string }> = [
    { name: 'home', path: '/', signedIn: false, ready: '.track-grid' },
    {
      name: 'track',
      path: `/${track.artist.handle}/${track.slug}`,
      signedIn: false,
      ready: '[data-testid="track-page"]',
    },
    { name: 'artist', path: `/${track.artist.handle}`, signedIn: false, ready: '.track-grid' },
    { name: 'login', path: '/login', signedIn: false, ready: 'form[data-hydrated]' },
    { name: 'register', path: '/register', signedIn: false, ready: 'form[data-hydrated]' },
    { name: 'settings', path: '/settings', signedIn: true, ready: '[data-testid="profile-form"]' },
    { name: 'upload', path: '/upload', signedIn: true, ready: '[data-testid="dropzone"]' },
  ];
  for (const [viewportName, viewport] of Object.entries(VIEWPORTS)) {
    for (const p of pages) {
      const context = await openContext(browser, { viewport });
      if (p.signedIn)
        await context.addCookies(artist.cookies.map((c) => ({ name: c.name, value: c.value, url: platform.base })));
      const page = await context.newPage();
      await page.goto(`${platform.base}${p.path}`);
      await page.waitForSelector(p.ready, { state: 'attached' });
      await page.evaluate(() => document.fonts.ready);
      await page.waitForTimeout(500); // images (artwork, waveform) settle; a picture, not an assertion
      console.log(await screenshot(page, `look-${label}-${p.name}-${viewportName}`));
      await context.close();
    }
  }
} finally {
  await browser.close();
  await platform.close();
}
