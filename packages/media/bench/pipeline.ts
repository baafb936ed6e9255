/**
 * Side-by-side timing for platform.md §8: the media pipeline (all HLS renditions + peaks +
 * loudness, started together as the worker's four jobs are) against the same ffmpeg commands run
 * by hand in parallel with no Node in between. Prints wall times, the ratio, and speed against
 * real time. Run: `npx tsx packages/media/bench/pipeline.ts [minutes] [rounds]`.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  DEFAULT_RENDITIONS,
  buildHlsRenditionArgs,
  buildLoudnessArgs,
  buildWaveformDecodeArgs,
  computeWaveform,
  inspectAudio,
  measureLoudness,
  transcodeHls,
} from '../src/index.ts';

const minutes = Number(process.argv[2] ?? 10);
const durationMs = minutes * 60_000;

function ffmpeg(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}`))));
  });
}

async function timed(label: string, fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  const ms = performance.now() - start;
  console.log(`${label.padEnd(34)} ${(ms / 1000).toFixed(2).padStart(7)} s  ${(durationMs / ms).toFixed(1).padStart(6)}× real time`);
  return ms;
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-media-bench-'));
try {
  const input = path.join(dir, 'in.flac');
  const graph = `anoisesrc=c=pink:r=44100:a=0.2:d=${minutes * 60}:seed=7[n];sine=f=220:r=44100:d=${minutes * 60}[s];[n][s]amix=inputs=2,aformat=channel_layouts=stereo[out0]`;
  await ffmpeg(['-y', '-f', 'lavfi', '-i', graph, '-c:a', 'flac', input]);
  console.log(`${minutes} min stereo 44.1 kHz FLAC, ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  const info = await inspectAudio(input);
  const source = { sampleRate: info.audio.sampleRate, channels: info.audio.channels, durationMs: info.durationMs, audioStreamIndex: info.audio.index };

  await timed('probe + decode check', () => inspectAudio(input));
  await timed('HLS alone (3 renditions)', () => transcodeHls(input, path.join(dir, 'hls-a'), source));
  await timed('waveform alone', () => computeWaveform(input, source));
  await timed('loudness alone', () => measureLoudness(input, source));

  const pipeline = () => Promise.all([transcodeHls(input, path.join(dir, 'hls-b'), source), computeWaveform(input, source), measureLoudness(input, source)]);
  for (const r of DEFAULT_RENDITIONS) await mkdir(path.join(dir, 'hls-c', r.name), { recursive: true });
  const handWritten = () =>
    Promise.all([
      ...DEFAULT_RENDITIONS.map((rendition) =>
        ffmpeg(buildHlsRenditionArgs({ input, renditionDir: path.join(dir, 'hls-c', rendition.name), rendition, sourceSampleRate: 44100, sourceChannels: 2 })),
      ),
      // PCM to /dev/null: the same decode without any folding in Node.
      ffmpeg(buildWaveformDecodeArgs({ input, sampleRate: 44100 }).slice(0, -1).concat(['-y', '/dev/null'])),
      ffmpeg(buildLoudnessArgs(input)),
    ]);

  // Alternate the two so that load from other processes hits both alike; compare medians.
  const rounds = Number(process.argv[3] ?? 3);
  const ours: number[] = [];
  const hand: number[] = [];
  for (let i = 0; i < rounds; i++) {
    ours.push(await timed('pipeline: HLS + peaks + loudness', pipeline));
    hand.push(await timed('hand-written ffmpeg, same outputs', handWritten));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`median pipeline ${(median(ours) / 1000).toFixed(2)} s (${(durationMs / median(ours)).toFixed(1)}× real time), hand-written ${(median(hand) / 1000).toFixed(2)} s`);
  console.log(`pipeline / hand-written: ${(median(ours) / median(hand)).toFixed(2)} (budget ≤ 1.2)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
