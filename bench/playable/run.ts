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
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { buffer } from 'node:stream/consumers';
import { chromium } from 'playwright-core';
import { loadConfig } from '@earshot/config';
import { createDatabase, migrateToLatest } from '@earshot/db';
import { EmbeddedJobQueue } from '@earshot/jobs';
import { isGrowingPlaylist } from '@earshot/media';
import { contentTypeFor, keys, LocalObjectStore } from '@earshot/storage';
import { createTrackFromUpload, InProcessProgressBus } from '@earshot/core';
import { createCoreDeps, createLogger, createMediaToolkit } from '@earshot/runtime';
import { createHandlers, startProcessing } from '../../apps/worker/src/index.ts';
import { makeMaster } from '../lib/ffmpeg.ts';
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
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, { persistDevSecrets: false });
  const logger = createLogger(config, 'bench');
  const database = await createDatabase({ ...config.database, pgliteDir: 'memory://' });
  await migrateToLatest(database.db);
  const store = new LocalObjectStore({ root: path.join(dataDir, 'storage') });
  await store.ensureBuckets();
  const jobs = new EmbeddedJobQueue({ db: database.db });
  const progress = new InProcessProgressBus();
  const media = createMediaToolkit();
  const { core, close: closeCore } = createCoreDeps({
    config,
    logger,
    infra: { database, store, jobs, progress },
    media,
  });
  startProcessing(jobs, createHandlers(core), logger);
  const owner = await database.db
    .insertInto('users')
    .values({ email: 'b@example.com', handle: 'bench', display_name: 'B', password_hash: 'x', role: 'artist' })
    .returning('id')
    .executeTakeFirstOrThrow();

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

  const ready = new Promise<number>((resolve, reject) => {
    progress.subscribe((e) => {
      if (e.type !== 'version.status') return;
      if (e.status === 'ready') resolve(Date.now());
      if (e.status === 'failed') reject(new Error(`version failed: ${e.error ?? ''}`));
    });
  });
  const size = (await stat(input)).size;
  const created = await createTrackFromUpload(
    core,
    { id: owner.id, role: 'artist' },
    { path: input, originalFilename: path.basename(input), sizeBytes: size },
    { title: 'bench' },
  );
  const t0 = Date.now(); // the 201
  // The player starts once the provisional master is there (the track page learns it from a live
  // event; looked for here every 20 ms).
  const master = keys.hlsMaster(String(created.latestVersion.id));
  while (!(await store.head('transcodes', master))) await new Promise((r) => setTimeout(r, 20));
  const found = Date.now();
  await page.evaluate(({ url, top }) => (window as any).start(url, top), { url: `${base}/hls/${master}`, top: 2 });
  await page.waitForFunction(() => (window as any).result !== null, null, { timeout: 600_000, polling: 50 });
  const result = await page.evaluate(() => (window as any).result);
  if (result.error) throw new Error(`hls.js: ${result.error}`);
  const readyAt = await ready;
  await page.close();
  await new Promise((r) => server.close(r));
  await jobs.close(5_000);
  await closeCore();
  await database.close();
  return {
    playableMs: result.at - t0,
    readyMs: readyAt - t0,
    // Where the time went: until the provisional master was there (the player started), then the player.
    masterMs: found - t0,
  };
}

async function main(): Promise<void> {
  ensureBenchPrerequisites('playable');
  const lengths = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
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
    for (const seconds of lengths.length ? lengths : [180, 600, 3600]) {
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
