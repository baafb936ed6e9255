/**
 * Chromium plays a version while it is still being processed (docs/performance.md, "Playable in
 * seconds"): the real pipeline (`transcodeHls` handing over segments, EVENT playlists and the
 * provisional master) feeds the real object store, served by the API's signed media route; hls.js
 * (configured as the player configures it) plays from the start to the end. The encoders are
 * slowed to 4× real time (`readRate`), so playback starts while most of the track does not exist
 * yet and keeps running into segments published after it started.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium, type Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { signHlsPath } from '@earshot/core';
import { isGrowingPlaylist, transcodeHls } from '@earshot/media';
import { contentTypeFor, keys } from '@earshot/storage';
import { generateTone } from '../support/audio.ts';
import { CHROMIUM_ARGS } from '../support/browser.ts';
import { createTestApi, type TestApi } from '../support/factories.ts';
import { closableServer, closeAfterAll } from '../support/lifecycle.ts';

const SECRET = 'growing-stream-test-secret-0123456789';
const VERSION = '4242';
const SECONDS = 75;
/** The encoders read the source at 4× real time (ffmpeg's `-readrate`): a segment every 1.5 s. */
const READ_RATE = 4;

let api: TestApi;
let server: http.Server;
let base: string;
let browser: Browser;

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>growing</title></head><body>
<audio id="a"></audio><script src="/hls.light.min.js"></script><script src="/page.js"></script></body></html>`;

/** The player's hls.js settings (apps/web/lib/player/hls-source.ts) that matter here. */
const SCRIPT = `
const events = { errors: [], waitingAfterStart: 0, started: false, ended: false, playlistLoads: 0, lastTime: 0, duration: 0 };
window.events = events;
const audio = document.getElementById('a');
audio.muted = true;
const hls = new Hls({ enableWorker: false, startPosition: 0, maxBufferLength: 60, maxMaxBufferLength: 120, backBufferLength: 30 });
hls.on(Hls.Events.ERROR, (_e, d) => events.errors.push(d.details + (d.fatal ? ' (fatal)' : '')));
hls.on(Hls.Events.LEVEL_LOADED, (_e, d) => { events.playlistLoads++; events.live = d.details.live; });
audio.addEventListener('playing', () => { events.started = true; });
audio.addEventListener('waiting', () => { if (events.started) events.waitingAfterStart++; });
audio.addEventListener('timeupdate', () => { events.lastTime = audio.currentTime; events.duration = audio.duration; });
audio.addEventListener('ended', () => { events.ended = true; });
window.start = (url) => { hls.loadSource(url); hls.attachMedia(audio); audio.playbackRate = 2; return audio.play().then(() => 'ok', (e) => String(e)); };
`;

beforeAll(async () => {
  api = await createTestApi({ infra: { env: { SECURE_LINK_SECRET: SECRET } }, api: { serveMedia: true } });
  const hlsJs = await readFile(
    path.join(path.dirname(createRequire(import.meta.url).resolve('hls.js')), 'hls.light.min.js'),
  );
  // A page of its own (no app CSP in the way); media requests go to the API's route as they are.
  server = http.createServer(async (req, res) => {
    if (req.url === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    if (req.url === '/hls.light.min.js')
      return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(hlsJs);
    if (req.url === '/page.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(SCRIPT);
    const r = await api.app.inject({ url: req.url ?? '/', headers: { range: req.headers.range ?? '' } });
    const headers: Record<string, string> = {};
    for (const h of ['content-type', 'cache-control', 'content-range', 'accept-ranges'])
      if (r.headers[h]) headers[h] = String(r.headers[h]);
    res.writeHead(r.statusCode, headers).end(r.rawPayload);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required'],
  });
});
closeAfterAll(() => [browser, closableServer(server), api]);

describe('a growing stream in Chromium', () => {
  it('hls.js plays it from its start to its end without a stall or an error while segments keep arriving', async () => {
    const source = await generateTone(path.join(api.t.dataDir, 'growing.flac'), { seconds: SECONDS });
    const outDir = path.join(api.t.dataDir, 'growing-out');
    const prefix = keys.hlsPrefix(VERSION);
    const store = api.t.infra.store;
    const put = (rel: string, body: string | Buffer) =>
      store.put('transcodes', `${prefix}${rel}`, body, { contentType: contentTypeFor(rel) });

    let masterReady!: () => void;
    const masterPublished = new Promise<void>((r) => {
      masterReady = r;
    });
    const t0 = performance.now();
    let growingWhenStarted = -1;
    const encode = transcodeHls(
      source,
      outDir,
      { sampleRate: 44100, channels: 2, durationMs: SECONDS * 1000 },
      {
        readRate: READ_RATE,
        onPublish: async (p) => {
          if (p.kind === 'master') {
            await put(p.playlist, p.text);
            masterReady();
            return;
          }
          for (const f of p.files) await put(f, await readFile(path.join(outDir, f)));
          await put(p.playlist, p.playlistText);
        },
      },
    );

    await masterPublished;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/`);
    const master = signHlsPath(VERSION, 600, SECRET, new Date()).path;
    expect(await page.evaluate((url) => (window as any).start(url), master)).toBe('ok');
    await page.waitForFunction(() => (window as any).events.started, null, { timeout: 60_000 });
    const startedAfterMs = performance.now() - t0;
    // Playback started while the top rendition was still growing.
    const top = await store.get('transcodes', `${prefix}160k/index.m3u8`);
    const chunks: Buffer[] = [];
    for await (const c of top.body) chunks.push(c as Buffer);
    growingWhenStarted = isGrowingPlaylist(Buffer.concat(chunks).toString()) ? 1 : 0;
    expect(growingWhenStarted).toBe(1);

    await page.waitForFunction(() => (window as any).events.ended, null, { timeout: 300_000 });
    await encode;
    const events = await page.evaluate(() => (window as any).events);
    console.info(
      `growing stream: playing ${startedAfterMs.toFixed(0)} ms after the encode began; ${events.playlistLoads} playlist loads; played to ${events.lastTime.toFixed(2)} s of ${events.duration.toFixed(2)} s`,
    );
    expect(events.errors).toEqual([]);
    expect(events.waitingAfterStart).toBe(0);
    // The first load and at least two reloads of the growing playlist while it played (hls.js
    // reloads a live playlist about once a target duration, 6 s; how many fit before the end is
    // published depends on how soon playback started on this machine).
    expect(events.playlistLoads).toBeGreaterThanOrEqual(3);
    expect(events.lastTime).toBeGreaterThan(SECONDS - 0.5);
    await context.close();
  });
});
