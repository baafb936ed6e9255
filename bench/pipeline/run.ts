/**
 * Pipeline benchmark (docs/architecture.md, "Performance budgets"): wall time of upload → ready for a 3-minute and a
 * 10-minute master, next to the best hand-written ffmpeg commands producing the same outputs
 * (three AAC HLS renditions + peaks + loudness + cover art), measured in the same run on the same
 * machine. Budget: ≤ 1.2× the hand-written commands and ≥ 20× faster than real time.
 *
 *   npm run bench:pipeline            # both lengths
 *   npm run bench:pipeline -- 180     # one length, in seconds
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ffmpeg, lavfi, lengthsFromArgs, makeMaster } from '../lib/ffmpeg.ts';
import { startEmbeddedPipeline } from '../lib/embedded-pipeline.ts';
import { ensureBenchPrerequisites } from '../lib/prerequisites.ts';

const exec = promisify(execFile);

/** A master that sounds like music to the encoders: tones over pink noise, with a JPEG cover. */
async function makeMasterWithCover(dir: string, seconds: number): Promise<string> {
  const cover = path.join(dir, 'cover.jpg');
  await ffmpeg([...lavfi('testsrc=size=1400x1400:rate=1'), '-frames:v', '1', cover]);
  return makeMaster(path.join(dir, `master-${seconds}s.flac`), seconds, { cover });
}

/** The best hand-written equivalent: every output in parallel, one ffmpeg per rendition. */
async function handWritten(input: string, out: string): Promise<number> {
  await rm(out, { recursive: true, force: true });
  // Made before any command starts: the peaks command writes straight into it.
  await mkdir(out, { recursive: true });
  const t0 = performance.now();
  const renditions = [64, 128, 160].map(async (kbps) => {
    const dir = path.join(out, `${kbps}k`);
    await mkdir(dir, { recursive: true });
    const audio = ['-map', '0:a:0', '-vn', '-c:a', 'aac', '-b:a', `${kbps}k`, '-ar', '44100', '-ac', '2'];
    const hls = ['-f', 'hls', '-hls_time', '6', '-hls_playlist_type', 'vod', '-hls_segment_type', 'fmp4'];
    const files = ['-hls_fmp4_init_filename', 'init.mp4', '-hls_segment_filename', path.join(dir, 'seg_%05d.m4s')];
    await ffmpeg([
      '-i',
      input,
      ...audio,
      ...hls,
      ...files,
      '-hls_flags',
      'independent_segments',
      path.join(dir, 'index.m3u8'),
    ]);
  });
  const peaks = ffmpeg([
    '-i',
    input,
    '-map',
    '0:a:0',
    '-ac',
    '1',
    '-f',
    's16le',
    '-acodec',
    'pcm_s16le',
    path.join(out, 'peaks.raw'),
  ]);
  const loudness = ffmpeg(['-i', input, '-map', '0:a:0', '-af', 'ebur128=peak=true', '-f', 'null', '-']);
  const art = ffmpeg([
    '-i',
    input,
    '-map',
    '0:v:0',
    '-vf',
    'scale=1000:1000:force_original_aspect_ratio=decrease',
    '-frames:v',
    '1',
    path.join(out, 'cover-1000.jpg'),
  ]);
  await Promise.all([...renditions, peaks, loudness, art]);
  return performance.now() - t0;
}

async function pipeline(input: string, dataDir: string): Promise<number> {
  const pipeline = await startEmbeddedPipeline(dataDir);
  const t0 = performance.now();
  await pipeline.upload(input);
  const ms = (await pipeline.ready) - t0;
  await pipeline.close();
  return ms;
}

async function main(): Promise<void> {
  ensureBenchPrerequisites('pipeline');
  const { stdout } = await exec('ffmpeg', ['-version']);
  console.log(`ffmpeg: ${stdout.split('\n')[0]}; cores: ${os.cpus().length}`);
  const rows: string[] = [];
  for (const seconds of lengthsFromArgs([180, 600])) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-bench-pipeline-'));
    try {
      const master = await makeMasterWithCover(dir, seconds);
      // Alternate the two, three times, and keep each one's best run: the machine's noise hits both.
      const hand: number[] = [];
      const ours: number[] = [];
      for (let round = 0; round < 3; round++) {
        hand.push(await handWritten(master, path.join(dir, 'hand')));
        ours.push(await pipeline(master, path.join(dir, `pipeline-${round}`)));
      }
      const h = Math.min(...hand);
      const p = Math.min(...ours);
      rows.push(
        `| ${seconds / 60} min | ${(p / 1000).toFixed(1)} s | ${(h / 1000).toFixed(1)} s | ${(p / h).toFixed(2)}× (budget ≤ 1.2×) | ${((seconds * 1000) / p).toFixed(1)}× (budget ≥ 20×) |`,
      );
      console.log(rows[rows.length - 1]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  console.log(
    '\n| master | pipeline (upload → ready) | hand-written ffmpeg | ratio | faster than real time |\n|---|---|---|---|---|',
  );
  for (const r of rows) console.log(r);
}

await main();
