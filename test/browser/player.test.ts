/**
 * Playback end to end, in Chromium against the real platform (embedded mode, in this process): an artist
 * registers and uploads a generated tone through the API, the worker processes it, then a listener opens
 * the track page, plays (hls.js on MediaSource, AAC in fMP4), seeks on the waveform, and navigates to the
 * artist page while the same <audio> element keeps playing. A short tone played to its end is reported
 * and counted as a play; a signed-in listener leaving the page mid-track sends a follow-up report
 * that extends what the play heard, counted once.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { closeAfterAll } from '../support/lifecycle.ts';
import { generateTone, swelling } from '../support/audio.ts';
import { launchBrowser, openContext, screenshot } from '../support/browser.ts';
import { collectErrors } from '../support/page-errors.ts';
import { reportPagesOnFailure } from '../support/page-report.ts';
import { register, startPlatform, uploadTrack, waitUntilReady } from './platform-fixture.ts';
import type { RunningPlatform, UploadedTrack } from './platform-fixture.ts';

const TONE_SECONDS = 20;
/** Shorter than the 30 s threshold: it counts as a play when heard to its end. */
const SHORT_SECONDS = 4;

let platform: RunningPlatform;
let browser: Browser;
let track: UploadedTrack;
let shortTrack: UploadedTrack;
let quietTrack: UploadedTrack;
/** Longer than the 30 s threshold: the first report leaves mid-track, the follow-up when the page goes. */
let longTrack: UploadedTrack;
const LONG_SECONDS = 40;

reportPagesOnFailure();

beforeAll(async () => {
  platform = await startPlatform();
  const artist = await register(platform.base, 'tone-artist', 'artist');
  // A tone that swells and fades, so the waveform has a shape to draw.
  const file = await generateTone(path.join(platform.dataDir, 'tone.flac'), {
    seconds: TONE_SECONDS,
    freq: 440,
    extraArgs: swelling(0.45),
  });
  const uploaded = await uploadTrack(platform.base, artist.token, file, 'Tone at 440');
  const short = await uploadTrack(
    platform.base,
    artist.token,
    await generateTone(path.join(platform.dataDir, 'short.flac'), { seconds: SHORT_SECONDS, freq: 660 }),
    'Short tone',
  );
  // Quiet (ffmpeg's sine is at 1/8 of full scale; × 0.24 = 0.03: ebur128 says I ≈ −34.1 LUFS, so a
  // gain of about +16 dB) with one sample at 0.9 (true peak ≈ −3.9 dBTP, too brief to move the
  // integrated loudness): the headroom its peak leaves, not its gain, is what the player may apply.
  const quiet = await uploadTrack(
    platform.base,
    artist.token,
    await generateTone(path.join(platform.dataDir, 'quiet.flac'), {
      seconds: 8,
      freq: 440,
      extraArgs: ['-af', "volume=0.24,aeval='val(ch)+0.9*eq(n\\,22050)':c=same"],
    }),
    'Quiet with a click',
  );
  const long = await uploadTrack(
    platform.base,
    artist.token,
    await generateTone(path.join(platform.dataDir, 'long.flac'), { seconds: LONG_SECONDS, freq: 550 }),
    'Long tone',
  );
  track = await waitUntilReady(platform.base, artist.token, uploaded.id);
  longTrack = await waitUntilReady(platform.base, artist.token, long.id);
  shortTrack = await waitUntilReady(platform.base, artist.token, short.id);
  quietTrack = await waitUntilReady(platform.base, artist.token, quiet.id);
  browser = await launchBrowser();
}, 600_000);

closeAfterAll(() => [browser, platform]);

const audioTime = (page: Page) =>
  page.evaluate(() => document.querySelector<HTMLAudioElement>('audio[data-testid="player-audio"]')!.currentTime);

/** Waits until the audio element reaches `seconds` (within the bounded wait of every page: BROWSER_WAIT_MS). */
async function waitForTime(page: Page, seconds: number): Promise<void> {
  await page.waitForFunction(
    (s) => document.querySelector<HTMLAudioElement>('audio[data-testid="player-audio"]')!.currentTime > s,
    seconds,
    { polling: 100 },
  );
}

/** `earshot_plays_total` as the platform's /metrics says (labels, if any, ignored). */
async function playsTotal(): Promise<number> {
  const text = await (await fetch(`${platform.base}/metrics`)).text();
  const m = /^earshot_plays_total(?:\{[^}]*\})? (\d+)$/m.exec(text);
  if (!m) throw new Error('earshot_plays_total is missing from /metrics');
  return Number(m[1]);
}

/**
 * Keeps every GainNode the page creates in `window.gainNodes`, so a test reads the gain the audio
 * graph really applies (the player's own state is not what is checked).
 */
function recordGainNodes(): void {
  const w = window as unknown as { gainNodes: GainNode[] };
  w.gainNodes = [];
  const create = BaseAudioContext.prototype.createGain;
  BaseAudioContext.prototype.createGain = function (this: BaseAudioContext) {
    const node = create.call(this);
    w.gainNodes.push(node);
    return node;
  };
}

/** Waits until the player's gain node has settled on `factor` (it glides there with a 15 ms time constant). */
async function waitForGain(page: Page, factor: number): Promise<number> {
  await page.waitForFunction(
    (f) => {
      const nodes = (window as unknown as { gainNodes: GainNode[] }).gainNodes;
      return nodes.length === 1 && Math.abs(nodes[0]!.gain.value - f) < 1e-4;
    },
    factor,
    { polling: 50 },
  );
  return page.evaluate(() => (window as unknown as { gainNodes: GainNode[] }).gainNodes[0]!.gain.value);
}

async function trackLoudness(id: string): Promise<{ trackGainDb: number; truePeakDbtp: number }> {
  const body = (await (await fetch(`${platform.base}/api/v1/tracks/${id}`)).json()) as {
    track: { loudness: { trackGainDb: number; truePeakDbtp: number } };
  };
  return body.track.loudness;
}

async function openPage(url: string): Promise<{ page: Page; errors: string[] }> {
  const context = await openContext(browser);
  const page = await context.newPage();
  await page.addInitScript(recordGainNodes);
  const errors = collectErrors(page).list;
  const response = await page.goto(`${platform.base}${url}`);
  expect(response?.status()).toBe(200);
  return { page, errors };
}

describe('player', () => {
  it('plays the track page, seeks on the waveform and keeps playing across navigation', async () => {
    const trackUrl = `/${track.artist.handle}/${track.slug}`;
    const { page, errors } = await openPage(trackUrl);

    // Server-rendered: title and artist are in the HTML before any script runs.
    const html = await (await fetch(`${platform.base}${trackUrl}`)).text();
    expect(html).toContain('Tone at 440');
    expect(html).toContain('<title>Tone at 440 by Tone Artist · Earshot</title>');

    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Tone at 440');
    expect(await page.getByTestId('track-artist').textContent()).toBe('Tone Artist');
    expect(await page.getByTestId('track-page-duration').textContent()).toBe('0:20');
    const waveform = page.getByTestId('waveform');
    await page.locator('.waveform:not(.waveform--loading)').waitFor();
    expect(await waveform.getAttribute('class')).not.toContain('waveform--missing');

    // hls.js is not part of the page until something plays.
    const scriptsBefore = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .filter((n) => n.endsWith('.js')),
    );

    await page.getByTestId('play-track').click();
    await waitForTime(page, 3);
    const bar = page.getByTestId('player-bar');
    expect(await bar.getByTestId('player-title').textContent()).toBe('Tone at 440');
    expect(await bar.getByTestId('player-toggle').getAttribute('aria-label')).toBe('Pause');
    // Loudness normalisation is on by default. This tone (ffmpeg's sine at 1/8 of full scale, swelling
    // between 0.2 and 1 of that) measures about −24 LUFS, a gain of about +6 dB, with a true peak
    // near −18 dBTP: its peak leaves more headroom than its gain, so the whole gain applies. The
    // audio graph's gain node multiplies by 10^(G/20), and the button says +G.
    const loudness = await trackLoudness(track.id);
    expect(loudness.trackGainDb).toBeGreaterThan(3);
    expect(-loudness.truePeakDbtp).toBeGreaterThan(loudness.trackGainDb + 3);
    const normalize = bar.getByTestId('player-normalize');
    expect(await normalize.getAttribute('aria-pressed')).toBe('true');
    expect(await normalize.getAttribute('title')).toBe(
      `Loudness normalisation on (+${loudness.trackGainDb.toFixed(1)} dB)`,
    );
    expect(await waitForGain(page, 10 ** (loudness.trackGainDb / 20))).toBeCloseTo(
      10 ** (loudness.trackGainDb / 20),
      4,
    );
    // The OS media controls know what plays.
    expect(await page.evaluate(() => navigator.mediaSession.metadata?.title)).toBe('Tone at 440');
    const scriptsAfter = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .filter((n) => n.endsWith('.js')),
    );
    expect(scriptsAfter.length).toBeGreaterThan(scriptsBefore.length);
    // The media came through signed HLS paths.
    const media = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => new URL(e.name).pathname)
        .filter((p) => p.startsWith('/media/hls/')),
    );
    expect(media.some((p) => /\/version-\d+\/playlist\.m3u8$/.test(p))).toBe(true);
    expect(media.some((p) => p.endsWith('.m4s'))).toBe(true);

    // Click at 50% of the waveform: the element seeks to the middle (±1 s).
    await page.evaluate(() => {
      const audio = document.querySelector<HTMLAudioElement>('audio[data-testid="player-audio"]')!;
      audio.addEventListener(
        'seeked',
        () => ((window as unknown as { seekedAt: number }).seekedAt = audio.currentTime),
        { once: true },
      );
    });
    const box = (await waveform.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForFunction(() => typeof (window as unknown as { seekedAt?: number }).seekedAt === 'number');
    const seekedAt = await page.evaluate(() => (window as unknown as { seekedAt: number }).seekedAt);
    expect(Math.abs(seekedAt - TONE_SECONDS / 2)).toBeLessThanOrEqual(1);
    await waitForTime(page, seekedAt + 0.5);
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2);
    await screenshot(page, 'track-page', { fullPage: false });
    await screenshot(page, 'player-bar', { fullPage: false });

    // Keyboard: space pauses and resumes, ← seeks back 5 s.
    await page.mouse.move(0, 0);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Space');
    await page.waitForFunction(
      () => document.querySelector<HTMLAudioElement>('audio[data-testid="player-audio"]')!.paused,
    );
    const pausedAt = await audioTime(page);
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(
      (t) =>
        Math.abs(document.querySelector<HTMLAudioElement>('audio[data-testid="player-audio"]')!.currentTime - (t - 5)) <
        0.5,
      pausedAt,
    );
    await page.keyboard.press('Space');
    await waitForTime(page, pausedAt - 4);
    // Two presses before the element's events arrive (a busy browser runs input first): paused, then
    // playing again — not paused twice because the player's state still said "playing".
    const pausedAfterTwoPresses = await page.evaluate(async () => {
      for (let i = 0; i < 2; i++) window.dispatchEvent(new KeyboardEvent('keydown', { key: ' ' }));
      await new Promise((resolve) => setTimeout(resolve, 0));
      return document.querySelector<HTMLAudioElement>('audio[data-testid="player-audio"]')!.paused;
    });
    expect(pausedAfterTwoPresses).toBe(false);

    // Client-side navigation to the artist page: same element, still playing.
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
      (document.querySelector('audio[data-testid="player-audio"]') as HTMLAudioElement & { marker?: string }).marker =
        'the-one';
    });
    const before = await audioTime(page);
    await page.getByTestId('track-artist').click();
    await page.waitForURL(`${platform.base}/${track.artist.handle}`);
    await waitForTime(page, before + 1);
    const after = await page.evaluate(() => {
      const audio = document.querySelector('audio[data-testid="player-audio"]') as HTMLAudioElement & {
        marker?: string;
      };
      return {
        marker: audio.marker,
        paused: audio.paused,
        notReloaded: (window as unknown as { notReloaded?: boolean }).notReloaded,
      };
    });
    expect(after).toEqual({ marker: 'the-one', paused: false, notReloaded: true });
    expect(await page.getByTestId('player-title').textContent()).toBe('Tone at 440');

    // Normalisation can be turned off; the choice is remembered.
    await page.getByTestId('player-normalize').click();
    expect(await page.getByTestId('player-normalize').getAttribute('aria-pressed')).toBe('false');
    // Off: the gain node passes the track through at full volume.
    expect(await waitForGain(page, 1)).toBeCloseTo(1, 4);
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('earshot.player') ?? '{}').normalize)).toBe(false);

    // And home, through the header: the bar is still there, and the card plays through it.
    await page.getByRole('link', { name: 'Earshot, home' }).click();
    await page.waitForURL(`${platform.base}/`);
    const card = page.getByTestId('track-card').filter({ hasText: 'Tone at 440' });
    await card.waitFor();
    // From the top, so the sticky header sits where it belongs in the full-page shot.
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'home');
    expect(await card.getByTestId('play-track').getAttribute('aria-label')).toBe('Pause Tone at 440');
    await card.getByTestId('play-track').click();
    await page.waitForFunction(
      () => document.querySelector<HTMLAudioElement>('audio[data-testid="player-audio"]')!.paused,
    );

    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('turns a quiet track up only as far as its true peak allows', async () => {
    const loudness = await trackLoudness(quietTrack.id);
    // The worker measured what the tone was made to be: a gain of about +16 dB, a true peak of about
    // −3.9 dBTP. The peak leaves far less than the gain, so the headroom limit binds.
    expect(loudness.trackGainDb).toBeGreaterThan(10);
    expect(loudness.truePeakDbtp).toBeGreaterThan(-8);
    expect(loudness.truePeakDbtp).toBeLessThan(-1);
    const headroom = -loudness.truePeakDbtp;
    expect(loudness.trackGainDb).toBeGreaterThan(headroom + 5);
    const { page, errors } = await openPage(`/${quietTrack.artist.handle}/${quietTrack.slug}`);
    await page.getByTestId('play-track').click();
    await waitForTime(page, 0.5);
    // The gain node applies the headroom −P (the peak lands at 0 dBTP), not +G (it would clip by G − headroom dB).
    expect(await waitForGain(page, 10 ** (headroom / 20))).toBeCloseTo(10 ** (headroom / 20), 4);
    expect(await page.getByTestId('player-normalize').getAttribute('title')).toBe(
      `Loudness normalisation on (+${headroom.toFixed(1)} dB)`,
    );
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('plays from a track card on the home page through the player bar', async () => {
    const { page, errors } = await openPage('/');
    const card = page.getByTestId('track-card').filter({ hasText: 'Tone at 440' });
    await card.waitFor();
    await card.getByTestId('play-track').click();
    await waitForTime(page, 1);
    expect(await page.getByTestId('player-title').textContent()).toBe('Tone at 440');
    expect(await page.getByTestId('player-title').getAttribute('href')).toBe(`/${track.artist.handle}/${track.slug}`);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('reports a short track heard to its end, and the API counts it as a play', async () => {
    const before = await playsTotal();
    const { page, errors } = await openPage(`/${shortTrack.artist.handle}/${shortTrack.slug}`);
    const reported = page.waitForResponse(
      (r) => r.url().endsWith(`/api/v1/tracks/${shortTrack.id}/plays`) && r.request().method() === 'POST',
    );
    await page.getByTestId('play-track').click();
    const response = await reported;
    expect(response.status()).toBe(201);
    expect(JSON.parse(response.request().postData() ?? '{}')).toMatchObject({
      versionId: expect.stringMatching(/^\d+$/),
      secondsListened: expect.any(Number),
    });
    await page.waitForFunction(
      () => document.querySelector<HTMLAudioElement>('audio[data-testid="player-audio"]')!.ended,
      null,
      { polling: 100 },
    );
    expect(await playsTotal()).toBe(before + 1);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('sends a follow-up report when the page goes: the play hears up to there, counted once', async () => {
    const listener = await register(platform.base, 'leaving-listener', 'listener');
    const before = await playsTotal();
    const context = await openContext(browser);
    // Signed in by cookie: the follow-up passes the CSRF check like any write of the web app.
    await context.addCookies(listener.cookies.map((c) => ({ ...c, url: platform.base })));
    const page = await context.newPage();
    const errors = collectErrors(page).list;
    await page.goto(`${platform.base}/${longTrack.artist.handle}/${longTrack.slug}`);
    const first = page.waitForResponse(
      (r) => r.url().endsWith(`/api/v1/tracks/${longTrack.id}/plays`) && r.request().method() === 'POST',
    );
    await page.getByTestId('play-track').click();
    await waitForTime(page, 0.2);
    // Twice as fast: the 30 s threshold in 15 s (timeupdate steps stay well under the meter's 2 s).
    await page.evaluate(() => {
      document.querySelector<HTMLAudioElement>('audio[data-testid="player-audio"]')!.playbackRate = 2;
    });
    expect((await first).status()).toBe(201);
    const heardAtFirst = (await playRows())[0]!.heard_pct!;
    await waitForTime(page, 34);
    // Another document: the player's page goes (pagehide, then hidden) while the track plays.
    await page.goto('about:blank');
    // The follow-up extends the same play to where the listener left (bucket 84 is 33.6 s of 40 s).
    let rows = await playRows();
    for (let i = 0; i < 600 && Math.max(...(rows[0]?.heard_pct ?? [0])) < 84; i++) {
      await new Promise((r) => setTimeout(r, 100));
      rows = await playRows();
    }
    expect(rows).toHaveLength(1);
    expect(Math.max(...rows[0]!.heard_pct!)).toBeGreaterThanOrEqual(84);
    expect(Math.max(...heardAtFirst)).toBeLessThan(Math.max(...rows[0]!.heard_pct!));
    expect(await playsTotal()).toBe(before + 1);
    expect(errors).toEqual([]);
    await context.close();

    async function playRows() {
      return platform.infra.database.db
        .selectFrom('plays')
        .select('heard_pct')
        .where('track_id', '=', longTrack.id)
        .where('user_id', '=', listener.user.id)
        .execute();
    }
  });

  it('answers an unknown track with the not-found page', async () => {
    const context = await openContext(browser);
    const page = await context.newPage();
    const response = await page.goto(`${platform.base}/${track.artist.handle}/no-such-track`);
    expect(response?.status()).toBe(404);
    await context.close();
  });

  it('answers an unknown handle with the not-found page, and a known one with its profile', async () => {
    const context = await openContext(browser);
    const page = await context.newPage();
    const missing = await page.goto(`${platform.base}/nobody-goes-by-this`);
    expect(missing?.status()).toBe(404);
    const found = await page.goto(`${platform.base}/${track.artist.handle}`);
    expect(found?.status()).toBe(200);
    // The profile header is in the server's HTML, not only after the browser has fetched it.
    expect(await found!.text()).toContain(`data-testid="profile-name">${track.artist.displayName}<`);
    await page.getByTestId('profile-name').waitFor();
    await context.close();
  });
});
