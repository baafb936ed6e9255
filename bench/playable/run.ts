/**
 * Playable in seconds (docs/performance.md, "Playable in seconds"): time from the upload's answer
 * (`createTrackFromUpload` returning, what the 201 waits for) to the first segment of the top
 * rendition buffered by hls.js in Chromium, next to the time to `ready` (when a version was
 * playable before the stream was published as it grows) in the same run.
 *
 *   npm run bench:playable               # 3, 10 and 60 minutes
 *   npm run bench:playable -- 180        # one length, in seconds
 *
 * The worker runs in this process as `npm start` runs it (embedded queue, local storage, the
 * CPU-based concurrency). Chromium has the player page open before the upload, as a listener's
 * tab would; files are served from the object store through its port, growing playlists
 * `no-cache`, as the embedded media route serves them. The load average is printed before and
 * after each length: figures from a busy machine prove the path works, not a budget.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { buffer } from 'node:stream/consumers';
import { chromium } from 'playwright-core';
import { isGrowingPlaylist } from '@earshot/media';
import { contentTypeFor, keys } from '@earshot/storage';
import { lengthsFromArgs, makeMaster } from '../lib/ffmpeg.ts';
import { startEmbeddedPipeline } from '../lib/embedded-pipeline.ts';
import { ensureBenchPrerequisites } from '../lib/prerequisites.ts';

/** Tones over pink noise (cheap to make); 60 minutes and more: a tone alone (a small FLAC). */
const makeMasterOf = (dir: string, seconds: number): Promise<string> =>
  makeMaster(path.join(dir, `master-${seconds}s.flac`), seconds, { toneOnly: seconds >= 3600 });

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>playable</title></head><body>
<audio id="a"></audio><script src="/hls.light.min.js"></script><script>
window.result = null;
window.start = (url, top) => {
  const audio = document.getElementById('a');
  audio.muted = true;
  const hls = new Hls({ enableWorker: false, startPosition: 0, startLevel: top, maxBufferLength: 60 });
  hls.on(Hls.Events.ERROR, (_e, d) => { if (d.fatal) window.result = { error: d.details }; });
  hls.on(Hls.Events.FRAG_BUFFERED, (_e, d) => {
    if (window.result === null && d.frag.level === top && d.frag.sn !== 'initSegment') window.result = { at: Date.now() };
  });
  hls.loadSource(url);
  hls.attachMedia(audio);
  audio.play().catch(() => {});
};
</script></body></html>`;

async function run(input: string, dataDir: string, browser: import('playwright-core').Browser) {
  const { store, ready, upload, close } = await startEmbeddedPipeline(dataDir);

  const hlsJs = await readFile(
    path.join(path.dirname(createRequire(import.meta.url).resolve('hls.js')), 'hls.light.min.js'),
  );
  const server = http.createServer(async (req, res) => {
    const url = req.url ?? '/';
    if (url === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    if (url === '/hls.light.min.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(hlsJs);
    const key = url.replace(/^\/hls\//, '');
    try {
      const body = await buffer((await store.get('transcodes', key)).body);
      const growing = key.endsWith('.m3u8') && isGrowingPlaylist(body.toString());
      res
        .writeHead(200, {
          'content-type': contentTypeFor(key) ?? 'application/octet-stream',
          'cache-control': growing ? 'no-cache' : 'max-age=60',
        })
        .end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const page = await browser.newPage();
  await page.goto(`${base}/`);

  const created = await upload(input);
  const t0 = Date.now(); // the 201, on the clock the page reports in
  const p0 = performance.now();
  // The player starts once the provisional master is there (the track page learns it from a live
  // event; looked for here every 20 ms).
  const master = keys.hlsMaster(String(created.latestVersion.id));
  while (!(await store.head('transcodes', master))) await new Promise((r) => setTimeout(r, 20));
  const found = performance.now();
  await page.evaluate(({ url, top }) => (window as any).start(url, top), { url: `${base}/hls/${master}`, top: 2 });
  await page.waitForFunction(() => (window as any).result !== null, null, { timeout: 600_000, polling: 50 });
  const result = await page.evaluate(() => (window as any).result);
  if (result.error) throw new Error(`hls.js: ${result.error}`);
  const readyAt = await ready;
  await page.close();
  await new Promise((r) => server.close(r));
  await close();
  return {
    playableMs: result.at - t0,
    readyMs: readyAt - p0,
    // Where the time went: until the provisional master was there (the player started), then the player.
    masterMs: found - p0,
  };
}

async function main(): Promise<void> {
  ensureBenchPrerequisites('playable');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required'],
  });
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  const rows: string[] = [];
  try {
    for (const seconds of lengthsFromArgs([180, 600, 3600])) {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-bench-playable-'));
      try {
        const master = await makeMasterOf(dir, seconds);
        const before = load();
        const r = await run(master, path.join(dir, 'data'), browser);
        rows.push(
          `| ${seconds / 60} min | ${(r.playableMs / 1000).toFixed(2)} s (budget ≤ 3 s) | ${(r.masterMs / 1000).toFixed(2)} s | ${(r.readyMs / 1000).toFixed(1)} s | ${before} → ${load()} |`,
        );
        console.log(rows.at(-1));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await browser.close();
  }
  console.log(
    `\ncores: ${os.cpus().length}\n| master | 201 → first top-rendition segment buffered in Chromium | of which 201 → provisional master | 201 → ready (playable before) | load average (1/5/15 min) before → after |\n|---|---|---|---|---|`,
  );
  for (const r of rows) console.log(r);
  const [load1] = os.loadavg();
  if (load1! > os.cpus().length * 0.5)
    console.log(
      `\nThe machine was busy (load average ${load1!.toFixed(1)} on ${os.cpus().length} cores): these figures show the path works; they are no budget figure.`,
    );
}

await main();
